/**
 * Building elements from plain values: the one way this page makes markup.
 *
 * User text (titles, contents, label names, error messages) only ever
 * becomes a Text node or an attribute value, which the browser never parses
 * as HTML. So a memo titled `<img src=x onerror=alert(1)>` shows those
 * characters and runs nothing. The page's Content-Security-Policy backs this
 * up: its Trusted Types rule makes the browser refuse any string assigned to
 * `innerHTML`, so a slip would fail loudly instead of running script.
 */

/**
 * `el("a", { href: "#trash", class: "chip" }, "Trash")` → `<a href="#trash" class="chip">Trash</a>`.
 *
 * Attributes are set with `setAttribute` (`true` sets an empty one, `false`,
 * `null` and `undefined` skip it); children are nodes or strings (made into
 * Text nodes); `null`, `undefined` and `false` children are skipped, so
 * `cond && el(...)` reads naturally.
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return element;
}

/** A decorative icon: `<span class="icon icon-pin" aria-hidden="true">` (see style.css). */
export function icon(name) {
  return el("span", { class: `icon icon-${name}`, "aria-hidden": "true" });
}

/** A button with only an icon; `label` is what assistive technology announces. */
export function iconButton(name, label, attributes = {}) {
  return el(
    "button",
    { type: "button", class: "icon-button", "aria-label": label, title: label, ...attributes },
    icon(name),
  );
}

/** `node`'s element descendant matching `selector`; throws if the page lacks it (a bug). */
export function find(node, selector) {
  const found = node.querySelector(selector);
  if (!found) throw new Error(`The page has no ${selector}`);
  return found;
}
