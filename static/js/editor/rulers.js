// Rulers along the top and the left of the canvas, in the product's unit (mm, cm or inches: the
// frame's data-unit), measured from the trim box's top-left corner. They follow the zoom and the
// pan: each drawing maps the side's millimetres to the screen (the preview's getScreenCTM) and
// labels the marks at a step that leaves room for the numbers.
import { previewSvg, svgElement } from "./canvas.js";

const MM_PER_UNIT = { mm: 1, cm: 10, inch: 25.4 };
// Label steps, in the unit: the first that puts labels at least LABEL_GAP_PX apart is used.
const STEPS = {
  mm: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
  cm: [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500],
  inch: [0.125, 0.25, 0.5, 1, 2, 4, 6, 12, 24, 48, 96, 192],
};
const LABEL_GAP_PX = 48;
const TICK_PX = { label: 10, minor: 4 };

function frame() {
  return document.getElementById("canvas-frame");
}

export function drawRulers() {
  const holder = frame();
  const svg = previewSvg();
  if (!holder || !svg) return;
  const matrix = svg.getScreenCTM();
  if (!matrix) return;
  const unit = holder.dataset.unit in MM_PER_UNIT ? holder.dataset.unit : "mm";
  const pxPerUnit = matrix.a * MM_PER_UNIT[unit];
  const step = STEPS[unit].find((candidate) => candidate * pxPerUnit >= LABEL_GAP_PX) || STEPS[unit].at(-1);
  const minor = step / (unit === "inch" ? 4 : 5);
  draw(document.getElementById("ruler-top"), "x", matrix.e, pxPerUnit, step, minor);
  draw(document.getElementById("ruler-left"), "y", matrix.f, pxPerUnit, step, minor);
}

// One ruler: `origin` is where the trim's 0 is on the screen (client px) along its axis.
function draw(ruler, axis, origin, pxPerUnit, step, minor) {
  if (!ruler) return;
  const rect = ruler.getBoundingClientRect();
  const across = axis === "x" ? rect.height : rect.width;
  const along = axis === "x" ? rect.width : rect.height;
  const start = (axis === "x" ? rect.left : rect.top) - origin;
  ruler.setAttribute("viewBox", `0 0 ${rect.width} ${rect.height}`);
  const first = Math.ceil(start / pxPerUnit / minor);
  const last = Math.floor((start + along) / pxPerUnit / minor);
  const ticks = [];
  const labels = [];
  for (let index = first; index <= last; index++) {
    const value = index * minor;
    const at = value * pxPerUnit - start;
    const labelled = Math.abs(value / step - Math.round(value / step)) < 1e-6;
    const length = labelled ? TICK_PX.label : TICK_PX.minor;
    ticks.push(axis === "x" ? `M${at} ${across}v${-length}` : `M${across} ${at}h${-length}`);
    if (labelled) labels.push(label(axis, at, value));
  }
  ruler.replaceChildren(svgElement("path", { class: "ticks", d: ticks.join("") }), ...labels);
}

function label(axis, at, value) {
  const text = String(Math.round(value * 1000) / 1000);
  const attributes =
    axis === "x" ? { x: at + 2, y: 9 } : { x: 9, y: at - 2, transform: `rotate(-90 9 ${at - 2})` };
  const element = svgElement("text", { class: "label", ...attributes });
  element.textContent = text;
  return element;
}
