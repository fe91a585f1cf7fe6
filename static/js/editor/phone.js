// The editor on a phone (static/css/editor.css's "Phone" block, up to 800 px wide): the canvas
// stays on top under a bar with Undo, Redo and Save fixed at the top of the screen, and a toolbar
// is fixed at the bottom (templates/editor/_toolbar.html). The selected layer's panel item shows
// as a sheet above the toolbar (CSS, from the `selected` class canvas.js gives it). This module
// makes the toolbar's buttons work, keeps the sheet from covering the canvas, and brings the
// answer to Save into view.
import { select } from "./canvas.js";
import { editorElement } from "./requests.js";

const PHONE = window.matchMedia("(max-width: 800px)");
const GAP_PX = 8;

let sheetFor = null;
let pointerDown = false;
let sheetPending = false;

function stage() {
  return document.querySelector("#editor .stage");
}

// The toolbar and the sheet, inside the editor's body: wired again when another side is shown.
export function wirePhone() {
  const editor = editorElement();
  const toolbar = document.getElementById("phone-toolbar");
  if (!toolbar) return;
  // A tool whose panel control this page does not have (no fonts: no text to add) is not offered.
  const targets = { "add-text": "add-text", "add-photo": "add-photo", "add-clipart": "clipart-picker" };
  for (const button of toolbar.querySelectorAll("[data-phone-tool]")) {
    const target = targets[button.dataset.phoneTool];
    if (target && !document.getElementById(target)) button.hidden = true;
  }
  toolbar.addEventListener("click", onToolClick);
  for (const id of ["save-result", "layers-title"]) {
    const element = document.getElementById(id);
    if (element) element.tabIndex = -1;
  }
  // The sheet's height leaves the canvas its room: CSS reads the stage's height from here.
  new ResizeObserver(() => {
    editor.style.setProperty("--phone-stage-height", `${stage().offsetHeight}px`);
  }).observe(stage());
  new MutationObserver(onSelectionChanged).observe(document.getElementById("layers"), {
    attributes: true,
    attributeFilter: ["class"],
    childList: true,
    subtree: true,
  });
}

// What listens on the document, once.
export function startPhone() {
  document.addEventListener("pointerdown", () => (pointerDown = true), true);
  document.addEventListener("pointerup", onPointerEnd, true);
  document.addEventListener("pointercancel", onPointerEnd, true);
  document.addEventListener("htmx:afterRequest", onSaved);
}

function onToolClick(event) {
  const button = event.target.closest("[data-phone-tool]");
  if (!button) return;
  const tool = button.dataset.phoneTool;
  if (tool === "add-text") {
    document.getElementById("add-text").click();
  } else if (tool === "add-photo") {
    // The panel's file field: the same upload and the same new layer as beside the canvas.
    document.getElementById("add-photo").click();
  } else if (tool === "add-clipart") {
    const picker = document.getElementById("clipart-picker");
    picker.open = true;
    show(picker, picker.querySelector("summary"));
  } else if (tool === "layers") {
    select(null);
    show(document.getElementById("layers-title"));
  } else if (tool === "done") {
    select(null);
    document.getElementById("preview").focus({ preventScroll: true });
  }
}

// Scroll `element` to just below the canvas (which sticks to the top), and focus it or `focus`.
function show(element, focus = element) {
  // Twice: the first scroll may end with the canvas only now stuck to the top.
  for (let pass = 0; pass < 2; pass += 1) {
    const below = stage().getBoundingClientRect().bottom + GAP_PX;
    const off = element.getBoundingClientRect().top - below;
    if (Math.abs(off) < 1) break;
    window.scrollBy({ top: off, behavior: "instant" });
  }
  focus.focus({ preventScroll: true });
}

function onSelectionChanged() {
  const sheet = document.querySelector("#layers > .layer.selected");
  const id = sheet ? sheet.dataset.layerId : null;
  if (id === sheetFor) return;
  sheetFor = id;
  if (!id || !PHONE.matches) return;
  // Not in the middle of a drag: the canvas would slide away under the finger.
  if (pointerDown) sheetPending = true;
  else requestAnimationFrame(uncoverCanvas);
}

function onPointerEnd() {
  pointerDown = false;
  if (!sheetPending) return;
  sheetPending = false;
  requestAnimationFrame(uncoverCanvas);
}

// The sheet grows up to the canvas stuck under the top bar (CSS): with the page not scrolled so
// far yet, the canvas would be under it, so the page scrolls until the canvas sticks.
function uncoverCanvas() {
  if (!document.querySelector("#layers > .layer.selected")) return;
  const bar = document.querySelector("#editor .editor-actions").getBoundingClientRect().bottom;
  const below = stage().getBoundingClientRect().top - bar;
  if (below > 0) window.scrollBy({ top: below, behavior: "instant" });
}

// After Save, its answer (saved, or why not) is in view and focused: the sheet goes away and the
// page scrolls the result to just below the canvas.
function onSaved(event) {
  if (!PHONE.matches || event.detail.elt.id !== "save") return;
  select(null);
  requestAnimationFrame(() => show(document.getElementById("save-result")));
}
