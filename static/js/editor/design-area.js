// The design area of a template's side with a mockup: where the side's trim box sits on the
// mockup photo, moved and scaled by dragging its outline, or typed in its form.
import { HANDLE_PX, mmPerPixel, previewSvg, svgElement, svgPoint } from "./canvas.js";
import { paragraph, showProblems } from "./messages.js";
import { apiHeaders, send } from "./requests.js";

function designAreaForm() {
  return document.getElementById("design-area");
}

function readDesignArea(form) {
  const area = {};
  for (const name of ["x", "y", "width", "height"]) area[name] = Number(form.elements[name].value);
  return area;
}

async function saveDesignArea(form) {
  const note = document.getElementById("design-area-note");
  const response = await fetch(form.dataset.url, {
    method: "PATCH",
    headers: { ...apiHeaders(), "Content-Type": "application/json" },
    body: JSON.stringify({ designArea: readDesignArea(form) }),
  });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    showProblems(note, body.error || { message: `Not saved (${response.status}).` });
    return;
  }
  note.replaceChildren(paragraph("Design area saved.", "notice"));
  send("GET", window.location.pathname, {});
}

export function showDesignArea() {
  const form = designAreaForm();
  const svg = previewSvg();
  if (!form || !svg || svg.querySelector("[data-design-area]")) return;
  const width = Number(form.dataset.widthMm);
  const height = Number(form.dataset.heightMm);
  const size = HANDLE_PX * mmPerPixel(svg);
  const group = svgElement("g", { class: "pw-design-area", "data-design-area": "", "aria-hidden": "true" });
  group.append(svgElement("rect", { class: "outline", x: 0, y: 0, width, height }));
  group.append(
    svgElement("rect", { class: "handle grip", "data-design-area": "move", x: -size / 2, y: -size / 2, width: size, height: size })
  );
  group.append(
    svgElement("rect", {
      class: "handle grip",
      "data-design-area": "scale",
      x: width - size / 2,
      y: height - size / 2,
      width: size,
      height: size,
    })
  );
  svg.append(group);
}

export function startDesignAreaDrag(event, svg) {
  const form = designAreaForm();
  const kind = event.target.getAttribute("data-design-area");
  if (!form || !kind) return;
  event.preventDefault();
  const start = svgPoint(svg, event);
  const area = readDesignArea(form);
  const widthMm = Number(form.dataset.widthMm);
  const pixelsPerMm = area.width / widthMm;
  const group = svg.querySelector("g.pw-design-area");
  svg.setPointerCapture(event.pointerId);
  const move = (moveEvent) => {
    const point = svgPoint(svg, moveEvent);
    const dx = point.x - start.x;
    const dy = point.y - start.y;
    if (kind === "move") group.setAttribute("transform", `translate(${dx} ${dy})`);
    else group.setAttribute("transform", `scale(${Math.max(0.05, (widthMm + dx) / widthMm)})`);
    return [dx, dy];
  };
  const up = (upEvent) => {
    svg.removeEventListener("pointermove", move);
    svg.removeEventListener("pointerup", up);
    const [dx, dy] = move(upEvent);
    // Moving the outline right moves the trim right on the mockup; scaling it scales the area.
    const scale = Math.max(0.05, (widthMm + dx) / widthMm);
    const next =
      kind === "move"
        ? { ...area, x: area.x + dx * pixelsPerMm, y: area.y + dy * pixelsPerMm }
        : { ...area, width: area.width * scale, height: area.height * scale };
    for (const [name, value] of Object.entries(next)) form.elements[name].value = Math.round(value);
    saveDesignArea(form);
  };
  svg.addEventListener("pointermove", move);
  svg.addEventListener("pointerup", up);
}

export function wireDesignAreaForm() {
  const form = designAreaForm();
  if (!form) return;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    saveDesignArea(form);
  });
}
