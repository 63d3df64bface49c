/**
 * The "Take a note…" box: one line until it is used, then the whole form.
 *
 * As in Keep there is no "Save" button: "Close", Escape, or a click outside
 * the box saves the note (an empty one is simply dropped). The new memo is
 * sent as multipart form data, because it may carry an image, with an
 * `Idempotency-Key`: if the answer is lost (a timeout, a server restarting)
 * and the user closes the box again, the API returns the memo it already
 * made instead of making a second one. A new key is drawn after a success.
 * The keyboard focus then goes to the new card, where j and k continue.
 */

import { createMemo, newIdempotencyKey } from "./api.js";
import { flashError } from "./flash.js";
import { NoteForm } from "./note-form.js";

export class Composer {
  /**
   * `onCreated(memo, {focus})` runs with each memo the API has made; `focus`
   * says that the box had the keyboard focus, for the new card to take.
   */
  constructor(form, { onCreated }) {
    this.form = form;
    this.note = new NoteForm(form);
    this.onCreated = onCreated;
    this.defaults = {};
    this.key = newIdempotencyKey();
    this.saving = false;
    this.focusingQuietly = false;

    form.addEventListener("focusin", () => this.focusingQuietly || this.expand());
    form.addEventListener("input", () => this.expand());
    form.addEventListener("click", () => this.expand()); // the one line, when it has the focus already
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    form.addEventListener("keydown", (event) => {
      // Escape closes an open label or colour menu first; the browser does that.
      if (event.key === "Escape" && !form.querySelector(":popover-open")) {
        event.preventDefault();
        this.save();
      }
    });
    document.addEventListener("pointerdown", (event) => {
      // The menus are inside the form in the DOM, though drawn above the page.
      if (this.isExpanded() && !form.contains(event.target)) this.save({ keepFocus: false });
    });
  }

  isExpanded() {
    return this.form.classList.contains("expanded");
  }

  expand() {
    this.form.classList.add("expanded");
  }

  /** Labels (`{labelIds}`) a new note starts with: the label being viewed, as in Keep. */
  setDefaults(defaults) {
    this.defaults = defaults;
    if (!this.isExpanded() && this.note.isEmpty()) this.note.reset(defaults);
  }

  /** Make the memo, if anything was written; then fold the box back to one line. */
  async save({ keepFocus = true } = {}) {
    if (this.saving) return;
    if (this.note.isEmpty()) {
      this.#collapse(keepFocus);
      return;
    }
    const values = this.note.values();
    const body = new FormData();
    body.set("title", values.title);
    body.set("content", values.content);
    body.set("labels", this.note.labelNames().join(","));
    body.set("color", values.color);
    body.set("is_pinned", String(values.pinned));
    if (values.image) body.set("linked_image", values.image);

    this.saving = true;
    this.note.setStatus("Saving…", true);
    try {
      const { memo } = await createMemo(body, this.key);
      this.key = newIdempotencyKey();
      const focus = keepFocus && this.form.contains(document.activeElement);
      this.#collapse(false);
      this.onCreated(memo, { focus });
    } catch (error) {
      flashError(error, "The note was not saved");
      this.expand(); // what was written stays, to try again with the same key
    } finally {
      this.saving = false;
      this.note.setStatus("");
    }
  }

  #collapse(keepFocus) {
    const hadFocus = this.form.contains(document.activeElement);
    this.note.reset(this.defaults);
    this.form.classList.remove("expanded");
    if (keepFocus && hadFocus) {
      // Back to the one-line box, ready for the next note, without reopening it.
      this.focusingQuietly = true;
      this.note.content.focus();
      this.focusingQuietly = false;
    }
  }
}
