/**
 * A memo drawn as a card: image, title, text, label chips, colour, and the
 * buttons Keep shows on a card (pin, colour, trash; restore and delete
 * forever in the trash).
 *
 * Each card is an `<article>` inside a `role="feed"` grid (WAI-ARIA's feed
 * pattern, made for lists that load more as you scroll): it takes the
 * keyboard focus, is named by its title and described by its text, and
 * Enter opens it. The buttons carry `data-action`; the page listens once, on
 * the grid, instead of on every button (main.js).
 */

import { paint } from "./colors.js";
import { el, iconButton } from "./dom.js";

/** The `<article>` of `memo`; `inTrash` gives it the trash's buttons. */
export function renderCard(memo, { inTrash = false } = {}) {
  const titleId = `memo-${memo.id}-title`;
  const textId = `memo-${memo.id}-text`;
  const card = el(
    "article",
    {
      class: "card",
      tabindex: "0",
      "data-id": memo.id,
      "data-editable": !inTrash,
      "aria-labelledby": memo.title ? titleId : memo.content ? textId : null,
      "aria-describedby": memo.title && memo.content ? textId : null,
      "aria-label": memo.title || memo.content ? null : "Empty note",
    },
    !inTrash && pinButton(memo),
    memo.linked_image && el("img", { class: "card-image", src: imageUrl(memo), alt: "Attached image", loading: "lazy" }),
    memo.title && el("h3", { class: "card-title", id: titleId, dir: "auto" }, memo.title),
    memo.content && el("p", { class: "card-text", id: textId, dir: "auto" }, memo.content),
    memo.labels.length > 0 &&
      el(
        "ul",
        { class: "chips", "aria-label": "Labels" },
        ...memo.labels.map((label) => el("li", {}, el("a", { class: "chip", href: `#label/${label.id}` }, label.content))),
      ),
    inTrash ? trashToolbar() : toolbar(memo),
  );
  paint(card, memo.color);
  return card;
}

function pinButton(memo) {
  const label = memo.is_pinned ? "Unpin note" : "Pin note";
  return iconButton(memo.is_pinned ? "pinned" : "pin", label, {
    class: "icon-button card-pin",
    "data-action": "pin",
    "aria-pressed": String(memo.is_pinned),
  });
}

function toolbar(memo) {
  return el(
    "div",
    { class: "card-toolbar" },
    iconButton("palette", "Background colour", { "data-action": "color", "data-color": memo.color }),
    iconButton("trash", "Move to trash", { "data-action": "trash" }),
  );
}

function trashToolbar() {
  return el(
    "div",
    { class: "card-toolbar" },
    iconButton("delete-forever", "Delete forever", { "data-action": "delete" }),
    iconButton("restore", "Restore", { "data-action": "restore" }),
  );
}

/**
 * The image's URL, made different for each version of the memo: the URL of
 * a memo's image stays the same when the image is replaced, and a browser
 * may reuse the picture it holds for a URL without asking the server again.
 */
export function imageUrl(memo) {
  const url = new URL(memo.linked_image, window.location.href);
  url.searchParams.set("v", memo.updated_at);
  return url.pathname + url.search;
}
