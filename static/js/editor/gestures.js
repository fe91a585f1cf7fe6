// Moving layers on the canvas: dragging, resizing and rotating with the pointer (snapping to the
// side's lines and the other layers, see snapping.js), and the arrow keys. Each gesture ends in
// one request with the new numbers. A click on a layer selects it and gives the preview the
// keyboard, so the arrow keys move what was clicked; Shift+click adds it to the selection.
// The pointer on empty space (or with the space bar held) pans the zoomed canvas (zoom.js).
import {
  geometryOf,
  isMovable,
  layerGroup,
  layerItem,
  lockedMessage,
  mmPerPixel,
  nameOf,
  previewSvg,
  round,
  select,
  selected,
  setGeometryFields,
  showSelection,
  svgPoint,
  toggleSelected,
} from "./canvas.js";
import { startDesignAreaDrag } from "./design-area.js";
import { say } from "./messages.js";
import { send } from "./requests.js";
import { clearGuides, showGuides, snapLines, snapMove, snapResize, snapping } from "./snapping.js";
import { panning, pinching, startPan } from "./zoom.js";

const MIN_SIZE_MM = 1;
const ARROW_STEP_MM = 1;
const ARROW_BIG_STEP_MM = 10;
const ARROW_SEND_DELAY_MS = 200;

let gesture = null;

export function onPointerDown(event) {
  const svg = previewSvg();
  if (!svg || event.button !== 0 || pinching() || panning()) return;
  if (startPan(event)) return;
  if (!svg.contains(event.target)) return;
  const handle = event.target.closest("[data-handle]");
  const hit = event.target.closest("g.layer[data-layer-id]");
  if (!handle && !hit) {
    if (event.target.closest("[data-design-area]")) return startDesignAreaDrag(event, svg);
    select(null);
    return;
  }
  const id = handle ? selected() : hit.dataset.layerId;
  if (!layerItem(id)) return;
  // The keyboard goes where the pointer went: the arrow keys now move this layer.
  document.getElementById("preview").focus({ preventScroll: true });
  if (event.shiftKey && !handle) {
    event.preventDefault();
    toggleSelected(id);
    return;
  }
  if (id !== selected()) select(id);
  if (!isMovable(id)) {
    say(lockedMessage(id), { error: true });
    return;
  }
  event.preventDefault();
  svg.setPointerCapture(event.pointerId);
  const group = layerGroup(id);
  gesture = {
    id,
    svg,
    start: svgPoint(svg, event),
    kind: handle ? handle.dataset.handle : "move",
    box: geometryOf(id),
    group,
    transform: group ? group.getAttribute("transform") || "" : "",
    lines: snapLines(svg, [id]),
    moved: false,
  };
}

export function onPointerMove(event) {
  if (!gesture) return;
  if (pinching()) return cancelGesture();
  const point = svgPoint(gesture.svg, event);
  const dx = point.x - gesture.start.x;
  const dy = point.y - gesture.start.y;
  if (!gesture.moved && Math.hypot(dx, dy) < mmPerPixel(gesture.svg) * 3) return;
  gesture.moved = true;
  gesture.next = snapped(gesture, nextGeometry(gesture, point, dx, dy, event.shiftKey), event);
  if (gesture.kind === "move" && gesture.group) {
    const shiftX = gesture.next.x - gesture.box.x;
    const shiftY = gesture.next.y - gesture.box.y;
    gesture.group.setAttribute("transform", `translate(${shiftX} ${shiftY}) ${gesture.transform}`);
  }
  showSelection(gesture.next);
}

function snapped(drag, next, event) {
  if (drag.kind === "rotate" || !snapping(event)) {
    clearGuides(drag.svg);
    return next;
  }
  const result =
    drag.kind === "move"
      ? snapMove(drag.svg, next, drag.lines)
      : snapResize(drag.svg, next, drag.kind.split(",").map(Number), drag.lines, MIN_SIZE_MM);
  showGuides(drag.svg, result.guides);
  const box = result.box;
  return { ...box, x: fine(box.x), y: fine(box.y), width: fine(box.width), height: fine(box.height) };
}

// Snapped numbers keep their exactness (a centre on 42.5 mm, not 42.505): to 0.1 µm.
function fine(value) {
  return Math.round(value * 10000) / 10000;
}

// A second finger came down: the pinch zooms, the layer goes back where it was.
function cancelGesture() {
  const drag = gesture;
  gesture = null;
  if (drag.group) drag.group.setAttribute("transform", drag.transform);
  clearGuides(drag.svg);
  showSelection();
}

