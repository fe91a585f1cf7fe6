// Aligning and spacing layers (templates/editor/_arrange.html). One selected layer aligns to the
// design area (the trim box); several (Shift+click) align to the box around them all; three or
// more can be spaced evenly across or down. Layers are aligned by what they cover on the page
// (a turned layer's upright bounding box). Locked layers stay where they are.
import { geometryOf, isMovable, nameOf, previewSvg, round, selectedIds, setGeometryFields, showSelection } from "./canvas.js";
import { say } from "./messages.js";
import { editorElement, send } from "./requests.js";
import { sideGeometry, uprightBox } from "./snapping.js";

const ALIGN = {
  left: { axis: "x", at: 0 },
  centre: { axis: "x", at: 0.5 },
  right: { axis: "x", at: 1 },
  top: { axis: "y", at: 0 },
  middle: { axis: "y", at: 0.5 },
  bottom: { axis: "y", at: 1 },
};
const SIZE = { x: "width", y: "height" };

function movableSelection() {
  const ids = selectedIds();
  const locked = ids.filter((id) => !isMovable(id));
  if (locked.length) say(`“${nameOf(locked[0])}” is locked: it stays where it is.`, { error: true });
  return ids.filter((id) => isMovable(id)).map((id) => ({ id, box: geometryOf(id), upright: uprightBox(geometryOf(id)) }));
}

function bounds(items, axis) {
  const size = SIZE[axis];
  const start = Math.min(...items.map((item) => item.upright[axis]));
  const end = Math.max(...items.map((item) => item.upright[axis] + item.upright[size]));
  return { start, length: end - start };
}

function align(edge) {
  const { axis, at } = ALIGN[edge];
  const size = SIZE[axis];
  const items = movableSelection();
  if (!items.length) return;
  const side = sideGeometry(previewSvg());
  const several = selectedIds().length > 1;
  const frame = several ? bounds(items, axis) : { start: 0, length: side[size] };
  const changes = items.map(({ id, box, upright }) => {
    const target = frame.start + at * frame.length - at * upright[size];
    return { id, [axis]: round(box[axis] + target - upright[axis]) };
  });
  apply(changes, several ? `Aligned ${items.length} layers` : `“${nameOf(items[0].id)}” aligned to the design area`);
}

function distribute(axis) {
  const size = SIZE[axis];
  const items = movableSelection().sort((a, b) => a.upright[axis] - b.upright[axis]);
  if (items.length < 3) {
    say("Select three or more layers (Shift+click them) to space them evenly.", { error: true });
    return;
  }
  const frame = bounds(items, axis);
  const taken = items.reduce((sum, item) => sum + item.upright[size], 0);
  const gap = (frame.length - taken) / (items.length - 1);
  let next = frame.start;
  const changes = items.map(({ id, box, upright }) => {
    const change = { id, [axis]: round(box[axis] + next - upright[axis]) };
    next += upright[size] + gap;
    return change;
  });
  apply(changes, `${items.length} layers spaced evenly ${axis === "x" ? "across" : "down"}`);
}

// The layers that move go in one request (one undo step).
function apply(changes, done) {
  const moved = changes.filter((change) => {
    const box = geometryOf(change.id);
    return Object.entries(change).some(([name, value]) => name !== "id" && Math.abs(box[name] - value) > 0.005);
  });
  if (!moved.length) {
    say("Already in place.");
    return;
  }
  for (const { id, ...values } of moved) setGeometryFields(id, values);
  showSelection();
  send("PATCH", document.getElementById("arrange").dataset.url, { layers: moved });
  say(done + ".");
}

// The toolbar's buttons: off (aria-disabled, still focusable, saying why) until enough is selected.
export function onSelectionChanged(event) {
  const count = event.detail.ids.length;
  for (const button of editorElement().querySelectorAll("[data-align]")) {
    button.setAttribute("aria-disabled", String(count < 1));
  }
  for (const button of editorElement().querySelectorAll("[data-distribute]")) {
    button.setAttribute("aria-disabled", String(count < 3));
  }
}

export function onArrangeClick(event) {
  const button = event.target.closest("[data-align], [data-distribute]");
  if (!button) return;
  if (button.getAttribute("aria-disabled") === "true") {
    const three = button.hasAttribute("data-distribute");
    say(three ? "Select three or more layers (Shift+click them) to space them evenly." : "Select a layer first.", { error: true });
    return;
  }
  if (button.dataset.align) align(button.dataset.align);
  else distribute(button.dataset.distribute);
}
