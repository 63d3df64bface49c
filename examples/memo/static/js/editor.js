/**
 * The edit dialog: a click on a card (or Enter on it) opens its memo here.
 *
 * Two people may edit the same memo at once (two tabs, two devices). The
 * API settles it with an entity tag: the dialog reads the memo again as it
 * opens, keeps its `ETag`, and sends it back in `If-Match` with the change.
 * If the memo changed in between, the API answers 412 and overwrites
 * nothing; the dialog then says so, shows the newer version, and keeps the
 * user's own text beside it to copy from, so no one's words are lost.
 *
 * As in Keep, closing the dialog (the Close button, Escape, a click beside
 * it) saves; only the fields that changed are sent (PATCH).
 */

import { ApiError, deleteMemoImage, getMemo, updateMemo } from "./api.js";
import { find } from "./dom.js";
import { flash, flashError } from "./flash.js";
import { NoteForm } from "./note-form.js";

const editedAt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export class Editor {
  /**
   * `onSaved(memo)`: the memo changed (show it); `onGone(id)`: it was deleted
   * elsewhere; `onClosed(id)`: the dialog closed (put the focus back on the card).
   */
  constructor(dialog, { onSaved, onGone, onClosed }) {
    this.dialog = dialog;
    this.form = find(dialog, "form");
    this.note = new NoteForm(this.form);
    this.conflict = find(dialog, ".conflict");
    this.editedAt = find(dialog, ".edited-at");
    Object.assign(this, { onSaved, onGone, onClosed });
    this.memo = null;
    this.etag = null;
    this.loaded = Promise.resolve();
    this.saving = false;

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    dialog.addEventListener("cancel", (event) => {
      // Escape: an open label or colour menu closes first (the browser does it).
      event.preventDefault();
      if (!this.form.querySelector(":popover-open")) this.save();
    });
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) this.save(); // the backdrop, around the form
    });
    dialog.addEventListener("close", () => {
      // Only #close clears `memo` first. Otherwise the browser closed the dialog
      // itself: Chrome does on a second Escape without a click or a key typed in
      // between, however `cancel` is handled. That must not drop what is unsaved
      // (the first Escape's save may have failed): open it again, and save.
      if (this.memo && !dialog.open) {
        dialog.showModal();
        this.save();
      }
    });
  }

  /** Open `memo` as its card shows it, then read its current version and ETag. */
  open(memo) {
    find(this.dialog, ".dialog-message").textContent = "";
    this.#show(memo, null);
    this.dialog.showModal();
    this.loaded = this.#readCurrent(memo);
  }

  async #readCurrent(shown) {
    try {
      const { memo, etag } = await getMemo(shown.id);
      if (this.memo?.id !== shown.id) return; // closed, or another memo opened meanwhile
      if (memo.updated_at === shown.updated_at) {
        this.etag = etag;
        return;
      }
      // It changed since the card was drawn. Unless the user already started
      // typing over the old version, simply show the new one.
      const typed = this.#changes(this.note.values(), shown);
      this.#show(memo, typed ? this.note.values() : null, etag);
      this.onSaved(memo);
    } catch (error) {
      if (this.memo?.id !== shown.id) return;
      if (error instanceof ApiError && error.status === 404) this.#gone(shown.id);
      else flashError(error, "The note could not be read");
    }
  }

  /** Save what changed, then close; on 412 show the newer version instead. */
  async save() {
    if (this.saving || !this.memo) return;
    this.saving = true;
    this.note.setStatus("Saving…", true);
    const values = this.note.values();
    try {
      await this.loaded;
      let { memo, etag } = this;
      const changes = this.#changes(values, memo);
      const removeImage = values.removeImage && !values.image && memo.linked_image;
      if (!etag && (changes || removeImage)) etag = await this.#etagOfShown(memo);
      if (changes) ({ memo, etag } = await updateMemo(memo.id, changes, etag));
      if (removeImage) {
        await deleteMemoImage(memo.id, etag);
        ({ memo, etag } = await getMemo(memo.id));
      }
      if (memo !== this.memo) this.onSaved(memo);
      this.#close();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) await this.#conflicted(values);
      else if (error instanceof ApiError && error.status === 404) this.#gone(this.memo.id);
      else flashError(error, "The note was not saved");
    } finally {
      this.saving = false;
      this.note.setStatus("");
    }
  }

  /**
   * The ETag of `shown`, when reading it as the dialog opened failed (a network
   * error): without one the write would overwrite any newer version. ApiError
   * 412 if the memo changed since it was shown.
   */
  async #etagOfShown(shown) {
    const { memo, etag } = await getMemo(shown.id);
    if (memo.updated_at !== shown.updated_at) throw new ApiError(412, "This note was changed elsewhere.");
    return etag;
  }

  /**
   * The request body for what differs between the form and `memo`, or null.
   * JSON, unless a new image is coming: then multipart form data, where
   * booleans are "true"/"false" and labels a comma-separated list.
   */
  #changes(values, memo) {
    const changes = {};
    if (values.title !== memo.title) changes.title = values.title;
    if (values.content !== memo.content) changes.content = values.content;
    if (values.color !== memo.color) changes.color = values.color;
    if (values.pinned !== memo.is_pinned) changes.is_pinned = values.pinned;
    const before = memo.labels.map((label) => label.id).sort();
    const after = [...values.labelIds].sort();
    if (before.join() !== after.join()) changes.labels = this.note.labelNames(values.labelIds);
    if (!values.image) return Object.keys(changes).length ? changes : null;
    const form = new FormData();
    for (const [name, value] of Object.entries(changes)) form.set(name, Array.isArray(value) ? value.join(",") : String(value));
    form.set("linked_image", values.image);
    return form;
  }

  /** 412: someone else's change came first. Show theirs; keep ours to copy from. */
  async #conflicted(mine) {
    try {
      const { memo, etag } = await getMemo(this.memo.id);
      this.#show(memo, mine, etag);
      this.onSaved(memo);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.#gone(this.memo.id);
      else flashError(error, "The newer version could not be read");
    }
  }

  /** Fill the dialog with `memo`; `mine` (the user's unsaved values) opens the conflict box. */
  #show(memo, mine, etag = null) {
    this.memo = memo;
    this.etag = etag;
    this.note.fill(memo);
    this.editedAt.textContent = `Edited ${editedAt.format(new Date(memo.updated_at))}`;
    this.conflict.hidden = !mine;
    if (mine) {
      find(this.conflict, ".mine-title").textContent = mine.title;
      find(this.conflict, ".mine-content").textContent = mine.content;
    }
  }

  #gone(id) {
    flash("This note was deleted elsewhere.", { kind: "error" });
    this.#close();
    this.onGone(id);
  }

  #close() {
    const id = this.memo?.id;
    this.memo = null;
    this.dialog.close();
    this.note.reset();
    if (id !== undefined) this.onClosed(id);
  }
}
