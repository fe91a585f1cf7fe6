// The merchant's "Customer permissions" panel of each template layer (templates/editor/_layer.html):
// a change the server takes says "Saved" quietly and clears what the panel said was wrong (a
// refusal is said at its field by messages.js), and the note at the top of the panel says, in
// plain words, what a customer will meet.
import { clearFieldError } from "./messages.js";

export function describePermissions() {
  for (const panel of document.querySelectorAll("[data-permissions]")) describe(panel);
}

function describe(panel) {
  const control = (name) => panel.querySelector(`[name="${name}"]`);
  const ticked = (name) => Boolean(control(name) && control(name).checked);
  const parts = [];
  if (ticked("locked.move")) parts.push("cannot move, resize or rotate it");
  if (ticked("locked.edit")) parts.push("cannot change its text, photo, font or colours");
  if (ticked("locked.delete")) parts.push("cannot delete it");
  if (ticked("rules.required")) parts.push("must fill it in before saving");
  const most = control("rules.maxChars");
  if (most && most.value) parts.push(`can type at most ${most.value} characters`);
  const fonts = control("rules.fonts");
  const families = fonts ? [...fonts.selectedOptions].map((option) => option.textContent.trim()) : [];
  if (families.length) parts.push(`can choose only ${oneOf(families, "font")}`);
  const colours = control("rules.colors");
  const allowed = colours ? colours.value.split(/[\s,]+/).filter(Boolean) : [];
  if (allowed.length) parts.push(`can colour it only ${oneOf(allowed, "colour")}`);
  panel.querySelector("[data-rules-note]").textContent = parts.length
    ? `A customer ${parts.join("; ")}.`
    : "A customer may change anything about this layer.";
}

function oneOf(items, kind) {
  if (items.length === 1) return `the ${kind} ${items[0]}`;
  return `the ${kind}s ${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

export function onPermissionsAnswered(event) {
  const { xhr, elt } = event.detail;
  const panel = elt && elt.closest && elt.closest("[data-permissions]");
  if (!panel || !xhr) return;
  const status = panel.querySelector("[data-saved]");
  status.textContent = "";
  if (xhr.status >= 400) return;
  // The whole group went and was taken: nothing in the panel is wrong any more.
  for (const field of panel.querySelectorAll("input, select, textarea")) clearFieldError(field);
  describe(panel);
  // Emptied first, so a second "Saved." in a row is announced too.
  requestAnimationFrame(() => (status.textContent = "Saved."));
}

// After an answer that drew the layer panel again (out of band: not after a field's own edit).
export function onLayersSwapped(event) {
  if (event.detail.target.id === "layers") describePermissions();
}
