// The editor page (templates/editor/editor.html). htmx does the edits: every field is an htmx
// request to the /api/v1 route for that change, answered with the new preview and panel parts.
// The modules here add what htmx cannot do alone, and this one wires them to the page:
// - requests.js: edits as typed JSON (the `layer-json` extension), requests the script makes;
// - messages.js: the status line, refusals beside their field, character limits;
// - canvas.js: the preview as a canvas in millimetres, the selection drawn on it;
// - gestures.js: dragging, resizing, rotating, arrow keys;
// - photos.js: uploads; design-area.js: a template's design area on its mockup;
// - answers.js: what an answer must keep (the field being typed in, open panels, the selection);
// - phone.js: a phone's toolbar and sheet, Save's answer brought into view;
// - permissions.js: a template layer's locks and rules panel (saved, and what a customer meets).
import { onAfterSwap, onOobBeforeSwap, onToggle } from "./answers.js";
import { layerItem, select, showSelection } from "./canvas.js";
import { showDesignArea, wireDesignAreaForm } from "./design-area.js";
import { onKeyDown, onPointerDown, onPointerMove, onPointerUp } from "./gestures.js";
import { onAfterRequest, onBeforeInput, onBeforeSwap } from "./messages.js";
import { describePermissions, onLayersSwapped, onPermissionsAnswered } from "./permissions.js";
import { startPhone } from "./phone.js";
import { onPhotoChosen } from "./photos.js";
import { editorElement } from "./requests.js";

function start() {
  const editor = editorElement();
  if (!editor) return;
  const preview = document.getElementById("preview");
  preview.addEventListener("pointerdown", onPointerDown);
  preview.addEventListener("pointermove", onPointerMove);
  preview.addEventListener("pointerup", onPointerUp);
  preview.addEventListener("pointercancel", onPointerUp);
  document.addEventListener("keydown", onKeyDown);
  editor.addEventListener("click", (event) => {
    const button = event.target.closest(".layer .select");
    if (button) select(button.closest(".layer").dataset.layerId);
    const show = event.target.closest("[data-select-layer]");
    if (show && layerItem(show.dataset.selectLayer)) {
      select(show.dataset.selectLayer);
      document.getElementById("s-" + show.dataset.selectLayer).focus();
    }
  });
  editor.addEventListener("beforeinput", onBeforeInput);
  editor.addEventListener("change", (event) => {
    if (event.target.matches("input[type=file][data-photo-for], input[type=file][data-photo-add]")) {
      onPhotoChosen(event.target);
    }
  });
  editor.addEventListener("toggle", onToggle, true);
  wireDesignAreaForm();
  showSelection();
  showDesignArea();
  startPhone();
  describePermissions();

  document.addEventListener("htmx:beforeSwap", onBeforeSwap);
  document.addEventListener("htmx:afterRequest", onAfterRequest);
  document.addEventListener("htmx:afterRequest", onPermissionsAnswered);
  document.addEventListener("htmx:oobBeforeSwap", onOobBeforeSwap);
  document.addEventListener("htmx:oobAfterSwap", onLayersSwapped);
  document.addEventListener("htmx:afterSwap", (event) => {
    onAfterSwap(event);
    if (event.target.id === "preview") showDesignArea();
  });
  // A button with nothing to do (undo with no history) stays focusable but sends nothing.
  document.addEventListener("htmx:confirm", (event) => {
    if (event.target.closest && event.target.closest('[aria-disabled="true"]')) event.preventDefault();
  });
}

// A module runs once the document is parsed, before DOMContentLoaded, as htmx sets itself up.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
