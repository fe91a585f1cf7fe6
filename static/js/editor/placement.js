// New layers go where there is room: inside the safe zone (the trim box when the side has none),
// clear of the other layers when a spot is free, else where they overlap least, nearest the
// middle. Worked out here, before the request, because the page already holds every layer's box
// and the side's geometry, and the add route stays one plain "add this layer" for API clients.
// The new layer gets its id here too, so it can be selected once the answer shows it.
import { previewSvg, select, layerItem, geometryOf } from "./canvas.js";
import { layerIds, sideGeometry, uprightBox } from "./snapping.js";

// A layer covering most of the side (a background photo) leaves no free space anywhere: it is
// not in the way.
const BACKGROUND_SHARE = 0.8;
const GAP_MM = 1;
const GRID_CELLS = 80;

let awaited = null;

function overlap(a, b) {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

function positions(from, room, size, step) {
  if (room <= size) return [from + (room - size) / 2];
  const spots = [];
  for (let at = from; at < from + room - size; at += step) spots.push(at);
  spots.push(from + room - size);
  return spots;
}

// Where a new width × height mm box goes on the side drawn in `svg`: {x, y} in mm.
export function freeSpot(svg, width, height) {
  const side = sideGeometry(svg);
  const area = { x: side.safe, y: side.safe, width: side.width - 2 * side.safe, height: side.height - 2 * side.safe };
  const obstacles = layerIds()
    .map((id) => uprightBox(geometryOf(id)))
    .filter((box) => overlap(box, area) < BACKGROUND_SHARE * area.width * area.height)
    .map((box) => ({ x: box.x - GAP_MM, y: box.y - GAP_MM, width: box.width + 2 * GAP_MM, height: box.height + 2 * GAP_MM }));
  const step = Math.max(0.5, Math.min(area.width, area.height) / GRID_CELLS);
  const middle = { x: area.x + area.width / 2, y: area.y + area.height / 2 };
  let best = null;
  for (const y of positions(area.y, area.height, height, step)) {
    for (const x of positions(area.x, area.width, width, step)) {
      const box = { x, y, width, height };
      const covered = obstacles.reduce((sum, obstacle) => sum + overlap(box, obstacle), 0);
      const distance = Math.hypot(x + width / 2 - middle.x, y + height / 2 - middle.y);
      if (!best || covered < best.covered - 1e-9 || (Math.abs(covered - best.covered) <= 1e-9 && distance < best.distance)) {
        best = { x, y, covered, distance };
      }
    }
  }
  return { x: Math.round(best.x * 100) / 100, y: Math.round(best.y * 100) / 100 };
}

function newLayerId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "lyr_" + [...bytes].map((byte) => byte.toString(36).padStart(2, "0")).join("");
}

// A click on an "add" button (data-place): its layer's x, y and id are set before htmx sends it.
export function onAddClick(event) {
  const button = event.target.closest("[data-place]");
  const svg = previewSvg();
  if (!button || !svg || button.getAttribute("aria-disabled") === "true") return;
  const values = JSON.parse(button.getAttribute("hx-vals"));
  const spot = freeSpot(svg, values.width, values.height);
  awaited = newLayerId();
  button.setAttribute("hx-vals", JSON.stringify({ ...values, ...spot, id: awaited }));
}

// After an answer: the layer just added, once it is on the page, is the selected one.
export function selectAdded() {
  if (awaited && layerItem(awaited)) {
    select(awaited);
    awaited = null;
  }
}
