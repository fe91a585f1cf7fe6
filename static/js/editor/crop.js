// Cropping a photo in its frame. In crop mode (the photo's Crop button, a double-click on the
// photo, or Enter on the canvas with the photo selected) the frame stays put and the photo moves
// and zooms inside it: dragging pans it, the zoom slider, Ctrl+wheel or a pinch zoom it, the arrow
// keys pan and + / − zoom; Escape, the Crop button again, or a click elsewhere leaves the mode.
//
// The crop (the layer's `crop`: x, y, width and height as fractions of the picture) keeps the
// frame's proportions, so the picture fills the frame exactly whether the layer fits it by cover or
// contain. Zoom 1 is the largest such crop the picture holds. The preview's picture is moved on
// the page while a gesture lasts; its end sends one PATCH of `crop`, and the composer redraws.
// The effective DPI (the picture's pixels across the crop over the frame's width in inches) is
// shown as the zoom changes.
import { geometryOf, layerGroup, layerItem, nameOf, previewSvg, select, selected, svgElement, svgPoint } from "./canvas.js";
import { say } from "./messages.js";
import { send } from "./requests.js";

const MAX_ZOOM = 8;
const BLURRY_DPI = 150;
const KEY_PAN_SHARE = 0.05; // of the frame, per arrow key (four times that with Shift)
const KEY_ZOOM_STEP = 1.1;
const WHEEL_ZOOM_RATE = 0.002; // per wheel pixel
const SEND_DELAY_MS = 400; // after the last key or wheel step, the crop is sent
const MOVE_THRESHOLD_PX = 3;

let state = null;

function toolsOf(id) {
  return document.getElementById("photo-tools-" + id);
}

function pictureOf(id) {
  const group = layerGroup(id);
  return group && group.querySelector("image");
}

function canCrop(id) {
  const tools = toolsOf(id);
  return Boolean(tools && tools.querySelector("[data-crop-toggle]") && pictureOf(id));
}

// Wire crop mode to the page; called before gestures.js is wired, so that in crop mode the
// pointer and the keys on the photo are the crop's.
// The preview's part, wired before the other gestures' (in crop mode the photo's pointer is the
// crop's), and again when another side is shown.
export function wireCropOnPreview(preview) {
  preview.addEventListener("pointerdown", onPointerDown);
  preview.addEventListener("pointermove", onPointerMove);
  preview.addEventListener("pointerup", onPointerUp);
  preview.addEventListener("pointercancel", onPointerUp);
  preview.addEventListener("wheel", onWheel, { passive: false });
  // The double-click's target is the SVG that captured the pointer: the layer is the one its
  // first click selected.
  preview.addEventListener("dblclick", () => {
    const id = selected();
    if (id && !state && canCrop(id)) startCrop(id);
  });
}

export function wireCrop(editor) {
  document.addEventListener("keydown", onKeyDown);
  editor.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-crop-toggle]");
    if (toggle) {
      const id = toggle.closest("[data-photo-tools]").dataset.photoTools;
      if (state && state.id === id) finishCrop();
      else startCrop(id);
      return;
    }
    const chosen = event.target.closest(".layer .select");
    if (state && chosen && chosen.closest(".layer").dataset.layerId !== state.id) finishCrop();
  });
  editor.addEventListener("input", (event) => {
    if (!state || !event.target.matches("[data-crop-zoom]")) return;
    zoomTo(Number(event.target.value));
    state.dirty = true;
    draw();
  });
  editor.addEventListener("change", (event) => {
    if (state && event.target.matches("[data-crop-zoom]")) commit();
  });
  document.addEventListener("htmx:afterSwap", onAfterSwap);
}

export function startCrop(id) {
  if (!canCrop(id)) return;
  if (state) finishCrop();
  if (selected() !== id) select(id);
  const picture = pictureOf(id);
  state = { id, pointers: new Map(), gesture: null, timer: null, dirty: false, sent: false, original: saved(picture) };
  load();
  draw();
  showMode(true);
  say(`Cropping “${nameOf(id)}”: drag the photo or use the arrow keys to move it, + and − to zoom, Escape when done.`);
}

export function finishCrop() {
  if (!state) return;
  commit();
  const ended = state;
  state = null;
  if (!ended.sent) restore(ended.id, ended.original);
  const ghost = previewSvg() && previewSvg().querySelector("g.pw-crop");
  if (ghost) ghost.remove();
  showMode(false, ended.id);
  say(ended.sent ? `“${nameOf(ended.id)}” cropped.` : `Finished cropping “${nameOf(ended.id)}”.`);
}

