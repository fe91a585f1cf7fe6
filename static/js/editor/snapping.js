// Snapping while a layer is dragged or resized: its edges and centre come to the design area's
// (trim) edges and centre lines, the safe zone's edges and the other layers' edges and centres
// when they pass within SNAP_PX screen pixels of one, and a guide line shows each alignment
// while the gesture lasts. Alt held, or the toolbar's "Snap" switch off, places freely.
// The side's geometry comes from the preview's <svg> (data-trim-width, data-trim-height,
// data-safe-zone, in mm: the composer writes them in preview mode).
import { geometryOf, mmPerPixel, svgElement } from "./canvas.js";

const SNAP_PX = 6;
const SAME_MM = 0.01;

export function sideGeometry(svg) {
  const read = (name) => Number(svg.dataset[name]) || 0;
  const width = read("trimWidth");
  const height = read("trimHeight");
  const safe = read("safeZone");
  // A safe zone wider than half the side is not drawn by the composer, nor snapped to here.
  const safeShown = safe > 0 && width > 2 * safe && height > 2 * safe;
  return { width, height, safe: safeShown ? safe : 0 };
}

// The layer's box as it stands on the page: its rotated outline's upright bounding box.
export function uprightBox(box) {
  const radians = ((box.rotation || 0) * Math.PI) / 180;
  const cos = Math.abs(Math.cos(radians));
  const sin = Math.abs(Math.sin(radians));
  const width = box.width * cos + box.height * sin;
  const height = box.width * sin + box.height * cos;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return { x: cx - width / 2, y: cy - height / 2, width, height };
}

export function layerIds() {
  return [...document.querySelectorAll("#layers > li.layer[data-layer-id]")].map((item) => item.dataset.layerId);
}

// Where things may snap to: lines across the page at these x and at these y (mm).
export function snapLines(svg, movingIds) {
  const side = sideGeometry(svg);
  const xs = [0, side.width / 2, side.width];
  const ys = [0, side.height / 2, side.height];
  if (side.safe) {
    xs.push(side.safe, side.width - side.safe);
    ys.push(side.safe, side.height - side.safe);
  }
  for (const id of layerIds()) {
    if (movingIds.includes(id)) continue;
    const box = uprightBox(geometryOf(id));
    xs.push(box.x, box.x + box.width / 2, box.x + box.width);
    ys.push(box.y, box.y + box.height / 2, box.y + box.height);
  }
  return { xs, ys };
}

export function snapping(event) {
  const toggle = document.getElementById("snap-toggle");
  return !event.altKey && (!toggle || toggle.checked);
}

// The smallest shift bringing one of `points` onto one of `lines`, within `reach` mm; 0 if none.
function nearestShift(points, lines, reach) {
  let best = null;
  for (const point of points) {
    for (const line of lines) {
      const shift = line - point;
      if (Math.abs(shift) <= reach && (best === null || Math.abs(shift) < Math.abs(best))) best = shift;
    }
  }
  return best || 0;
}

function matching(points, lines) {
  return lines.filter((line) => points.some((point) => Math.abs(line - point) < SAME_MM));
}

// A moved box brought onto the nearest lines; the guides to draw ({xs, ys}).
export function snapMove(svg, box, lines) {
  const reach = SNAP_PX * mmPerPixel(svg);
  const upright = uprightBox(box);
  const pointsX = (b) => [b.x, b.x + b.width / 2, b.x + b.width];
  const pointsY = (b) => [b.y, b.y + b.height / 2, b.y + b.height];
  const dx = nearestShift(pointsX(upright), lines.xs, reach);
  const dy = nearestShift(pointsY(upright), lines.ys, reach);
  const snapped = { ...box, x: box.x + dx, y: box.y + dy };
  const moved = { ...upright, x: upright.x + dx, y: upright.y + dy };
  return {
    box: snapped,
    guides: { xs: dx ? matching(pointsX(moved), lines.xs) : [], ys: dy ? matching(pointsY(moved), lines.ys) : [] },
  };
}

// A box resized from the corner (sx, sy) with its moving edges brought onto the nearest lines.
// Only an upright box: a turned one's edges do not run along the lines.
export function snapResize(svg, box, corner, lines, minSizeMm) {
  if (Math.round(box.rotation || 0) % 360 !== 0) return { box, guides: { xs: [], ys: [] } };
  const reach = SNAP_PX * mmPerPixel(svg);
  const [sx, sy] = corner;
  const next = { ...box };
  const edgeX = sx > 0 ? box.x + box.width : box.x;
  const edgeY = sy > 0 ? box.y + box.height : box.y;
  const dx = nearestShift([edgeX], lines.xs, reach);
  const dy = nearestShift([edgeY], lines.ys, reach);
  if (dx && box.width + sx * dx >= minSizeMm) {
    next.width = box.width + sx * dx;
    if (sx < 0) next.x = box.x + dx;
  }
  if (dy && box.height + sy * dy >= minSizeMm) {
    next.height = box.height + sy * dy;
    if (sy < 0) next.y = box.y + dy;
  }
  const xs = next.width !== box.width ? matching([edgeX + dx], lines.xs) : [];
  const ys = next.height !== box.height ? matching([edgeY + dy], lines.ys) : [];
  return { box: next, guides: { xs, ys } };
}

// Guide lines across the whole drawing at the given x and y (mm); none when both are empty.
export function showGuides(svg, guides) {
  clearGuides(svg);
  if (!guides.xs.length && !guides.ys.length) return;
  const view = svg.viewBox.baseVal;
  const group = svgElement("g", { class: "pw-guides", "aria-hidden": "true" });
  for (const x of guides.xs) {
    group.append(
      svgElement("line", { class: "pw-guide", "data-axis": "x", x1: x, x2: x, y1: view.y, y2: view.y + view.height })
    );
  }
  for (const y of guides.ys) {
    group.append(
      svgElement("line", { class: "pw-guide", "data-axis": "y", y1: y, y2: y, x1: view.x, x2: view.x + view.width })
    );
  }
  svg.append(group);
}

export function clearGuides(svg) {
  for (const group of svg.querySelectorAll("g.pw-guides")) group.remove();
}
