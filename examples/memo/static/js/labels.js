/**
 * The user's labels: one list, loaded from the API and kept in step with it,
 * which the sidebar, the label menus and the cards all read.
 *
 * Whoever changes a label goes through this module, which calls the API and
 * then tells every listener (`onLabelsChange`), so the sidebar and the open
 * menus never disagree. Labels are shown in alphabetical order, as in Keep,
 * compared the way the user's language sorts (Korean included).
 */

import * as api from "./api.js";

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
const listeners = new Set();
let labels = [];

/** Every label, `[{id, content, ...}]`, sorted by name. */
export function allLabels() {
  return labels;
}

export function labelById(id) {
  return labels.find((label) => label.id === id) ?? null;
}

/** `callback(labels)` after every change; `{renamed, deleted}` says which label changed. */
export function onLabelsChange(callback) {
  listeners.add(callback);
}

function changed(detail = {}) {
  labels.sort((a, b) => collator.compare(a.content, b.content));
  for (const callback of listeners) callback(labels, detail);
}

export async function loadLabels() {
  labels = await api.listLabels();
  changed();
}

/** Create a label; rejects with ApiError 409 when the name is taken. */
export async function addLabel(name) {
  const label = await api.createLabel(name);
  labels.push(label);
  changed();
  return label;
}

export async function renameLabel(id, name) {
  const renamed = await api.renameLabel(id, name);
  labels = labels.map((label) => (label.id === id ? renamed : label));
  changed({ renamed });
}

/** Delete a label; its memos stay, without it. */
export async function removeLabel(id) {
  await api.deleteLabel(id);
  const deleted = labelById(id);
  labels = labels.filter((label) => label.id !== id);
  changed({ deleted });
}
