// Zooming and panning the canvas. 100 % is the side fitted to the preview; the buttons step the
// zoom, Ctrl+wheel (a touchpad's pinch too) and two fingers zoom about the pointer, and a zoomed
// preview scrolls: with its scrollbars, by dragging empty canvas space, or by dragging anywhere
// with the space bar held. The zoom is the CSS variable --pw-zoom on #preview, so a preview that
// an answer swaps in keeps it. Every change is announced to the page as "pw:zoom" on #preview
// (the selection and the rulers redraw at the new scale).
import { previewSvg, select, svgPoint } from "./canvas.js";

const MIN_ZOOM = 0.5;
const MAX_ZOOM = 8;
const STEP = 1.25;
const WHEEL_RATE = 0.002;
const PAN_START_PX = 3;

let zoom = 1;
let pan = null;
let spaceHeld = false;
const touches = new Map();
let pinch = null;
let kept = null;

function preview() {
  return document.getElementById("preview");
}

export function pinching() {
  return pinch !== null;
}

export function panning() {
  return pan !== null;
}

// Zoom to `next`, keeping the point under (clientX, clientY) where it is (the preview's middle
// when none is given).
function setZoom(next, clientX, clientY) {
  const box = preview();
  const svg = previewSvg();
  const target = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
  if (!box || !svg || Math.abs(target - zoom) < 0.001) return;
  const rect = box.getBoundingClientRect();
  const at = clientX === undefined ? { clientX: rect.left + box.clientWidth / 2, clientY: rect.top + box.clientHeight / 2 } : { clientX, clientY };
  const anchor = svgPoint(svg, at);
  if (zoom === 1) box.style.height = `${rect.height}px`;
  zoom = target;
  box.style.setProperty("--pw-zoom", String(zoom));
  box.classList.toggle("zoomed", zoom !== 1);
  if (zoom === 1) box.style.removeProperty("height");
  const matrix = svg.getScreenCTM();
  box.scrollLeft += anchor.x * matrix.a + matrix.e - at.clientX;
  box.scrollTop += anchor.y * matrix.d + matrix.f - at.clientY;
  announce();
}

function announce() {
  const level = document.getElementById("zoom-level");
  if (level) level.textContent = `${Math.round(zoom * 100)}%`;
  const out = document.getElementById("zoom-out");
  const into = document.getElementById("zoom-in");
  if (out) out.setAttribute("aria-disabled", String(zoom <= MIN_ZOOM));
  if (into) into.setAttribute("aria-disabled", String(zoom >= MAX_ZOOM));
  preview().dispatchEvent(new CustomEvent("pw:zoom", { detail: { zoom } }));
}

function zoomIn() {
  setZoom(zoom * STEP);
}

function zoomOut() {
  setZoom(zoom / STEP);
}

function zoomToFit() {
  setZoom(1);
  const box = preview();
  box.scrollLeft = 0;
  box.scrollTop = 0;
}

// While a photo is cropped (crop.js), Ctrl+wheel, two fingers and + and − zoom the photo, not the canvas.
function cropping() {
  return preview().classList.contains("cropping");
}

function onWheel(event) {
  if ((!event.ctrlKey && !event.metaKey) || cropping()) return;
  event.preventDefault();
  setZoom(zoom * Math.exp(-event.deltaY * WHEEL_RATE), event.clientX, event.clientY);
}

// Panning: gestures.js asks first, on every pointer down in the preview. Returns whether the
// pointer now pans (the space bar held; or empty space, not a layer, of a zoomed canvas).
export function startPan(event) {
  const box = preview();
  const onNothing = !event.target.closest("g.layer[data-layer-id], [data-handle], [data-design-area]");
  const scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
  if (!spaceHeld && !(onNothing && scrolls)) return false;
  event.preventDefault();
  box.setPointerCapture(event.pointerId);
  pan = { id: event.pointerId, x: event.clientX, y: event.clientY, left: box.scrollLeft, top: box.scrollTop, moved: false, onNothing };
  box.classList.add("panning");
  return true;
}

function onPanMove(event) {
  if (!pan || event.pointerId !== pan.id) return;
  const dx = event.clientX - pan.x;
  const dy = event.clientY - pan.y;
  if (!pan.moved && Math.hypot(dx, dy) < PAN_START_PX) return;
  pan.moved = true;
  const box = preview();
  box.scrollLeft = pan.left - dx;
  box.scrollTop = pan.top - dy;
}

function onPanEnd(event) {
  if (!pan || event.pointerId !== pan.id) return;
  const ended = pan;
  pan = null;
  preview().classList.remove("panning");
  // A click on empty space, not a drag: it lets go of the selection, as on a canvas not zoomed.
  if (!ended.moved && ended.onNothing && !spaceHeld) select(null);
}

// Two fingers: the distance between them sets the zoom, about the point between them.
function onTouchDown(event) {
  if (event.pointerType !== "touch" || cropping()) return;
  touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
  if (touches.size === 2) {
    pan = null;
    preview().classList.remove("panning");
    pinch = { distance: spread(), zoom };
  }
}

function onTouchMove(event) {
  if (!touches.has(event.pointerId)) return;
  touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
  if (!pinch || touches.size !== 2) return;
  const [a, b] = touches.values();
  setZoom((pinch.zoom * spread()) / Math.max(1, pinch.distance), (a.x + b.x) / 2, (a.y + b.y) / 2);
}

function onTouchUp(event) {
  touches.delete(event.pointerId);
  if (touches.size < 2) pinch = null;
}

function spread() {
  const [a, b] = touches.values();
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function onKeyDown(event) {
  if (event.target.id !== "preview") return;
  if (event.key === " ") {
    event.preventDefault();
    spaceHeld = true;
    preview().classList.add("grab");
    return;
  }
  const keys = { "+": zoomIn, "=": zoomIn, "-": zoomOut, 0: zoomToFit };
  if (keys[event.key] && !cropping() && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    keys[event.key]();
  }
}

function onKeyUp(event) {
  if (event.key !== " ") return;
  spaceHeld = false;
  preview().classList.remove("grab");
}

// An answer swaps the preview's drawing: its scroll position would fall back to the top left.
export function keepScroll() {
  const box = preview();
  kept = { left: box.scrollLeft, top: box.scrollTop };
}

export function restoreScroll() {
  if (!kept) return;
  const box = preview();
  box.scrollLeft = kept.left;
  box.scrollTop = kept.top;
  kept = null;
}

// The preview's part and the zoom buttons, inside the editor's body: wired again when another
// side is shown.
export function wireZoom() {
  const box = preview();
  box.addEventListener("wheel", onWheel, { passive: false });
  box.addEventListener("pointerdown", onTouchDown, true);
  box.addEventListener("pointermove", onTouchMove, true);
  box.addEventListener("pointerup", onTouchUp, true);
  box.addEventListener("pointercancel", onTouchUp, true);
  box.addEventListener("pointermove", onPanMove);
  box.addEventListener("pointerup", onPanEnd);
  box.addEventListener("pointercancel", onPanEnd);
  const actions = { "zoom-in": zoomIn, "zoom-out": zoomOut, "zoom-fit": zoomToFit };
  for (const [id, action] of Object.entries(actions)) {
    const button = document.getElementById(id);
    if (button) button.addEventListener("click", () => button.getAttribute("aria-disabled") !== "true" && action());
  }
  announce();
}

// The keys (+, −, 0, the space bar), on the document, once.
export function startZoom() {
  document.addEventListener("keydown", onKeyDown);
  document.addEventListener("keyup", onKeyUp);
}
