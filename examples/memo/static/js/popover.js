/**
 * Menus that open next to the button that opened them.
 *
 * The menus are HTML popovers (`<div popover>` opened by a button's
 * `popovertarget`, or by `showPopover()`): the browser puts them above
 * everything, closes them on Escape or a click elsewhere, and gives focus
 * back. Where the browser has CSS anchor positioning, style.css places each
 * menu under the button that opened it (its implicit anchor), flipping it
 * when there is no room. Elsewhere this module does the same by script.
 */

const anchoredByCss = CSS.supports("position-area: bottom");
const anchors = new WeakMap(); // popover -> the element it opened from
const GAP = 4;

/** Open `popover` next to `anchor` (for menus opened by script). */
export function openBeside(popover, anchor) {
  anchors.set(popover, anchor);
  if (popover.matches(":popover-open")) popover.hidePopover();
  // `source` makes `anchor` the popover's implicit anchor, for the CSS rules.
  popover.showPopover({ source: anchor });
}

function place(popover) {
  const anchor = anchors.get(popover);
  if (!anchor?.isConnected) return;
  const box = anchor.getBoundingClientRect();
  const { offsetWidth: width, offsetHeight: height } = popover;
  const fitsBelow = window.innerHeight - box.bottom >= height + GAP;
  const top = fitsBelow || box.top < height + GAP ? box.bottom + GAP : box.top - height - GAP;
  const left = Math.min(box.left, window.innerWidth - width - GAP);
  popover.style.top = `${Math.max(GAP, Math.min(top, window.innerHeight - height - GAP))}px`;
  popover.style.left = `${Math.max(GAP, left)}px`;
}

if (!anchoredByCss) {
  // Remember which button opened a declarative popover ...
  document.addEventListener(
    "click",
    (event) => {
      const invoker = event.target.closest?.("[popovertarget]");
      if (invoker) anchors.set(document.getElementById(invoker.getAttribute("popovertarget")), invoker);
    },
    true,
  );
  // ... place every popover as it opens (toggle does not bubble, but capture sees it),
  // and keep the open ones in place while the page scrolls.
  document.addEventListener("toggle", (event) => event.newState === "open" && place(event.target), true);
  const placeOpen = () => document.querySelectorAll("[popover]:popover-open").forEach(place);
  window.addEventListener("scroll", placeOpen, { passive: true, capture: true });
  window.addEventListener("resize", placeOpen, { passive: true });
}
