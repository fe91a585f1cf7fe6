// The editor page (templates/editor/editor.html). htmx does the edits: every field is an htmx
// request to the /api/v1 route for that change, answered with the new preview and panel parts.
// The modules here add what htmx cannot do alone, and this one wires them to the page:
// - requests.js: edits as typed JSON (the `layer-json` extension), requests the script makes;
// - messages.js: the status line, refusals beside their field, character limits;
// - canvas.js: the preview as a canvas in millimetres, the selection drawn on it;
// - gestures.js: dragging, resizing, rotating, arrow keys; snapping.js: snapping and its guides;
// - arrange.js: aligning and spacing layers; zoom.js: zoom and pan; rulers.js: the rulers;
// - placement.js: new layers placed in free space and selected;
// - photos.js: uploads; crop.js: a photo cropped, panned and zoomed in its frame;
// - design-area.js: a template's design area on its mockup;
// - sides.js: the strip of sides, which shows another side in place (wireSide runs again);
// - answers.js: what an answer must keep (the field being typed in, open panels, the selection);
// - text.js: typing on the canvas; fonts.js: the font picker; swatches.js: colour swatches;
// - phone.js: a phone's toolbar and sheet, Save's answer brought into view;
// - permissions.js: a template layer's locks and rules panel (saved, and what a customer meets).
import { onAfterSwap, onOobBeforeSwap, onToggle } from "./answers.js";
import { onArrangeClick, onSelectionChanged } from "./arrange.js";
import { layerItem, select, showSelection, toggleSelected } from "./canvas.js";
import { wireCrop, wireCropOnPreview } from "./crop.js";
import { showDesignArea, wireDesignAreaForm } from "./design-area.js";
import { onFontChange, onFontSearch, onFontToggle, showFontPickers } from "./fonts.js";
import { onKeyDown, onPointerDown, onPointerMove, onPointerUp } from "./gestures.js";
import { onAfterRequest, onBeforeInput, onBeforeSwap } from "./messages.js";
import { describePermissions, onLayersSwapped, onPermissionsAnswered } from "./permissions.js";
import { startPhone, wirePhone } from "./phone.js";
import { onPhotoChosen } from "./photos.js";
import { onAddClick, selectAdded } from "./placement.js";
import { editorElement } from "./requests.js";
import { drawRulers } from "./rulers.js";
import { wireSides } from "./sides.js";
import { onCustomColour, onSwatchClick, showRecentColours } from "./swatches.js";
import { onTextClick, onTextKey, onTextPointerDown, placeTyping } from "./text.js";
import { keepScroll, restoreScroll, startZoom, wireZoom } from "./zoom.js";

// What lives inside the editor's body, which the strip of sides replaces with another side's.
function wireSide() {
  const editor = editorElement();
  const preview = document.getElementById("preview");
  wireCropOnPreview(preview); // first: in crop mode the photo's pointer and keys are the crop's
  preview.addEventListener("pointerdown", onTextPointerDown);
  preview.addEventListener("pointerdown", onPointerDown);
  preview.addEventListener("click", onTextClick);
  preview.addEventListener("scroll", placeTyping);
  preview.addEventListener("pointermove", onPointerMove);
  preview.addEventListener("pointerup", onPointerUp);
  preview.addEventListener("pointercancel", onPointerUp);
  preview.addEventListener("pw:zoom", () => {
    showSelection();
    drawRulers();
  });
  preview.addEventListener("scroll", drawRulers);
  wireDesignAreaForm();
  wireZoom();
  showSelection();
  showDesignArea();
  drawRulers();
  showFontPickers(editor);
  showRecentColours(editor);
  wirePhone();
  describePermissions();
}

function start() {
  const editor = editorElement();
  if (!editor) return;
  wireCrop(editor);
  startPhone();
  startZoom();
  wireSide();
  wireSides(wireSide);
  window.addEventListener("resize", placeTyping);
  window.addEventListener("resize", drawRulers);
  document.addEventListener("keydown", onTextKey);
  document.addEventListener("keydown", onKeyDown);
  editor.addEventListener("pw:selection", onSelectionChanged);
  editor.addEventListener("click", onAddClick, true);
  editor.addEventListener("click", (event) => {
    onArrangeClick(event);
    const button = event.target.closest(".layer .select");
    if (button) {
      const id = button.closest(".layer").dataset.layerId;
      if (event.shiftKey) toggleSelected(id);
      else select(id);
    }
    const show = event.target.closest("[data-select-layer]");
    if (show && layerItem(show.dataset.selectLayer)) {
      select(show.dataset.selectLayer);
      document.getElementById("s-" + show.dataset.selectLayer).focus();
    }
    onFontToggle(event);
    onSwatchClick(event);
  });
  editor.addEventListener("input", onFontSearch);
  editor.addEventListener("input", onCustomColour);
  editor.addEventListener("beforeinput", onBeforeInput);
  editor.addEventListener("change", (event) => {
    if (event.target.matches("input[type=file][data-photo-for], input[type=file][data-photo-add]")) {
      onPhotoChosen(event.target);
    }
    onFontChange(event);
  });
  editor.addEventListener("toggle", onToggle, true);

  document.addEventListener("htmx:beforeSwap", (event) => {
    onBeforeSwap(event);
    if (event.detail.target.id === "preview") keepScroll();
  });
  document.addEventListener("htmx:afterRequest", onAfterRequest);
  document.addEventListener("htmx:afterRequest", onPermissionsAnswered);
  document.addEventListener("htmx:oobBeforeSwap", onOobBeforeSwap);
  document.addEventListener("htmx:oobAfterSwap", onLayersSwapped);
  document.addEventListener("htmx:afterSwap", (event) => {
    onAfterSwap(event);
    selectAdded();
    if (event.target.id === "preview") {
      restoreScroll();
      showDesignArea();
      drawRulers();
      placeTyping();
    }
    if (event.target.id === "layers") {
      showFontPickers(event.target);
      showRecentColours(event.target);
    }
  });
  // A button with nothing to do (undo with no history) stays focusable but sends nothing.
  document.addEventListener("htmx:confirm", (event) => {
    if (event.target.closest && event.target.closest('[aria-disabled="true"]')) event.preventDefault();
  });
}

// A module runs once the document is parsed, before DOMContentLoaded, as htmx sets itself up.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