// The crop as the layer holds it, made to the frame's proportions: the largest part of it that
// has them, around its centre.
function load() {
  const tools = toolsOf(state.id);
  const picture = pictureOf(state.id);
  const frame = geometryOf(state.id);
  const known = Number(tools.dataset.widthPx) > 0 && Number(tools.dataset.heightPx) > 0;
  const px = known
    ? { w: Number(tools.dataset.widthPx), h: Number(tools.dataset.heightPx) }
    : { w: picture.width.baseVal.value, h: picture.height.baseVal.value };
  const [x, y, w, h] = (tools.dataset.crop || "0 0 1 1").split(" ").map(Number);
  const pictureRatio = px.w / px.h;
  const frameRatio = frame.width / frame.height;
  const base = pictureRatio >= frameRatio ? { w: frameRatio / pictureRatio, h: 1 } : { w: 1, h: pictureRatio / frameRatio };
  Object.assign(state, { frame, px, known, base, rect: { x: 0, y: 0, w: base.w, h: base.h }, zoom: 1 });
  const width = Math.min(w, (h * base.w) / base.h);
  zoomTo(base.w / width, { x: x + w / 2, y: y + h / 2 });
}

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

// Zoom to `zoom`, keeping `centre` (fractions of the picture; default: the crop's centre) in the
// middle of the frame.
function zoomTo(zoom, centre) {
  const { rect, base } = state;
  const middle = centre || { x: rect.x + rect.w / 2, y: rect.y + rect.h / 2 };
  state.zoom = clamp(zoom, 1, MAX_ZOOM);
  const w = base.w / state.zoom;
  const h = base.h / state.zoom;
  state.rect = { x: clamp(middle.x - w / 2, 0, 1 - w), y: clamp(middle.y - h / 2, 0, 1 - h), w, h };
}

// Zoom by `factor` from the gesture's starting crop, keeping the picture's point at `anchor`
// (fractions of the frame) where it is.
function zoomFrom(start, factor, anchor) {
  const point = { x: start.rect.x + anchor.x * start.rect.w, y: start.rect.y + anchor.y * start.rect.h };
  state.zoom = clamp(start.zoom * factor, 1, MAX_ZOOM);
  const w = state.base.w / state.zoom;
  const h = state.base.h / state.zoom;
  state.rect = { x: clamp(point.x - anchor.x * w, 0, 1 - w), y: clamp(point.y - anchor.y * h, 0, 1 - h), w, h };
}

// Move the picture by (dx, dy) mm in the frame's own axes, from `start` (a crop).
function panFrom(start, dx, dy) {
  const { rect, frame } = state;
  state.rect = {
    ...rect,
    x: clamp(start.x - (dx * rect.w) / frame.width, 0, 1 - rect.w),
    y: clamp(start.y - (dy * rect.h) / frame.height, 0, 1 - rect.h),
  };
}

// A point of the preview in the frame's own axes (it may be rotated), as mm from its top-left.
function inFrame(point) {
  const { frame } = state;
  const cx = frame.x + frame.width / 2;
  const cy = frame.y + frame.height / 2;
  const radians = (-frame.rotation * Math.PI) / 180;
  const dx = point.x - cx;
  const dy = point.y - cy;
  return {
    x: dx * Math.cos(radians) - dy * Math.sin(radians) + frame.width / 2,
    y: dx * Math.sin(radians) + dy * Math.cos(radians) + frame.height / 2,
  };
}

// The picture drawn where the crop puts it, the frame clipping it, and the rest of the picture
// faint around the frame.
function draw() {
  const picture = pictureOf(state.id);
  const svg = previewSvg();
  if (!picture || !svg) return;
  const { frame, rect, px } = state;
  const scale = frame.width / (rect.w * px.w);
  const placed = {
    x: frame.x - rect.x * px.w * scale,
    y: frame.y - rect.y * px.h * scale,
    width: px.w * scale,
    height: px.h * scale,
  };
  for (const [name, value] of Object.entries(placed)) picture.setAttribute(name, value);
  const clip = clipOf(picture);
  if (clip) for (const name of ["x", "y", "width", "height"]) clip.setAttribute(name, frame[name]);
  const old = svg.querySelector("g.pw-crop");
  if (old) old.remove();
  const group = layerGroup(state.id);
  const ghost = svgElement("g", { class: "pw-crop", "aria-hidden": "true" });
  if (group.getAttribute("transform")) ghost.setAttribute("transform", group.getAttribute("transform"));
  const faint = svgElement("image", { class: "ghost", href: picture.getAttribute("href"), preserveAspectRatio: "none", ...placed });
  ghost.append(faint, svgElement("rect", { class: "frame", x: frame.x, y: frame.y, width: frame.width, height: frame.height }));
  svg.append(ghost);
  showZoom();
}

