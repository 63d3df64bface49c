/**
 * The cards on screen: which memos the current view shows, in which order,
 * in which section ("Pinned" or "Others").
 *
 * The API lists memos pinned first, then newest first (then by id), and so
 * does the board, whatever order the memos reach it in: a page of the list,
 * a memo just written, a memo changed in the editor, a page read again. Each
 * memo is put in its place by that same order, and a memo already shown is
 * replaced, never shown twice. Only the start of the list is loaded at any
 * time: a memo whose place is after the last loaded card (an unpinned one,
 * say) waits for its page instead of appearing at the end.
 */

import { renderCard } from "./cards.js";
import { paint } from "./colors.js";
import { watch, unwatch } from "./masonry.js";

/**
 * The order of the API's list: -1 when `a` comes before `b`. Timestamps are
 * compared as strings: they are ISO 8601 in UTC in the same format, which
 * sorts as the times do.
 */
export function compareMemos(a, b) {
  if (a.is_pinned !== b.is_pinned) return a.is_pinned ? -1 : 1;
  if (a.created_at !== b.created_at) return a.created_at > b.created_at ? -1 : 1;
  return b.id - a.id;
}

/** What an empty view says, and its icon. */
const EMPTY_STATES = {
  notes: ["Notes you add appear here", "bulb"],
  label: ["No notes with this label yet", "label"],
  trash: ["No notes in the trash", "trash"],
  search: ["No matching results", "search"],
};

export class Board {
  constructor({ pinned, others, empty }) {
    this.pinned = pinned; // the <section>s, each with its .grid
    this.others = others;
    this.empty = empty;
    this.memos = new Map(); // id -> memo, for every card shown
    this.view = { kind: "notes" };
    this.complete = false; // every memo of the view is loaded
  }

  /** Start over for `view` (`{kind, labelId, needle}`): no cards until pages arrive. */
  reset(view) {
    this.view = view;
    this.complete = false;
    for (const card of this.#cards()) unwatch(card);
    this.memos.clear();
    this.#grid(this.pinned).replaceChildren();
    this.#grid(this.others).replaceChildren();
    this.#refresh();
  }

  get(id) {
    return this.memos.get(id) ?? null;
  }

  card(id) {
    return document.querySelector(`.card[data-id="${Number(id)}"]`);
  }

  /** Whether `memo` belongs in the current view (it may have changed since it was listed). */
  belongs(memo) {
    const { kind, labelId } = this.view;
    if (memo.is_deleted !== (kind === "trash")) return false;
    return kind !== "label" || memo.labels.some((label) => label.id === labelId);
  }

  /**
   * Show a page of the view's list, each memo in its place; `complete` says
   * whether the list has now been loaded to its end.
   */
  addPage(memos, complete) {
    this.complete = complete;
    const focus = memos.map((memo) => this.#place(memo)).find(Boolean);
    this.#refresh();
    focus?.focus();
  }

  /**
   * Show `memo` as it is now (made, edited, pinned, restored...): in its new
   * place, or nowhere if it left the view or its place is not loaded yet.
   */
  update(memo) {
    let focus = null;
    if (this.belongs(memo) && !this.#beyondLoaded(memo)) focus = this.#place(memo);
    else this.remove(memo.id);
    this.#refresh();
    focus?.focus(); // once its section is shown: a hidden element cannot take the focus
  }

  /** Take memo `id` off the board; the focus goes to a neighbour, not to the page's top. */
  remove(id) {
    const card = this.card(id);
    if (card) {
      if (card.contains(document.activeElement)) {
        const neighbour = card.nextElementSibling ?? card.previousElementSibling;
        (neighbour ?? document.getElementById("main")).focus();
      }
      unwatch(card);
      card.remove();
    }
    this.memos.delete(id);
    this.#refresh();
  }

  /** Show `memo`'s new colour on its card, without drawing the card again. */
  repaint(memo) {
    const card = this.card(memo.id);
    if (!card) return;
    this.memos.set(memo.id, memo);
    paint(card, memo.color);
    card.querySelector('[data-action="color"]')?.setAttribute("data-color", memo.color);
  }

  /** Draw every card again, each memo changed by `transform` (a label renamed or deleted). */
  redraw(transform) {
    for (const memo of [...this.memos.values()]) this.update(transform(memo));
  }

  /** Draw `memo` in its place; returns what should get the focus back, if anything. */
  #place(memo) {
    const old = this.card(memo.id);
    // The focus stays where it was: on the card, or on the same button of it.
    const focused = old?.contains(document.activeElement) ? document.activeElement : null;
    const card = renderCard(memo, { inTrash: this.view.kind === "trash" });
    const grid = this.#grid(memo.is_pinned ? this.pinned : this.others);
    if (old) {
      unwatch(old);
      old.remove();
    }
    const next = [...grid.children].find((other) => compareMemos(memo, this.memos.get(Number(other.dataset.id))) < 0);
    grid.insertBefore(card, next ?? null);
    this.memos.set(memo.id, memo);
    watch(card);
    if (!focused) return null;
    const action = focused.dataset.action;
    return action ? card.querySelector(`[data-action="${action}"]`) : card;
  }

  /** Whether `memo`'s place is after every loaded card while more pages remain. */
  #beyondLoaded(memo) {
    if (this.complete) return false;
    const last = [...this.memos.values()].filter((other) => other.id !== memo.id).sort(compareMemos).at(-1);
    return last !== undefined && compareMemos(memo, last) > 0;
  }

  #grid(section) {
    return section.querySelector(".grid");
  }

  #cards() {
    return document.querySelectorAll("#main .card");
  }

  /** Sections, headings, positions in the feed, and the empty view's message. */
  #refresh() {
    const pinnedGrid = this.#grid(this.pinned);
    const othersGrid = this.#grid(this.others);
    this.pinned.hidden = pinnedGrid.children.length === 0;
    // "Others" is a heading only when there are pinned notes to tell them from,
    // and only when there are others.
    this.others.hidden = !this.pinned.hidden && othersGrid.children.length === 0;
    this.others.querySelector(".section-heading").classList.toggle("visually-hidden", this.pinned.hidden);
    for (const grid of [pinnedGrid, othersGrid]) {
      const size = this.complete ? grid.children.length : -1; // -1: not known yet
      [...grid.children].forEach((card, index) => {
        card.setAttribute("aria-posinset", String(index + 1));
        card.setAttribute("aria-setsize", String(size));
      });
    }
    const isEmpty = this.memos.size === 0 && this.complete;
    this.empty.hidden = !isEmpty;
    if (isEmpty) {
      const kind = this.view.needle ? "search" : this.view.kind;
      const [message, iconName] = EMPTY_STATES[kind];
      this.empty.querySelector("p").textContent = message;
      this.empty.querySelector(".icon").className = `icon big-icon icon-${iconName}`;
    }
  }
}