function nextGeometry(drag, point, dx, dy, snap) {
  const box = drag.box;
  if (drag.kind === "move") return { ...box, x: round(box.x + dx), y: round(box.y + dy) };
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  if (drag.kind === "rotate") {
    let angle = (Math.atan2(point.y - cy, point.x - cx) * 180) / Math.PI + 90;
    angle = snap ? Math.round(angle / 15) * 15 : Math.round(angle);
    if (angle > 180) angle -= 360;
    return { ...box, rotation: angle };
  }
  // A corner: the opposite corner stays where it is, in the layer's own (rotated) axes.
  const [sx, sy] = drag.kind.split(",").map(Number);
  const radians = (box.rotation * Math.PI) / 180;
  const u = [Math.cos(radians), Math.sin(radians)];
  const v = [-Math.sin(radians), Math.cos(radians)];
  const anchor = [
    cx - (sx * box.width * u[0]) / 2 - (sy * box.height * v[0]) / 2,
    cy - (sx * box.width * u[1]) / 2 - (sy * box.height * v[1]) / 2,
  ];
  const d = [point.x - anchor[0], point.y - anchor[1]];
  const width = Math.max(MIN_SIZE_MM, sx * (d[0] * u[0] + d[1] * u[1]));
  const height = Math.max(MIN_SIZE_MM, sy * (d[0] * v[0] + d[1] * v[1]));
  const centre = [
    anchor[0] + (sx * width * u[0]) / 2 + (sy * height * v[0]) / 2,
    anchor[1] + (sx * width * u[1]) / 2 + (sy * height * v[1]) / 2,
  ];
  return {
    ...box,
    x: round(centre[0] - width / 2),
    y: round(centre[1] - height / 2),
    width: round(width),
    height: round(height),
  };
}

export function onPointerUp() {
  if (!gesture) return;
  const drag = gesture;
  gesture = null;
  clearGuides(drag.svg);
  if (!drag.moved || !drag.next) return;
  const fields = { move: ["x", "y"], rotate: ["rotation"] }[drag.kind] || ["x", "y", "width", "height"];
  const body = Object.fromEntries(fields.map((name) => [name, drag.next[name]]));
  setGeometryFields(drag.id, body);
  send("PATCH", layerItem(drag.id).dataset.url, body);
}

// Arrow keys move the selected layer; the moves of a quick series go as one request.

let nudge = null;

export function onKeyDown(event) {
  const key = event.key;
  if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z" && !isTyping(event.target)) {
    event.preventDefault();
    document.getElementById(event.shiftKey ? "redo" : "undo").click();
    return;
  }
  const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  const id = selected();
  if (!(key in arrows) || !id) return;
  const onPreview = event.target.id === "preview";
  const onSelected = event.target.id === "s-" + id;
  if (!onPreview && !onSelected) return;
  event.preventDefault();
  if (!isMovable(id)) {
    say(lockedMessage(id), { error: true });
    return;
  }
  const step = event.shiftKey ? ARROW_BIG_STEP_MM : ARROW_STEP_MM;
  if (!nudge || nudge.id !== id) {
    flushNudge();
    nudge = { id, box: geometryOf(id), dx: 0, dy: 0, group: layerGroup(id) };
    nudge.transform = nudge.group ? nudge.group.getAttribute("transform") || "" : "";
  }
  nudge.dx += arrows[key][0] * step;
  nudge.dy += arrows[key][1] * step;
  if (nudge.group) nudge.group.setAttribute("transform", `translate(${nudge.dx} ${nudge.dy}) ${nudge.transform}`);
  const next = { x: round(nudge.box.x + nudge.dx), y: round(nudge.box.y + nudge.dy) };
  showSelection({ ...nudge.box, ...next });
  say(`“${nameOf(id)}” at ${next.x} mm from the left, ${next.y} mm from the top.`);
  clearTimeout(nudge.timer);
  nudge.timer = setTimeout(flushNudge, ARROW_SEND_DELAY_MS);
}

function flushNudge() {
  if (!nudge) return;
  const pending = nudge;
  nudge = null;
  clearTimeout(pending.timer);
  const body = { x: round(pending.box.x + pending.dx), y: round(pending.box.y + pending.dy) };
  setGeometryFields(pending.id, body);
  send("PATCH", layerItem(pending.id).dataset.url, body);
}

function isTyping(element) {
  return element.matches("input, textarea, select, [contenteditable]");
}
