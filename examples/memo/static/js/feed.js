/**
 * Infinite scroll: the next page of memos loads when the end of the list
 * comes near the screen.
 *
 * The API says where the next page is: its `Link` header (RFC 8288) has a
 * `rel="next"` link until the last page, with the same search, label and
 * trash parameters, so the page never builds those URLs itself. An
 * IntersectionObserver watches an element under the grids (`#load-more`)
 * and asks for the next page when it comes within a screen of view; after
 * each page the observer is re-armed, so a tall window keeps loading until
 * it is full.
 *
 * The pages are numbered, so a memo that leaves the list (trashed,
 * restored, deleted) moves the following memos up by one: the first memo of
 * the next page would then be skipped. `refill()` reads the last loaded page
 * again after such a change, and brings in the memo that moved up into it.
 * Pages of a view the user already left are dropped (an AbortController
 * cancels them), so a slow answer never lands in the wrong view.
 */

import { memoPage } from "./api.js";
import { flashError } from "./flash.js";

export class Feed {
  /**
   * `sentinel`: the element under the list (holding a spinner and a retry
   * button); `onPage(memos, complete, {first, total})`: called with each
   * page, `complete` true when there is no next page, `first` for the list's
   * first page, `total` the number of memos in the whole list.
   */
  constructor(sentinel, feeds, onPage) {
    this.sentinel = sentinel;
    this.feeds = feeds; // the role="feed" grids, aria-busy while a page loads
    this.onPage = onPage;
    this.spinner = sentinel.querySelector(".spinner");
    this.retryButton = sentinel.querySelector("button");
    this.retryButton.addEventListener("click", () => this.loadNext());
    this.next = null; // the URL of the next page, from the last Link header
    this.last = null; // the URL of the last page loaded
    this.loading = null; // the request under way, if any
    this.controller = new AbortController();
    this.observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && this.loadNext(), {
      rootMargin: "0px 0px 100% 0px", // a screen's height ahead
    });
  }

  get hasMore() {
    return this.next !== null;
  }

  /** Start a new list at `url` (the first page), forgetting the previous one. */
  start(url) {
    this.controller.abort();
    this.controller = new AbortController();
    this.loading = null;
    this.next = url;
    this.last = null;
    return this.loadNext();
  }

  /** Load the next page, unless one is loading or there is none. */
  async loadNext() {
    if (this.loading || !this.next) return this.loading;
    return this.#load(this.next, true);
  }

  /** Read the last loaded page again, after a memo left the list (see above). */
  async refill() {
    await this.loading?.catch(() => {}); // its failure was reported already
    if (this.hasMore && this.last) await this.#load(this.last, false);
  }

  async #load(url, advance) {
    const { signal } = this.controller;
    this.#busy(true);
    this.loading = memoPage(url, signal);
    try {
      const page = await this.loading;
      if (signal.aborted) return;
      const first = advance && this.last === null;
      if (advance) this.last = url;
      this.next = page.next;
      this.onPage(page.memos, page.next === null, { first, total: page.total });
      this.retryButton.hidden = true;
    } catch (error) {
      if (signal.aborted) return;
      this.retryButton.hidden = false;
      flashError(error, "More notes could not be loaded");
    } finally {
      if (!signal.aborted) {
        this.loading = null;
        this.#busy(false);
        this.#rearm();
      }
    }
  }

  #busy(busy) {
    this.spinner.hidden = !busy;
    for (const feed of this.feeds) feed.setAttribute("aria-busy", String(busy));
  }

  /** Observing again reports at once whether the sentinel is still in view. */
  #rearm() {
    this.observer.unobserve(this.sentinel);
    if (this.next && this.retryButton.hidden) this.observer.observe(this.sentinel);
  }
}
