/**
 * The "Edit labels" dialog: create a label, rename one, delete one.
 *
 * Each label is a small form (its name in a text field, a rename button, a
 * delete button), so Enter in the field renames it. Deleting asks first,
 * and says what happens: the label goes, its notes stay. Every change goes
 * through labels.js, which redraws this list, the sidebar and the menus.
 */

import { ApiError } from "./api.js";
import { confirmAction } from "./confirm.js";
import { el, find, iconButton } from "./dom.js";
import { flashError } from "./flash.js";
import { addLabel, allLabels, onLabelsChange, removeLabel, renameLabel } from "./labels.js";

export class LabelEditor {
  constructor(dialog, openButton) {
    this.dialog = dialog;
    this.list = find(dialog, "#label-editor-list");
    this.message = find(dialog, ".dialog-message");
    this.newForm = find(dialog, "#new-label-form");
    this.newName = this.newForm.elements.namedItem("content");

    openButton.addEventListener("click", () => this.open());
    this.newForm.addEventListener("submit", (event) => {
      event.preventDefault();
      this.#create();
    });
    onLabelsChange(() => this.dialog.open && this.#render());
  }

  open() {
    this.message.textContent = "";
    this.#render();
    this.dialog.showModal();
    this.newName.focus();
  }

  async #create() {
    const name = this.newName.value.trim();
    if (!name) return;
    try {
      await addLabel(name);
      this.newName.value = "";
      this.message.textContent = "";
    } catch (error) {
      flashError(error, error instanceof ApiError && error.status === 409 ? null : "The label was not created");
    }
  }

  #render() {
    // Redrawing replaces the fields: keep the focus on the same label's field or button.
    const focused = document.activeElement?.closest?.("[data-label]");
    const focusedLabel = focused?.dataset.label;
    const focusedPart = document.activeElement?.dataset.part;
    this.list.replaceChildren(...allLabels().map((label) => this.#row(label)));
    if (focusedLabel) {
      this.list.querySelector(`[data-label="${focusedLabel}"] [data-part="${focusedPart}"]`)?.focus();
    }
  }

  #row(label) {
    const name = el("input", {
      name: "content",
      value: label.content,
      maxlength: 50,
      required: true,
      autocomplete: "off",
      "aria-label": `Name of label ${label.content}`,
      "data-part": "name",
    });
    const remove = iconButton("trash", `Delete label ${label.content}`, { "data-part": "delete" });
    const rename = iconButton("check", `Rename label ${label.content}`, { type: "submit", "data-part": "rename" });
    const form = el("form", { class: "label-row", "data-label": label.id }, remove, name, rename);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const wanted = name.value.trim();
      if (!wanted || wanted === label.content) return;
      try {
        await renameLabel(label.id, wanted);
        this.message.textContent = "";
      } catch (error) {
        flashError(error, error instanceof ApiError && error.status === 409 ? null : "The label was not renamed");
      }
    });
    remove.addEventListener("click", async () => {
      const sure = await confirmAction(
        `Delete the label “${label.content}”? It is removed from its notes; the notes stay.`,
      );
      if (!sure) return;
      try {
        await removeLabel(label.id);
        this.newName.focus(); // its row is gone, with the button that had the focus
      } catch (error) {
        flashError(error, "The label was not deleted");
      }
    });
    return el("li", {}, form);
  }
}