function clipOf(picture) {
  const holder = picture.closest("[clip-path]");
  const match = holder && /url\(#([^)]+)\)/.exec(holder.getAttribute("clip-path"));
  const clip = match && document.getElementById(match[1]);
  return clip && clip.querySelector("rect");
}

function saved(picture) {
  const clip = clipOf(picture);
  const names = ["x", "y", "width", "height"];
  return {
    picture: Object.fromEntries(names.map((name) => [name, picture.getAttribute(name)])),
    clip: clip ? Object.fromEntries(names.map((name) => [name, clip.getAttribute(name)])) : null,
  };
}

function restore(id, original) {
  const picture = pictureOf(id);
  if (!picture) return;
  for (const [name, value] of Object.entries(original.picture)) picture.setAttribute(name, value);
  const clip = clipOf(picture);
  if (clip && original.clip) for (const [name, value] of Object.entries(original.clip)) clip.setAttribute(name, value);
}

function dpi() {
  return state.known ? (state.rect.w * state.px.w) / (state.frame.width / 25.4) : null;
}

function showZoom() {
  const tools = toolsOf(state.id);
  if (!tools) return;
  const slider = tools.querySelector("[data-crop-zoom]");
  const shown = dpi();
  const percent = `${Math.round(state.zoom * 100)} %`;
  if (document.activeElement !== slider) slider.value = String(state.zoom);
  slider.setAttribute("aria-valuetext", shown ? `${percent}, ${Math.round(shown)} dpi` : percent);
  tools.querySelector("[data-crop-dpi]").textContent = shown ? `Prints at ${Math.round(shown)} dpi at this size.` : "";
  const blurry = shown !== null && shown < BLURRY_DPI ? "This photo may print blurry at this size: zoom out or make the frame smaller." : "";
  const warning = tools.querySelector("[data-crop-blurry]");
  if (warning.textContent !== blurry) warning.textContent = blurry;
}

function showMode(on, id = state && state.id) {
  const preview = document.getElementById("preview");
  preview.classList.toggle("cropping", on);
  const tools = id && toolsOf(id);
  if (!tools) return;
  const toggle = tools.querySelector("[data-crop-toggle]");
  if (toggle) toggle.setAttribute("aria-pressed", String(on));
  const zoom = tools.querySelector(".crop-zoom");
  if (zoom) zoom.hidden = !on;
}

// One PATCH of the crop, at the end of a gesture (or soon after the last key or wheel step).
function commit() {
  clearTimeout(state.timer);
  if (!state.dirty) return;
  state.dirty = false;
  state.sent = true;
  const round = (value) => Math.round(value * 1e6) / 1e6;
  const w = Math.min(1, round(state.rect.w));
  const h = Math.min(1, round(state.rect.h));
  const crop = { x: Math.min(round(state.rect.x), 1 - w), y: Math.min(round(state.rect.y), 1 - h), width: w, height: h };
  toolsOf(state.id).dataset.crop = [crop.x, crop.y, crop.width, crop.height].join(" ");
  send("PATCH", layerItem(state.id).dataset.url, { crop }, { fromField: true });
}

function commitSoon() {
  state.dirty = true;
  clearTimeout(state.timer);
  state.timer = setTimeout(commit, SEND_DELAY_MS);
}

// Pointers: one drags the picture, two pinch it.

function onPointerDown(event) {
  if (!state) return;
  const svg = previewSvg();
  if (!svg || !svg.contains(event.target)) return;
  const onPhoto = event.target.closest(`g.layer[data-layer-id="${CSS.escape(state.id)}"], g.pw-crop`);
  if (!onPhoto) {
    finishCrop(); // and gestures.js takes the pointer: another layer, or nothing, is selected
    return;
  }
  event.stopImmediatePropagation();
  event.preventDefault();
  svg.setPointerCapture(event.pointerId);
  state.pointers.set(event.pointerId, svgPoint(svg, event));
  beginGesture();
}

function beginGesture() {
  const points = [...state.pointers.values()];
  state.gesture = { rect: { ...state.rect }, zoom: state.zoom, points, moved: state.gesture ? state.gesture.moved : false };
}

function onPointerMove(event) {
  if (!state || !state.gesture || !state.pointers.has(event.pointerId)) return;
  event.stopImmediatePropagation();
  // The preview's SVG may have been swapped in anew since the gesture began (an earlier crop's
  // answer): the same millimetres, a new element.
  const svg = previewSvg();
  if (!svg) return;
  state.pointers.set(event.pointerId, svgPoint(svg, event));
  const now = [...state.pointers.values()];
  const then = state.gesture.points;
  if (now.length !== then.length) return;
  const start = state.gesture;
  const middle = (points) => ({
    x: points.reduce((sum, p) => sum + p.x, 0) / points.length,
    y: points.reduce((sum, p) => sum + p.y, 0) / points.length,
  });
  const from = inFrame(middle(then));
  const to = inFrame(middle(now));
  const matrix = svg.getScreenCTM();
  const pxPerMm = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
  if (!start.moved && Math.hypot(to.x - from.x, to.y - from.y) * pxPerMm < MOVE_THRESHOLD_PX && now.length === 1) return;
  start.moved = true;
  state.rect = { ...start.rect };
  state.zoom = start.zoom;
  if (now.length === 2) {
    const apart = (points) => Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y) || 1;
    zoomFrom(start, apart(now) / apart(then), { x: from.x / state.frame.width, y: from.y / state.frame.height });
    panFrom(state.rect, to.x - from.x, to.y - from.y);
  } else {
    panFrom(start.rect, to.x - from.x, to.y - from.y);
  }
  draw();
}

