// The strip of sides (templates/editor/_sides.html): a side opens in place, htmx taking the editor's
// body from the side's page and pushing its address. What the script adds:
// - the parts wired to elements inside the editor are wired again once another side is shown;
// - Back and Forward ask the server for the side's page (no snapshot from before the last edits);
// - the keyboard stays on the strip, on the side now open;
// - the open side's picture in the strip is drawn again once the edits pause.

const REDRAW_AFTER_MS = 1200;
let redrawTimer = null;

function strip() {
  return document.querySelector(".side-strip");
}

function openSideLink() {
  return document.querySelector('.side-strip a[aria-current="page"]');
}

function redrawOpenSide() {
  const link = openSideLink();
  const picture = link && link.querySelector("img");
  if (!picture) return;
  const url = new URL(picture.src, document.baseURI);
  url.searchParams.set("v", String(Date.now()));
  picture.src = url.toString();
}

// `wire`: what main.js sets up on the elements inside the editor (the preview's gestures...).
export function wireSides(wire) {
  if (!strip()) return;
  // Back to a side reads it from the server: a snapshot would show the strip as it was.
  htmx.config.historyCacheSize = 0;
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id === "preview") {
      clearTimeout(redrawTimer);
      redrawTimer = setTimeout(redrawOpenSide, REDRAW_AFTER_MS);
    }
    if (event.target.id !== "editor") return;
    clearTimeout(redrawTimer);
    wire();
    const from = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (from && from.closest && from.closest(".side-strip") && openSideLink()) openSideLink().focus();
  });
  document.addEventListener("htmx:historyRestore", () => {
    clearTimeout(redrawTimer);
    wire();
  });
}
