/**
 * Keep's note colours, and the palette that picks one.
 *
 * The palette is a group of radio buttons (in a `<fieldset>` with a legend),
 * so the keyboard moves through it with the arrow keys and screen readers
 * say "Red, radio button, 2 of 12" with no script of ours. Each swatch is
 * the radio's label, painted by the `color-*` classes of style.css.
 */

import { el } from "./dom.js";

/** The API's colour names (examples/memo/api/schemas.py) and their names on screen. */
export const COLORS = [
  ["default", "Default"],
  ["red", "Red"],
  ["orange", "Orange"],
  ["yellow", "Yellow"],
  ["green", "Green"],
  ["teal", "Teal"],
  ["blue", "Blue"],
  ["darkblue", "Dark blue"],
  ["purple", "Purple"],
  ["pink", "Pink"],
  ["brown", "Brown"],
  ["gray", "Gray"],
];
const NAMES = new Set(COLORS.map(([name]) => name));
const HEX = /^#[0-9a-f]{6}$/i;

/**
 * Paint `element` with a memo's `color`: a class for a palette colour, or an
 * inline style for `#rrggbb` (the API accepts both; the check keeps anything
 * else out of the style).
 */
export function paint(element, color) {
  for (const name of NAMES) element.classList.remove(`color-${name}`);
  element.style.removeProperty("background-color");
  if (NAMES.has(color)) {
    element.classList.add(`color-${color}`);
  } else if (HEX.test(color)) {
    element.style.backgroundColor = color;
  } else {
    element.classList.add("color-default");
  }
}

/**
 * Fill `fieldset` with one radio button per colour, all named `name`.
 * `onPick(color)` runs when the user picks one. Returns `set(color)`, which
 * checks a colour without calling `onPick`.
 */
export function fillPalette(fieldset, name, onPick) {
  for (const [color, label] of COLORS) {
    const radio = el("input", { type: "radio", name, value: color, class: "visually-hidden" });
    radio.addEventListener("change", () => radio.checked && onPick(color));
    fieldset.append(el("label", { class: `swatch color-${color}`, title: label }, radio, el("span", { class: "visually-hidden" }, label)));
  }
  return function set(color) {
    for (const radio of fieldset.querySelectorAll("input[type=radio]")) radio.checked = radio.value === color;
  };
}
