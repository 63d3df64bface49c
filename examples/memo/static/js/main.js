/**
 * The memo page, in the style of Google Keep: start reading here.
 *
 * The server sends a shell (templates/index.html): the bar, the sidebar,
 * the "Take a note" box, two empty grids and the dialogs. This module
 * builds the page's parts on that shell and connects them:
 *
 *   the address (#notes, #label/3, #trash) + the search box  → the view
 *   the view → feed.js loads its pages from the API → board.js draws them
 *   composer.js (new notes), editor.js (the dialog), the card buttons
 *     → api.js → board.js shows the memo as the API returned it
 *   labels.js (the labels, kept in step) → sidebar.js, label-editor.js, cards
 *
 * Nothing is drawn from a guess: every card shows a memo as the API last
 * answered it, except the colour, which changes at once and goes back if
 * the API refuses. The other files, in the order they are used: api.js,
 * board.js and cards.js (with masonry.js and colors.js), feed.js,
 * composer.js and editor.js (with note-form.js), labels.js, sidebar.js,
 * label-editor.js, and the small helpers dom.js, flash.js, confirm.js and
 * popover.js.
 */

import * as api from "./api.js";
import { Board } from "./board.js";
import { fillPalette } from "./colors.js";
import { Composer } from "./composer.js";
import { confirmAction } from "./confirm.js";
import { Editor } from "./editor.js";
import { Feed } from "./feed.js";
import { flash, flashError } from "./flash.js";
import { LabelEditor } from "./label-editor.js";
import { labelById, loadLabels, onLabelsChange } from "./labels.js";
import { openBeside } from "./popover.js";
import { Sidebar } from "./sidebar.js";

const SEARCH_DELAY_MS = 300;
const main = document.getElementById("main");
const search = document.getElementById("search");
const composerForm = document.getElementById("composer");
const trashBanner = document.getElementById("trash-banner");

const board = new Board({
  pinned: document.getElementById("pinned-section"),
  others: document.getElementById("others-section"),
  empty: document.getElementById("empty-state"),
});
const viewStatus = document.getElementById("view-status");
const feed = new Feed(document.getElementById("load-more"), main.querySelectorAll("[role=feed]"), (memos, complete, page) => {
  board.addPage(memos, complete);
  // A search's results are announced (a status region): a screen reader would not see them come.
  if (page.first && view.needle) {
    const found = page.total === 1 ? "1 note found" : `${page.total} notes found`;
    viewStatus.textContent = page.total === 0 ? "No matching results" : found;
  }
});
const sidebar = new Sidebar(document.getElementById("sidebar"), document.getElementById("menu-button"));
new LabelEditor(document.getElementById("labels-dialog"), document.getElementById("edit-labels-button"));
const composer = new Composer(composerForm, {
  onCreated: (memo, { focus }) => {
    board.update(memo);
    if (focus) (board.card(memo.id) ?? composer.note.content).focus();
  },
});
const editor = new Editor(document.getElementById("editor"), {
  onSaved: (memo) => shown(memo),
  onGone: (id) => gone(id),
  onClosed: (id) => (board.card(id) ?? main).focus(),
});

// -- the view: what the address and the search box ask for -------------------

let view = { kind: "notes" };

function viewFromAddress() {
  const [kind, id] = window.location.hash.slice(1).split("/");
  if (kind === "trash") return { kind: "trash" };
  if (kind === "label" && /^\d+$/.test(id)) return { kind: "label", labelId: Number(id) };
  return { kind: "notes" };
}

function show(next) {
  view = { ...next, needle: search.value.trim() };
  viewStatus.textContent = "";
  board.reset(view);
  sidebar.select(view);
  nameView();
  composerForm.hidden = view.kind === "trash";
  composer.setDefaults({ labelIds: view.kind === "label" ? [view.labelId] : [] });
  trashBanner.hidden = view.kind !== "trash";
  feed.start(api.memosUrl({ is_deleted: view.kind === "trash", label: view.labelId, needle: view.needle }));
}

/** The view's name in the bar, the heading and the window's title. */
function nameView() {
  const name =
    view.kind === "trash" ? "Trash" : view.kind === "label" ? (labelById(view.labelId)?.content ?? "Label") : "Notes";
  document.getElementById("view-name").textContent = view.kind === "notes" ? "Memo" : name;
  document.getElementById("view-heading").textContent = view.needle ? `${name}: search for “${view.needle}”` : name;
  document.title = `${name} · Memo`;
  document.body.dataset.view = view.kind;
}

window.addEventListener("hashchange", () => show(viewFromAddress()));

let searchTimer = null;
search.addEventListener("input", () => {
  // Debounced: one request when the typing pauses, not one per key.
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => search.value.trim() !== view.needle && show(view), SEARCH_DELAY_MS);
});
search.form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  show(view);
});

// -- a memo changed: show it where it now belongs ----------------------------

function shown(memo) {
  const before = board.get(memo.id);
  board.update(memo);
  // A memo that left the list, or moved down it, moved later ones up a page.
  if (!board.get(memo.id) || (before?.is_pinned && !memo.is_pinned)) feed.refill();
}

function gone(id) {
  board.remove(id);
  feed.refill();
}

async function change(id, fields) {
  const { memo } = await api.updateMemo(id, fields);
  shown(memo);
  return memo;
}

// -- the buttons of the cards (one listener for all of them) -----------------

