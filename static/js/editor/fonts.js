// The font picker (templates/editor/_font_picker.html): a family is a radio (its name drawn in
// itself), Bold and Italic are toggles, and together they pick the family's nearest face, sent as
// the layer's fontId through the picker's hidden field (one htmx edit). The search narrows the
// list to the families whose name holds what is typed.

const BOLD_FROM = 600;

export function facesOf(radio) {
  return radio ? JSON.parse(radio.dataset.faces || "[]") : [];
}

// The face of the family closest to what the toggles ask: the style first, then the weight.
function nearestFace(faces, bold, italic) {
  const weight = bold ? 700 : 400;
  const style = italic ? "italic" : "normal";
  const distance = (face) => (face.style === style ? 0 : 10000) + Math.abs(face.weight - weight);
  return faces.reduce((best, face) => (distance(face) < distance(best) ? face : best), faces[0]);
}

function toggle(picker, name) {
  return picker.querySelector(`[data-font-toggle="${name}"]`);
}

function pressed(button) {
  return button.getAttribute("aria-pressed") === "true";
}

// A toggle the chosen family has no face for stays focusable but says it does nothing here.
function showToggles(picker) {
  const faces = facesOf(picker.querySelector("input[type=radio]:checked"));
  const has = {
    bold: faces.some((face) => face.weight >= BOLD_FROM),
    italic: faces.some((face) => face.style === "italic"),
  };
  for (const name of ["bold", "italic"]) {
    const button = toggle(picker, name);
    if (has[name] || !faces.length) {
      button.removeAttribute("aria-disabled");
      button.removeAttribute("title");
    } else {
      button.setAttribute("aria-disabled", "true");
      button.title = `This font has no ${name} style`;
    }
  }
}

function choose(picker) {
  const radio = picker.querySelector("input[type=radio]:checked");
  const faces = facesOf(radio);
  if (!faces.length) return;
  const face = nearestFace(faces, pressed(toggle(picker, "bold")), pressed(toggle(picker, "italic")));
  toggle(picker, "bold").setAttribute("aria-pressed", String(face.weight >= BOLD_FROM));
  toggle(picker, "italic").setAttribute("aria-pressed", String(face.style === "italic"));
  showToggles(picker);
  const field = picker.querySelector("input[name=fontId]");
  if (field.value === face.id) return;
  field.value = face.id;
  htmx.trigger(field, "change");
}

export function onFontChange(event) {
  const picker = event.target.closest("[data-font-picker]");
  if (picker && event.target.type === "radio") choose(picker);
}

export function onFontToggle(event) {
  const button = event.target.closest("[data-font-toggle]");
  if (!button || button.disabled || button.getAttribute("aria-disabled") === "true") return;
  const picker = button.closest("[data-font-picker]");
  button.setAttribute("aria-pressed", String(!pressed(button)));
  choose(picker);
}

export function onFontSearch(event) {
  const search = event.target;
  if (!search.matches("[data-font-search]")) return;
  const picker = search.closest("[data-font-picker]");
  const wanted = search.value.trim().toLowerCase();
  let shown = 0;
  for (const choice of picker.querySelectorAll(".font-choice")) {
    const match = choice.dataset.family.includes(wanted);
    choice.hidden = !match;
    if (match) shown += 1;
  }
  picker.querySelector("[data-font-none]").hidden = shown > 0;
}

// After the panel is drawn (the page, an answer that redraws it): the toggles a family cannot use.
export function showFontPickers(root) {
  for (const picker of root.querySelectorAll("[data-font-picker]")) showToggles(picker);
}

// The file of a face named in any picker: the typing overlay draws its text with it.
export function fontFileOf(fontId) {
  for (const radio of document.querySelectorAll("[data-font-picker] input[type=radio]")) {
    const face = facesOf(radio).find((candidate) => candidate.id === fontId);
    if (face) return face.file;
  }
  return null;
}