function onPointerUp(event) {
  if (!state || !state.pointers.has(event.pointerId)) return;
  event.stopImmediatePropagation();
  state.pointers.delete(event.pointerId);
  const moved = state.gesture && state.gesture.moved;
  if (state.pointers.size) {
    beginGesture(); // a pinch became a drag: it goes on from here
    return;
  }
  state.gesture = null;
  if (moved) {
    state.dirty = true;
    commit();
  }
}

function onWheel(event) {
  if (!state || !(event.ctrlKey || event.metaKey)) return;
  const svg = previewSvg();
  if (!svg || !event.target.closest(`g.layer[data-layer-id="${CSS.escape(state.id)}"], g.pw-crop`)) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  const at = inFrame(svgPoint(svg, event));
  const start = { rect: { ...state.rect }, zoom: state.zoom };
  zoomFrom(start, Math.exp(-event.deltaY * WHEEL_ZOOM_RATE), {
    x: clamp(at.x / state.frame.width, 0, 1),
    y: clamp(at.y / state.frame.height, 0, 1),
  });
  draw();
  commitSoon();
}

// Keys: Enter on the canvas starts cropping the selected photo; in crop mode the arrows pan,
// + and − zoom and Escape (or Enter on the canvas) leaves.

const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

function onKeyDown(event) {
  const target = event.target;
  if (!state) {
    if (event.key === "Enter" && target.id === "preview" && selected() && canCrop(selected())) {
      event.preventDefault();
      startCrop(selected());
    }
    return;
  }
  const tools = toolsOf(state.id);
  const slider = target.matches("[data-crop-zoom]");
  const ours = target.id === "preview" || target.id === "s-" + state.id || (tools && tools.contains(target) && !target.matches("input[type=file]"));
  if (!ours) return;
  const key = event.key;
  if (key === "Escape" || (key === "Enter" && target.id === "preview")) {
    event.preventDefault();
    finishCrop();
    return;
  }
  if (key in ARROWS && !slider) {
    const share = KEY_PAN_SHARE * (event.shiftKey ? 4 : 1);
    const [sx, sy] = ARROWS[key];
    panFrom(state.rect, sx * share * state.frame.width, sy * share * state.frame.height);
  } else if (key === "+" || key === "=") {
    zoomTo(state.zoom * KEY_ZOOM_STEP);
  } else if (key === "-" || key === "_" || key === "−") {
    zoomTo(state.zoom / KEY_ZOOM_STEP);
  } else {
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
  draw();
  commitSoon();
}

// After an answer: the new preview gets the crop drawn again; a new layer panel (undo, another
// edit) brings the layer's crop as the server holds it. A photo gone, or no longer croppable,
// ends the mode.
function onAfterSwap(event) {
  if (!state || !["preview", "layers"].includes(event.target.id)) return;
  if (!canCrop(state.id)) {
    const ended = state.id;
    state = null;
    showMode(false, ended);
    return;
  }
  if (event.target.id === "layers") {
    if (state.dirty) return; // a crop still to send wins over what the answer shows
    load();
    showMode(true);
  }
  draw();
}
