/**
 * The fields of a note (title, text, image, labels, colour, pin), shared by
 * the "Take a note" box and the edit dialog: the template renders both from
 * one macro (`note_fields` in templates/index.html), and each gets a
 * `NoteForm`.
 *
 * The form keeps the note's labels as label ids. A name typed in the label
 * menu that no label has yet is created at once (as Keep does), so by the
 * time the note is saved every label exists and has an id.
 *
 * The image is previewed before it is uploaded: `URL.createObjectURL` gives
 * the chosen file a `blob:` URL that only this page can load (the CSP allows
 * `blob:` images for exactly this), released when the preview goes away.
 */

import { ApiError } from "./api.js";
import { fillPalette, paint } from "./colors.js";
import { el, find, icon } from "./dom.js";
import { flash, flashError } from "./flash.js";
import { addLabel, allLabels, labelById, onLabelsChange } from "./labels.js";

const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];
const collator = new Intl.Collator(undefined, { sensitivity: "base" });

export class NoteForm {
  constructor(form) {
    this.form = form;
    this.title = form.elements.namedItem("title");
    this.content = form.elements.namedItem("content");
    this.file = form.elements.namedItem("linked_image");
    this.preview = find(form, ".image-preview");
    this.previewImage = find(this.preview, "img");
    this.pinButton = find(form, ".pin-toggle");
    this.chips = find(form, ".form-chips");
    this.status = find(form, ".form-status");
    this.labelMenu = find(form, ".label-menu");
    this.labelSearch = find(this.labelMenu, ".label-search");
    this.labelOptions = find(this.labelMenu, ".label-options");
    this.createLabelButton = find(this.labelMenu, ".create-label");
    this.maxImageBytes = Number(this.file.dataset.maxBytes) || Infinity;
    this.setColor = fillPalette(find(form, ".palette"), `${form.id || "editor"}-color`, (color) => {
      this.color = color;
      paint(this.form, color);
    });
    this.objectUrl = null;
    this.reset();

    this.file.addEventListener("change", () => this.#imageChosen());
    find(form, ".remove-image").addEventListener("click", () => this.#removeImage());
    this.pinButton.addEventListener("click", () => this.#setPinned(!this.pinned));
    this.chips.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-label]");
      if (button) this.#toggleLabel(Number(button.dataset.label), false);
    });
    // "beforetoggle" runs as the menu opens ("toggle" comes later, and could wipe
    // what the user has typed meanwhile).
    this.labelMenu.addEventListener("beforetoggle", (event) => {
      if (event.newState === "open") {
        this.labelSearch.value = "";
        this.#renderLabelOptions();
      }
    });
    this.labelMenu.addEventListener("toggle", (event) => event.newState === "open" && this.labelSearch.focus());
    this.labelSearch.addEventListener("input", () => this.#renderLabelOptions());
    this.labelSearch.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault(); // not a submit of the note
        this.#createOrPick(this.labelSearch.value.trim());
      }
    });
    this.createLabelButton.addEventListener("click", () => this.#createOrPick(this.labelSearch.value.trim()));
    onLabelsChange(() => {
      // A label deleted elsewhere leaves the note too; a renamed one shows its new name.
      this.labelIds = this.labelIds.filter((id) => labelById(id));
      this.#renderChips();
      if (this.labelMenu.matches(":popover-open")) this.#renderLabelOptions();
    });
  }

  /** Show `memo` (as the API gives it) in the fields. */
  fill(memo) {
    this.reset({ labelIds: memo.labels.map((label) => label.id), color: memo.color, pinned: memo.is_pinned });
    this.title.value = memo.title;
    this.content.value = memo.content;
    this.existingImage = memo.linked_image;
    this.#renderImage();
  }

  /** Empty fields; `defaults` may preset `labelIds`, `color` and `pinned`. */
  reset({ labelIds = [], color = "default", pinned = false } = {}) {
    this.form.reset();
    this.labelIds = [...labelIds];
    this.existingImage = null;
    this.removeExistingImage = false;
    this.setColor(color);
    this.color = color;
    paint(this.form, color);
    this.#setPinned(pinned);
    this.#renderChips();
    this.#renderImage();
    this.setStatus("");
  }

  /** What the user entered: `{title, content, labelIds, color, pinned, image, removeImage}`. */
  values() {
    return {
      title: this.title.value,
      content: this.content.value,
      labelIds: [...this.labelIds],
      color: this.color,
      pinned: this.pinned,
      image: this.file.files[0] ?? null,
      removeImage: this.removeExistingImage,
    };
  }

  isEmpty() {
    return !this.title.value.trim() && !this.content.value.trim() && !this.file.files.length;
  }

  /** The label names of `labelIds`, as the API takes them. */
  labelNames(labelIds = this.labelIds) {
    return labelIds.map((id) => labelById(id)?.content).filter(Boolean);
  }

  /**
   * A short status beside the buttons ("Saving…"). The owner ignores a second
   * save meanwhile; the button is not disabled, which would drop the focus.
   */
  setStatus(text, busy = false) {
    this.status.textContent = text;
    this.form.setAttribute("aria-busy", String(busy));
  }

  #setPinned(pinned) {
    this.pinned = pinned;
    this.pinButton.setAttribute("aria-pressed", String(pinned));
    this.pinButton.setAttribute("aria-label", pinned ? "Unpin note" : "Pin note");
    this.pinButton.title = pinned ? "Unpin note" : "Pin note";
    this.pinButton.firstElementChild.className = `icon icon-${pinned ? "pinned" : "pin"}`;
  }

  // -- the image ---------------------------------------------------------------

  #imageChosen() {
    const file = this.file.files[0];
    if (file && !IMAGE_TYPES.includes(file.type)) {
      flash(`“${file.name}” is not a PNG, JPEG, GIF or WebP image.`, { kind: "error" });
      this.file.value = "";
    } else if (file && file.size > this.maxImageBytes) {
      flash(`“${file.name}” is larger than ${Math.floor(this.maxImageBytes / 1048576)} MB.`, { kind: "error" });
      this.file.value = "";
    }
    this.#renderImage();
  }

  #removeImage() {
    this.file.value = "";
    if (this.existingImage) this.removeExistingImage = true;
    this.#renderImage();
    this.content.focus();
  }

  #renderImage() {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
    const file = this.file.files[0];
    let source = null;
    if (file) {
      source = this.objectUrl = URL.createObjectURL(file);
    } else if (this.existingImage && !this.removeExistingImage) {
      source = this.existingImage;
    }
    this.preview.hidden = !source;
    if (source) this.previewImage.src = source;
    else this.previewImage.removeAttribute("src");
  }

  // -- the labels ----------------------------------------------------------------

  #toggleLabel(id, on = !this.labelIds.includes(id)) {
    this.labelIds = on ? [...new Set([...this.labelIds, id])] : this.labelIds.filter((other) => other !== id);
    this.#renderChips();
  }

  #renderChips() {
    const chips = this.labelIds
      .map((id) => labelById(id))
      .filter(Boolean)
      .map((label) =>
        el(
          "li",
          { class: "chip" },
          el("span", {}, label.content),
          el(
            "button",
            { type: "button", class: "chip-remove", "data-label": label.id, "aria-label": `Remove label ${label.content}` },
            icon("close"),
          ),
        ),
      );
    this.chips.replaceChildren(...chips);
    this.chips.hidden = chips.length === 0;
  }

  #renderLabelOptions() {
    const typed = this.labelSearch.value.trim();
    const wanted = typed.toLocaleLowerCase();
    const options = allLabels()
      .filter((label) => label.content.toLocaleLowerCase().includes(wanted))
      .map((label) => {
        const box = el("input", { type: "checkbox", checked: this.labelIds.includes(label.id) });
        box.addEventListener("change", () => this.#toggleLabel(label.id, box.checked));
        return el("label", { class: "menu-item check-item" }, box, el("span", {}, label.content));
      });
    this.labelOptions.replaceChildren(...options);
    const exists = allLabels().some((label) => collator.compare(label.content, typed) === 0);
    this.createLabelButton.hidden = !typed || exists;
    find(this.createLabelButton, ".create-label-text").textContent = `Create “${typed}”`;
  }

  async #createOrPick(name) {
    if (!name) return;
    // Emptied at once, not when the label is made: the next name may be typed meanwhile.
    this.labelSearch.value = "";
    this.#renderLabelOptions();
    const existing = allLabels().find((label) => collator.compare(label.content, name) === 0);
    try {
      const label = existing ?? (await addLabel(name));
      this.#toggleLabel(label.id, true);
      this.#renderLabelOptions();
    } catch (error) {
      if (!this.labelSearch.value) this.labelSearch.value = name; // to correct it and try again
      this.#renderLabelOptions();
      flashError(error, error instanceof ApiError && error.status === 409 ? null : "The label was not created");
    }
  }
}
