// The canvas: the preview is the composer's SVG, in millimetres (getScreenCTM maps the pointer to
// mm). The selected layer gets an outline with four resize squares and a rotate knob, drawn into
// the preview and redrawn after every answer. A layer's geometry is read from its panel's numeric
// fields, the newest numbers on the page.
import { editorElement } from "./requests.js";

export const HANDLE_PX = 12;
const SVG_NS = "http://www.w3.org/2000/svg";

let selectedId = null;
// Layers selected beside it (Shift+click), for aligning and distributing them together.
const alsoSelected = new Set();

export function selected() {
  return selectedId;
}

export function selectedIds() {
  return selectedId ? [selectedId, ...alsoSelected] : [];
}

export function previewSvg() {
  return document.querySelector("#preview > svg");
}

export function svgPoint(svg, event) {
  return new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
}

export function mmPerPixel(svg) {
  const matrix = svg.getScreenCTM();
  return matrix ? 1 / Math.hypot(matrix.a, matrix.b) : 1;
}

export function svgElement(name, attributes) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

export function round(value) {
  return Math.round(value * 100) / 100;
}

export function layerItem(id) {
  return document.getElementById("layer-" + id);
}

export function layerGroup(id) {
  const svg = previewSvg();
  return svg && svg.querySelector(`g.layer[data-layer-id="${CSS.escape(id)}"]`);
}

export function geometryOf(id) {
  const read = (name) => {
    const field = document.getElementById(`f-${id}-${name}`);
    return field ? Number(field.value) || 0 : 0;
  };
  return { x: read("x"), y: read("y"), width: read("width"), height: read("height"), rotation: read("rotation") };
}

export function setGeometryFields(id, values) {
  for (const [name, value] of Object.entries(values)) {
    const field = document.getElementById(`f-${id}-${name}`);
    if (field) field.value = value;
  }
}

export function nameOf(id) {
  const item = layerItem(id);
  return item ? item.dataset.name : "the layer";
}

export function isMovable(id) {
  const item = layerItem(id);
  return item && !item.hasAttribute("data-locked-move");
}

export function lockedMessage(id) {
  return `“${nameOf(id)}” is locked: it cannot be moved.`;
}

export function select(id) {
  selectedId = id;
  alsoSelected.clear();
  showSelection();
}

// Shift+click: the layer joins the selection, or leaves it.
export function toggleSelected(id) {
  if (!selectedId) return select(id);
  if (id === selectedId) {
    const [next] = alsoSelected;
    alsoSelected.delete(next);
    selectedId = next || null;
  } else if (alsoSelected.has(id)) alsoSelected.delete(id);
  else alsoSelected.add(id);
  showSelection();
}

// After an answer: a layer that is gone is no longer selected.
export function forgetGoneSelection() {
  for (const id of alsoSelected) if (!layerItem(id)) alsoSelected.delete(id);
  if (selectedId && !layerItem(selectedId)) {
    const [next] = alsoSelected;
    alsoSelected.delete(next);
    selectedId = next || null;
  }
}

export function showSelection(geometry) {
  const editor = editorElement();
  const ids = selectedIds();
  for (const button of editor.querySelectorAll(".layer .select")) {
    button.setAttribute("aria-pressed", String(ids.includes(button.closest(".layer").dataset.layerId)));
  }
  for (const item of editor.querySelectorAll(".layer")) {
    item.classList.toggle("selected", ids.includes(item.dataset.layerId));
  }
  editor.dispatchEvent(new CustomEvent("pw:selection", { detail: { ids } }));
  const svg = previewSvg();
  if (!svg) return;
  for (const old of svg.querySelectorAll("g.pw-selection")) old.remove();
  for (const id of alsoSelected) {
    if (!layerItem(id)) continue;
    const other = geometryOf(id);
    const ox = other.x + other.width / 2;
    const oy = other.y + other.height / 2;
    const outline = svgElement("g", { class: "pw-selection also", transform: `rotate(${other.rotation} ${ox} ${oy})`, "aria-hidden": "true" });
    outline.append(svgElement("rect", { class: "outline", x: other.x, y: other.y, width: other.width, height: other.height }));
    svg.append(outline);
  }
  if (!selectedId || !layerItem(selectedId)) return;
  const box = geometry || geometryOf(selectedId);
  const size = HANDLE_PX * mmPerPixel(svg);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const movable = isMovable(selectedId);
  const group = svgElement("g", {
    class: "pw-selection" + (movable ? "" : " locked"),
    transform: `rotate(${box.rotation} ${cx} ${cy})`,
    "aria-hidden": "true",
  });
  group.append(svgElement("rect", { class: "outline", x: box.x, y: box.y, width: box.width, height: box.height }));
  if (movable) {
    const knobY = box.y - 3 * size;
    group.append(svgElement("line", { class: "outline", x1: cx, y1: box.y, x2: cx, y2: knobY }));
    group.append(svgElement("circle", { class: "handle", "data-handle": "rotate", cx, cy: knobY, r: size / 2 }));
    for (const [sx, sy] of [[-1, -1], [1, -1], [1, 1], [-1, 1]]) {
      group.append(
        svgElement("rect", {
          class: "handle",
          "data-handle": `${sx},${sy}`,
          x: cx + (sx * box.width) / 2 - size / 2,
          y: cy + (sy * box.height) / 2 - size / 2,
          width: size,
          height: size,
        })
      );
    }
  }
  svg.append(group);
}
