// Typing on the canvas: a click or tap on a text layer (or Enter with it selected) opens a text
// box exactly over the layer, in its font (the store's file, as @font-face), at the size the
// composer drew it (data-font-size: smaller than fontSize when auto-fit shrank it), with its line
// height, letter spacing and alignment. The box's own letters are transparent: the customer sees
// the composer's drawing beneath, with the caret and the selection over it, and every keystroke
// goes as the same PATCH of `text` as the panel's field (whose value follows). One request is on
// its way at a time and the newest text goes next, so answers come in order and no keystroke is
// lost. Escape, Enter in a one-line text, or a click outside ends it. (Curved text is typed in a
// straight box whose letters show, over the drawing.)
import { geometryOf, layerGroup, layerItem, nameOf, previewSvg, select, selected } from "./canvas.js";
import { fontFileOf } from "./fonts.js";
import { clearFieldError, limitRefusal, say, showFieldError } from "./messages.js";
import { send } from "./requests.js";

const MM_PER_POINT = 25.4 / 72;
const CLICK_SLOP_PX = 3; // as far as a press may move and still not be a drag (gestures.js)

let typing = null;
let press = null;
const fontFamilies = new Map();

function textField(id) {
  return document.getElementById(`f-${id}-text`);
}

function fieldValue(id, name, fallback) {
  const field = document.getElementById(`f-${id}-${name}`);
  return field && field.value !== "" ? field.value : fallback;
}

function isText(id) {
  const item = layerItem(id);
  return Boolean(item && item.classList.contains("layer-text"));
}

// Open the box over text layer `id`; `opener` gets the focus back when Escape or Enter ends it.
// False for a layer that is not text.
export function startTyping(id, opener = null) {
  if (!isText(id)) return false;
  const field = textField(id);
  if (!field || field.disabled) {
    say(`“${nameOf(id)}” is locked: its text cannot be changed.`, { error: true });
    return true;
  }
  stopTyping();
  if (selected() !== id) select(id);
  // Beside the preview (whose content every answer replaces), placed in the stage's coordinates.
  const stage = document.getElementById("preview").parentElement;
  const overlay = document.createElement("textarea");
  overlay.className = "text-overlay";
  overlay.id = "text-overlay";
  overlay.value = field.value;
  overlay.dir = "auto";
  overlay.spellcheck = false;
  overlay.setAttribute("autocomplete", "off");
  overlay.setAttribute("aria-label", `${nameOf(id)}, typed on the canvas`);
  if (field.maxLength > 0) overlay.maxLength = field.maxLength;
  const note = document.createElement("p");
  note.id = "text-overlay-note";
  note.className = "text-overlay-note error";
  note.setAttribute("aria-live", "polite");
  note.hidden = true;
  stage.append(overlay, note);
  typing = { id, overlay, note, opener, busy: false, dirty: false, text: field.value };
  overlay.addEventListener("input", onOverlayInput);
  overlay.addEventListener("beforeinput", onOverlayBeforeInput);
  overlay.addEventListener("keydown", onOverlayKey);
  overlay.addEventListener("blur", () => stopTyping());
  placeTyping();
  overlay.focus();
  overlay.select();
  say(`Typing in “${nameOf(id)}” on the canvas. Escape or a click outside finishes.`);
  return true;
}

export function stopTyping({ restoreFocus = false } = {}) {
  if (!typing) return;
  const state = typing;
  typing = null;
  state.overlay.remove();
  state.note.remove();
  if (!restoreFocus) return;
  const back = state.opener && state.opener.isConnected ? state.opener : document.getElementById("preview");
  back.focus();
}

// Where the layer is on screen now: after every answer (auto-fit may have changed the size), a
// resize, or a scroll of the preview.
export function placeTyping() {
  if (!typing) return;
  const { id, overlay, note } = typing;
  const svg = previewSvg();
  if (!svg || !layerItem(id)) {
    stopTyping();
    return;
  }
  const matrix = svg.getScreenCTM();
  const pxPerMm = Math.hypot(matrix.a, matrix.b);
  const box = geometryOf(id);
  const centre = new DOMPoint(box.x + box.width / 2, box.y + box.height / 2).matrixTransform(matrix);
  // Placed in the box its position is measured from (its offset parent: the stage, or whatever
  // positioned box holds it).
  const holder = overlay.offsetParent || overlay.parentElement;
  const frame = holder.getBoundingClientRect();
  const width = box.width * pxPerMm;
  const height = box.height * pxPerMm;
  const left = centre.x - frame.left - holder.clientLeft + holder.scrollLeft - width / 2;
  const top = centre.y - frame.top - holder.clientTop + holder.scrollTop - height / 2;
  const group = layerGroup(id);
  const drawn = group && group.dataset.fontSize ? group.dataset.fontSize : fieldValue(id, "fontSize", 12);
  const fontPx = Number(drawn) * MM_PER_POINT * pxPerMm;
  const family = fontFamily(group && group.dataset.fontId ? group.dataset.fontId : fieldValue(id, "fontId", ""));
  // CSS spaces out a line's last letter too, the composer does not: the box is that much wider,
  // so centred and right-aligned lines (and where lines wrap) come out where the composer's do.
  const spacingPx = (Number(fieldValue(id, "letterSpacing", 0)) / 1000) * fontPx;
  Object.assign(overlay.style, {
    left: `${left}px`,
    top: `${top}px`,
    width: `${width + spacingPx}px`,
    height: `${height}px`,
    transform: box.rotation ? `rotate(${box.rotation}deg)` : "",
    transformOrigin: `${width / 2}px 50%`,
    fontFamily: family ? `"${family}", sans-serif` : "sans-serif",
    fontSize: `${fontPx}px`,
    lineHeight: `${Number(fieldValue(id, "lineHeight", 1.2)) * fontPx}px`,
    letterSpacing: `${spacingPx}px`,
    textAlign: fieldValue(id, "align", "left"),
    caretColor: fieldValue(id, "color", "#000000"),
  });
  // Curved text cannot be followed by a straight box: its letters show in the box instead.
  overlay.classList.toggle("shows-text", Number(fieldValue(id, "curve", 0)) !== 0);
  Object.assign(note.style, { left: `${left}px`, top: `${top + height + 4}px` });
}

