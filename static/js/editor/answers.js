// Answers to edits: keep the field being typed in, the open panels and the selection.
import { forgetGoneSelection, showSelection } from "./canvas.js";

const openPanels = new Set();

export function onToggle(event) {
  if (!event.target.id) return;
  if (event.target.open) openPanels.add(event.target.id);
  else openPanels.delete(event.target.id);
}

export function onOobBeforeSwap(event) {
  // Checks and undo/redo that did not change stay as they are: a live region re-announces
  // whatever is put in it, and a keystroke seldom changes them.
  const { target, fragment } = event.detail;
  if ((target.id === "warnings" || target.id === "history") && samePerceived(target, fragment)) {
    event.detail.shouldSwap = false;
    return;
  }
  // The layer panels come back open as they were, before the swap: no panel shuts for a moment,
  // so the page keeps its length and does not jump.
  if (target.id === "layers") {
    for (const id of openPanels) {
      const panel = fragment.querySelector("#" + CSS.escape(id));
      if (panel) panel.open = true;
    }
  }
  const active = document.activeElement;
  if (!active || !active.id || !active.matches("input, select, textarea")) return;
  const twin = fragment.querySelector("#" + CSS.escape(active.id));
  if (twin) twin.setAttribute("hx-preserve", "true");
}

// What a reader perceives of the checks or the undo/redo buttons: their text and which are off.
// (Markup would not do: htmx leaves empty class attributes behind on swapped elements.)
function samePerceived(target, fragment) {
  const perceived = (element) =>
    element.textContent.replace(/\s+/g, " ").trim() +
    [...element.querySelectorAll("[aria-disabled]")].map((node) => node.id).join(",");
  return perceived(target) === perceived(fragment);
}

export function onAfterSwap(event) {
  if (event.target.id === "layers") {
    for (const id of openPanels) {
      const panel = document.getElementById(id);
      if (panel) panel.open = true;
    }
  }
  if (event.target.id === "preview" || event.target.id === "layers") {
    forgetGoneSelection();
    showSelection();
  }
}