main.addEventListener("click", async (event) => {
  const card = event.target.closest(".card");
  const memo = card && board.get(Number(card.dataset.id));
  if (!memo) return;
  const button = event.target.closest("button[data-action]");
  if (button) {
    // Not `disabled` while it works: that would take the keyboard focus away.
    if (button.getAttribute("aria-disabled") === "true") return;
    button.setAttribute("aria-disabled", "true");
    try {
      await ACTIONS[button.dataset.action](memo, button);
    } catch (error) {
      flashError(error);
    } finally {
      button.removeAttribute("aria-disabled");
    }
  } else if (!event.target.closest("a")) {
    if (card.hasAttribute("data-editable")) editor.open(memo);
    else flash("Notes in the trash cannot be changed: restore the note first.");
  }
});

main.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches(".card[data-editable]")) {
    event.preventDefault();
    editor.open(board.get(Number(event.target.dataset.id)));
  }
});

const ACTIONS = {
  pin: (memo) => change(memo.id, { is_pinned: !memo.is_pinned }),

  color: (memo, button) => {
    colorTarget = memo.id;
    setPaletteColor(memo.color);
    openBeside(cardPalette, button);
    cardPalette.querySelector(":checked")?.focus();
  },

  trash: async (memo) => {
    await change(memo.id, { is_deleted: true });
    flash("Note moved to the trash.", { action: { label: "Undo", run: () => undo(memo.id, { is_deleted: false }) } });
  },

  restore: async (memo) => {
    await change(memo.id, { is_deleted: false });
    flash("Note restored.", { action: { label: "Undo", run: () => undo(memo.id, { is_deleted: true }) } });
  },

  delete: async (memo) => {
    if (!(await confirmAction("Delete this note forever? It cannot be brought back.", "Delete forever"))) return;
    await api.deleteMemo(memo.id);
    gone(memo.id);
    flash("Note deleted forever.");
  },
};

function undo(id, fields) {
  change(id, fields).catch((error) => flashError(error, "Could not undo"));
}

// The colour palette of the cards: one menu, opened beside the card's button.
// The colour changes on screen at once (the palette stays beside the same
// card while the arrow keys try colours), and goes back if the API refuses.
const cardPalette = document.getElementById("card-colors");
let colorTarget = null;
const setPaletteColor = fillPalette(cardPalette, "card-color", async (color) => {
  const memo = board.get(colorTarget);
  if (!memo) return;
  board.repaint({ ...memo, color });
  try {
    board.repaint((await api.updateMemo(memo.id, { color })).memo);
  } catch (error) {
    board.repaint(memo);
    flashError(error, "The colour was not changed");
  }
});

// -- the trash ------------------------------------------------------------------

document.getElementById("empty-trash").addEventListener("click", async () => {
  if (!(await confirmAction("Empty the trash? All its notes are deleted forever.", "Empty trash"))) return;
  try {
    // The API deletes one memo at a time: take the trash a page at a time until
    // it is empty (bounded, in case someone keeps filling it meanwhile).
    for (let round = 0; round < 100; round += 1) {
      const { memos } = await api.memoPage(api.memosUrl({ is_deleted: true, per_page: 100 }));
      if (memos.length === 0) break;
      await Promise.all(memos.map((memo) => api.deleteMemo(memo.id).catch(ignoreGone)));
    }
    flash("The trash is empty.");
  } catch (error) {
    flashError(error, "The trash was not emptied");
  }
  show(view);
});

function ignoreGone(error) {
  if (!(error instanceof api.ApiError && error.status === 404)) throw error;
}

// -- labels -----------------------------------------------------------------------

onLabelsChange((labels, { renamed, deleted }) => {
  sidebar.showLabels(labels);
  nameView();
  if (renamed || deleted) {
    // The cards show label names: draw them again with the new ones.
    board.redraw((memo) => ({
      ...memo,
      labels: memo.labels
        .filter((label) => label.id !== deleted?.id)
        .map((label) => (label.id === renamed?.id ? { id: label.id, content: renamed.content } : label)),
    }));
  }
  if (deleted && view.kind === "label" && view.labelId === deleted.id) window.location.hash = "#notes";
});

// -- keyboard shortcuts (Keep's): / search, c new note, j and k next and previous note --

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || document.querySelector("dialog[open]")) return;
  if (event.target.closest("input, textarea, select, [contenteditable], [popover]")) return;
  if (event.key === "/") {
    event.preventDefault();
    search.focus();
  } else if (event.key === "c" && !composerForm.hidden) {
    event.preventDefault();
    composer.note.content.focus();
  } else if (event.key === "j" || event.key === "k") {
    const cards = [...main.querySelectorAll(".card")];
    const index = cards.indexOf(document.activeElement.closest(".card"));
    const next = cards[event.key === "j" ? index + 1 : index < 0 ? cards.length - 1 : index - 1];
    next?.focus();
  }
});

// -- logged out meanwhile (a 401) ----------------------------------------------------

api.onLoggedOut(() => {
  // With nothing unsaved, reloading brings the log-in page, and this view after it.
  // Otherwise the page stays: the error says to log in again in another tab.
  if (!document.querySelector("dialog[open]") && composer.note.isEmpty()) window.location.reload();
});

// -- start ------------------------------------------------------------------------

loadLabels().catch((error) => flashError(error, "The labels could not be loaded"));
show(viewFromAddress());
