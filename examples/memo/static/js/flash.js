/**
 * Flash messages, shown as Keep's "snackbar" at the bottom of the screen.
 *
 * The messages the server flashed (such as "Welcome, ...!" after logging in)
 * are already in `#flashes`, rendered by the template; the page's own join
 * them there. The container is a polite live region, so screen readers read
 * each new message; errors are alerts, read at once. A message may
 * carry one action ("Undo"). It goes away by itself, except while the
 * pointer or the keyboard focus is on it, so there is time to reach its
 * button.
 *
 * While a modal dialog is open the rest of the page is inert: hidden from
 * screen readers and out of the pointer's reach. So a message said then
 * goes to the dialog's own message line (`.dialog-message`, an alert).
 */

import { loginUrl } from "./api.js";
import { el, iconButton } from "./dom.js";

const SHOWN_FOR_MS = 6000;
const MOST_AT_ONCE = 3;
const container = document.getElementById("flashes");

/**
 * Show `message`. `kind` is "info" or "error"; `action` is `{label, run}` for
 * a button that runs `run()` and closes the message.
 */
export function flash(message, { kind = "info", action = null } = {}) {
  const line = document.querySelector("dialog:modal .dialog-message");
  if (line) {
    line.replaceChildren(message);
    if (action) line.append(" ", actionButton(action, () => line.replaceChildren()));
    return null;
  }
  // The container is a polite live region; an error is an alert, read at once.
  const item = el("div", { class: `flash ${kind}`, role: kind === "error" ? "alert" : null }, el("p", {}, message));
  if (action) item.append(actionButton(action, () => dismiss(item)));
  container.append(item);
  adopt(item);
  while (container.children.length > MOST_AT_ONCE) container.firstElementChild.remove();
  return item;
}

/**
 * Turn an error into a flash: an `ApiError`'s message is the API's own
 * sentence. A 401 (logged out) comes with a button that opens the log-in page
 * in a new tab, so that what this page holds unsaved stays.
 */
export function flashError(error, doing) {
  if (error?.name === "AbortError") return;
  if (error?.name !== "ApiError") console.error(error); // a bug of ours, not the API's answer
  const detail = error?.message ?? String(error);
  const logIn = { label: "Log in", run: () => window.open(loginUrl, "_blank", "noopener") };
  flash(doing ? `${doing}: ${detail}` : detail, { kind: "error", action: error?.status === 401 ? logIn : null });
}

function actionButton(action, done) {
  const button = el("button", { type: "button", class: "text-button flash-action" }, action.label);
  button.addEventListener("click", () => {
    done();
    action.run();
  });
  return button;
}

function dismiss(item) {
  item.classList.add("leaving");
  item.addEventListener("animationend", () => item.remove(), { once: true });
  setTimeout(() => item.remove(), 400); // in case animations are off
}

/** Give a message its close button and its timer (paused while it is hovered or focused). */
function adopt(item) {
  const close = iconButton("close", "Dismiss message", { class: "icon-button flash-close" });
  close.addEventListener("click", () => dismiss(item));
  item.append(close);
  let timer = null;
  const start = () => {
    clearTimeout(timer);
    timer = setTimeout(() => dismiss(item), SHOWN_FOR_MS);
  };
  const pause = () => clearTimeout(timer);
  item.addEventListener("pointerenter", pause);
  item.addEventListener("pointerleave", start);
  item.addEventListener("focusin", pause);
  item.addEventListener("focusout", start);
  start();
}

for (const item of container.children) adopt(item);
