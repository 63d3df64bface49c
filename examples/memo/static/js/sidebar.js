/**
 * The sidebar: Notes, one link per label, Edit labels, Trash.
 *
 * Its entries are plain links to `#notes`, `#label/<id>` and `#trash`: the
 * page shows the view the address names (main.js), so Back, Forward,
 * bookmarks and "open in new tab" all work, and `aria-current="page"` marks
 * the view on screen. On a wide screen the menu button folds the sidebar
 * to its icons, as in Keep; on a phone the sidebar is a drawer over the
 * page, which the menu button opens and a choice, Escape or a tap beside it
 * closes.
 */

import { el, icon } from "./dom.js";

const phone = window.matchMedia("(max-width: 700px)");

export class Sidebar {
  constructor(nav, menuButton) {
    this.nav = nav;
    this.menuButton = menuButton;
    this.labelList = nav.querySelector("#label-links");
    menuButton.addEventListener("click", () => this.#setOpen(!this.#isOpen()));
    nav.addEventListener("click", (event) => {
      if (phone.matches && event.target.closest("a")) this.#setOpen(false);
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && phone.matches && this.#isOpen()) {
        this.#setOpen(false);
        menuButton.focus();
      }
    });
    document.addEventListener("pointerdown", (event) => {
      if (phone.matches && this.#isOpen() && !nav.contains(event.target) && !menuButton.contains(event.target)) {
        this.#setOpen(false);
      }
    });
    phone.addEventListener("change", () => this.#setOpen(!phone.matches));
    this.#setOpen(!phone.matches);
  }

  /** One link per label, sorted as `labels` is. */
  showLabels(labels) {
    this.labelList.replaceChildren(
      ...labels.map((label) =>
        el(
          "li",
          {},
          el(
            "a",
            { class: "nav-item", href: `#label/${label.id}`, "data-view": "label", "data-label": label.id, title: label.content },
            icon("label"),
            el("span", {}, label.content),
          ),
        ),
      ),
    );
    this.select(this.view);
  }

  /** Mark the entry of `view` as the current page. */
  select(view) {
    this.view = view;
    for (const link of this.nav.querySelectorAll("a.nav-item")) {
      const current =
        link.dataset.view === view?.kind && (view.kind !== "label" || Number(link.dataset.label) === view.labelId);
      if (current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  }

  #isOpen() {
    return this.menuButton.getAttribute("aria-expanded") === "true";
  }

  #setOpen(open) {
    this.menuButton.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("nav-folded", !open);
  }
}
