/**
 * "Delete forever?": a question in a modal `<dialog>`, answered with a promise.
 *
 * A modal dialog keeps the keyboard inside it, closes on Escape (an answer
 * of "no") and gives the focus back to where it was; `method="dialog"` on
 * its form closes it with the pressed button's value, so no click handler
 * is needed. `window.confirm` would do the same, but cannot be styled.
 */

const dialog = document.getElementById("confirm");
const message = document.getElementById("confirm-message");
const okButton = document.getElementById("confirm-ok");

/** Ask `question`; resolves to true when the user presses the `action` button. */
export function confirmAction(question, action = "Delete") {
  message.textContent = question;
  okButton.textContent = action;
  dialog.returnValue = "";
  dialog.showModal(); // focuses the first button, Cancel: the safe one
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
  });
}
