// Colour swatches (templates/editor/_colour.html): a swatch sets its field's colour and the field
// sends the edit (htmx). Colours sent are remembered in this browser (localStorage) and offered
// again as "Recent" in every colour field that may take any colour.

const RECENT_KEY = "presswork-recent-colours";
const RECENT_KEPT = 8;
const HEX = /^#[0-9a-f]{6}$/;
const SVG_NS = "http://www.w3.org/2000/svg";

export function recentColours() {
  try {
    const stored = JSON.parse(localStorage.getItem(RECENT_KEY) || "[]");
    return Array.isArray(stored) ? stored.filter((colour) => HEX.test(colour)) : [];
  } catch (ignored) {
    return [];
  }
}

function remember(colour) {
  const value = colour.toLowerCase();
  if (!HEX.test(value)) return;
  const recent = [value, ...recentColours().filter((other) => other !== value)].slice(0, RECENT_KEPT);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
  } catch (ignored) {
    // Storage full or refused (a private window): the swatches simply stay as they are.
  }
  showRecentColours(document);
}

function fieldOf(container) {
  return container.querySelector("input[type=color], input[type=hidden]");
}

function markPressed(container, colour) {
  for (const button of container.querySelectorAll(".swatch")) {
    button.setAttribute("aria-pressed", String(button.dataset.colour === colour));
  }
}

export function onSwatchClick(event) {
  const button = event.target.closest(".swatch[data-colour]");
  if (!button || button.disabled) return;
  const container = button.closest("[data-colour-field]");
  const field = fieldOf(container);
  const colour = button.dataset.colour;
  markPressed(container, colour);
  remember(colour);
  if (field.value.toLowerCase() === colour) return;
  field.value = colour;
  // The custom colour sends on input (after a pause), the allowed colours' hidden field on change.
  htmx.trigger(field, field.type === "hidden" ? "change" : "input");
}

// A custom colour chosen in the browser's picker is a recent colour too.
export function onCustomColour(event) {
  const field = event.target;
  if (!field.matches("[data-colour-field] input[type=color]")) return;
  markPressed(field.closest("[data-colour-field]"), field.value.toLowerCase());
  remember(field.value);
}

function swatchButton(colour, current, disabled) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "swatch";
  button.dataset.colour = colour;
  button.setAttribute("aria-pressed", String(colour === current));
  button.setAttribute("aria-label", colour);
  button.title = colour;
  button.disabled = disabled;
  const chip = document.createElementNS(SVG_NS, "svg");
  chip.setAttribute("class", "chip");
  chip.setAttribute("viewBox", "0 0 20 20");
  chip.setAttribute("aria-hidden", "true");
  chip.setAttribute("focusable", "false");
  const circle = document.createElementNS(SVG_NS, "circle");
  for (const [name, value] of [["cx", 10], ["cy", 10], ["r", 9], ["fill", colour]]) circle.setAttribute(name, value);
  chip.append(circle);
  button.append(chip);
  return button;
}

// Fill every "Recent" row under `root` (the page, or a panel just swapped in).
export function showRecentColours(root) {
  const recent = recentColours();
  for (const row of root.querySelectorAll("[data-recent-colours]")) {
    const field = fieldOf(row.closest("[data-colour-field]"));
    const title = row.querySelector(".swatch-title");
    const buttons = recent.map((colour) => swatchButton(colour, field.value.toLowerCase(), field.disabled));
    row.replaceChildren(...(title ? [title] : []), ...buttons);
    row.hidden = buttons.length === 0;
  }
}