// The CSS family of a store font, its file added as a FontFace on first use; null when the page
// does not know the file (the text box then shows a system font, still transparent).
function fontFamily(fontId) {
  if (!fontId) return null;
  if (!fontFamilies.has(fontId)) {
    const file = fontFileOf(fontId);
    if (!file) return null;
    const family = `presswork ${fontId}`;
    const face = new FontFace(family, `url("${file}")`);
    document.fonts.add(face);
    face.load().catch(() => fontFamilies.delete(fontId));
    fontFamilies.set(fontId, family);
  }
  return fontFamilies.get(fontId);
}

function oneLine(id) {
  const field = textField(id);
  return !field || field.tagName !== "TEXTAREA";
}

function onOverlayBeforeInput(event) {
  // Refused here, said under the box and at the panel's field; not again by the page's handler.
  event.stopPropagation();
  const refusal = limitRefusal(event);
  if (!refusal) return;
  event.preventDefault();
  typing.note.textContent = refusal;
  typing.note.hidden = false;
  typing.overlay.setAttribute("aria-describedby", typing.note.id);
  typing.overlay.setAttribute("aria-invalid", "true");
  const field = textField(typing.id);
  if (field) showFieldError(field, refusal);
}

function onOverlayInput() {
  const state = typing;
  const { overlay, id } = state;
  if (oneLine(id) && /[\r\n]/.test(overlay.value)) {
    // A pasted line break in a one-line text becomes a space, as in the panel's field.
    const caret = overlay.selectionStart;
    overlay.value = overlay.value.replace(/\r\n|[\r\n]/g, " ");
    overlay.setSelectionRange(caret, caret);
  }
  state.text = overlay.value;
  const field = textField(id);
  if (field) {
    field.value = state.text;
    clearFieldError(field);
  }
  state.note.hidden = true;
  overlay.removeAttribute("aria-invalid");
  overlay.removeAttribute("aria-describedby");
  state.dirty = true;
  sendText(state);
}

// One PATCH on its way at a time; what was typed meanwhile goes next, as one.
function sendText(state) {
  if (state.busy || !state.dirty) return;
  state.busy = true;
  state.dirty = false;
  const item = layerItem(state.id);
  if (!item) return;
  send("PATCH", item.dataset.url, { text: state.text }, { fromField: true }).finally(() => {
    state.busy = false;
    sendText(state);
  });
}

function onOverlayKey(event) {
  if (event.key === "Escape" || (event.key === "Enter" && !event.shiftKey && oneLine(typing.id))) {
    event.preventDefault();
    event.stopPropagation();
    stopTyping({ restoreFocus: true });
  }
}

// The canvas: a press and release in place on a text layer opens it; a drag does not.
export function onTextPointerDown(event) {
  stopTyping();
  const hit = event.target.closest && event.target.closest("g.layer[data-layer-id]");
  const onHandle = event.target.closest && event.target.closest("[data-handle]");
  // A click on the text already selected types into it; the first click selects it (and gives the
  // arrow keys to it, gestures.js), so a click never both moves and types.
  const typing = hit && !onHandle && !event.shiftKey && selected() === hit.dataset.layerId;
  press = typing ? { id: hit.dataset.layerId, x: event.clientX, y: event.clientY } : null;
}

export function onTextClick(event) {
  const pressed = press;
  press = null;
  if (!pressed || Math.hypot(event.clientX - pressed.x, event.clientY - pressed.y) > CLICK_SLOP_PX) return;
  startTyping(pressed.id, document.getElementById("preview"));
}

// Enter on the canvas, or on the selected layer's button in the panel, types into it.
export function onTextKey(event) {
  if (event.key !== "Enter" || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  const id = selected();
  if (!id || !isText(id)) return;
  const onCanvas = event.target.id === "preview";
  const onButton = event.target.id === "s-" + id;
  if (!onCanvas && !onButton) return;
  event.preventDefault();
  startTyping(id, event.target);
}
