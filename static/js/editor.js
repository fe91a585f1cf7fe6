// The editor page (templates/editor/editor.html). htmx does the edits: every field is an htmx
// request to the /api/v1 route for that change, answered with the new preview and panel parts.
// This file adds what htmx cannot do alone:
// - the `layer-json` extension: edits go as JSON, typed (numbers, booleans, lists, null), and a
//   nested field (`locked.move`, `rules.colors`) sends its whole object;
// - selecting, dragging, resizing and rotating a layer on the preview (pointer events; the
//   preview is an SVG in millimetres, so getScreenCTM maps the pointer to mm), and moving it
//   with the arrow keys; each gesture ends in one request with the new numbers;
// - uploading a photo (the file goes to /api/v1/files/upload, its preflight warnings are shown
//   beside the field, then the layer is set or added);
// - refusals (403, 422) shown beside the field or action that caused them, and a keystroke past a
//   character limit refused with the reason, never cut silently;
// - keeping the field being typed in, and the open panels, across the answers.
(function () {
  "use strict";

  const MIN_SIZE_MM = 1;
  const HANDLE_PX = 12;
  const ARROW_STEP_MM = 1;
  const ARROW_BIG_STEP_MM = 10;
  const ARROW_SEND_DELAY_MS = 200;
  const SVG_NS = "http://www.w3.org/2000/svg";

  let editor = null;
  let selectedId = null;
  const openPanels = new Set();
  let carriers = 0;

  // JSON bodies

  htmx.defineExtension("layer-json", {
    init(api) {
      this.api = api;
    },
    onEvent(name, event) {
      if (name === "htmx:configRequest" && !["get", "delete"].includes(event.detail.verb)) {
        event.detail.headers["Content-Type"] = "application/json";
      }
      return true;
    },
    encodeParameters(xhr, parameters, elt) {
      const scope = elt.closest("[data-layer]") || elt.closest("form") || elt;
      const names = new Set(parameters.keys());
      if (elt.name) names.add(elt.name);
      const body = {};
      for (const name of names) {
        if (name.includes(".")) {
          const group = name.split(".")[0];
          body[group] = groupValue(scope, group);
        } else {
          const control = elt.name === name ? elt : scope.querySelector(`[name="${CSS.escape(name)}"]`);
          body[name] = typedValue(control, parameters.getAll(name));
        }
      }
      // hx-vals carry their own JSON types.
      Object.assign(body, this.api.getExpressionVars(elt));
      return JSON.stringify(body);
    },
  });

  function typedValue(control, values) {
    if (!control) return values.length > 1 ? values : values[0];
    if (control.type === "checkbox") return control.checked;
    if (control.multiple) return values;
    const value = values.length ? values[0] : control.value;
    if (control.type === "number") return value === "" ? null : Number(value);
    if (control.hasAttribute("data-list")) return value.split(/[\s,]+/).filter(Boolean);
    if (value === "" && control.dataset.empty === "null") return null;
    return value;
  }

  function controlValue(control) {
    if (control.type === "checkbox") return control.checked;
    if (control.multiple) return [...control.selectedOptions].map((option) => option.value);
    return typedValue(control, [control.value]);
  }

  function groupValue(scope, group) {
    const value = {};
    for (const control of scope.querySelectorAll(`[name^="${CSS.escape(group)}."]`)) {
      value[control.name.slice(group.length + 1)] = controlValue(control);
    }
    return value;
  }

  // One request the script makes (a drag, a photo): its typed body rides on a throwaway element's
  // hx-vals, so it goes through the same extension, queue and swap as the fields' requests.
  // `fromField`: the answer leaves the layer panel alone (see _changed.html).
  function send(verb, url, body, { fromField = false } = {}) {
    const carrier = document.createElement("span");
    carrier.hidden = true;
    carriers += 1;
    carrier.id = (fromField ? "f-js-" : "js-") + carriers;
    carrier.setAttribute("hx-vals", JSON.stringify(body));
    editor.append(carrier);
    return htmx
      .ajax(verb, url, { source: carrier, target: "#preview", swap: "innerHTML" })
      .finally(() => carrier.remove());
  }

  // Refusals and messages

  function say(message, { error = false } = {}) {
    const status = document.getElementById("editor-status");
    status.textContent = message;
    status.classList.toggle("error", error);
  }

  function errorOf(xhr) {
    try {
      return JSON.parse(xhr.responseText).error || {};
    } catch (ignored) {
      return { message: `Something went wrong (${xhr.status}).` };
    }
  }

  function showFieldError(field, message) {
    const noteId = field.id + "-error";
    let note = document.getElementById(noteId);
    if (!note) {
      note = document.createElement("p");
      note.id = noteId;
      note.className = "error";
      (field.closest(".field") || field).after(note);
      const describedBy = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      field.setAttribute("aria-describedby", [...describedBy, noteId].join(" "));
    }
    note.textContent = message;
    field.setAttribute("aria-invalid", "true");
  }

  function clearFieldError(field) {
    const note = document.getElementById(field.id + "-error");
    if (!note) return;
    note.remove();
    field.removeAttribute("aria-invalid");
    const describedBy = (field.getAttribute("aria-describedby") || "").split(" ");
    const rest = describedBy.filter((id) => id && id !== note.id);
    if (rest.length) field.setAttribute("aria-describedby", rest.join(" "));
    else field.removeAttribute("aria-describedby");
  }

  // The API names the field ("Field 'rules.colors.0': …"); under the field's own label that is
  // noise, and what follows is the plain-words part.
  function underField(message) {
    const rest = (message || "").replace(/^Field '[^']*': /, "");
    return rest === message ? message : rest.charAt(0).toUpperCase() + rest.slice(1);
  }

  function showProblems(container, error) {
    const heading = document.createElement("p");
    heading.className = "error";
    heading.textContent = error.message;
    const list = document.createElement("ul");
    list.className = "warnings";
    for (const item of error.errors || []) {
      if (item.message === error.message) continue;
      const entry = document.createElement("li");
      entry.className = "blocking";
      entry.textContent = item.message;
      list.append(entry);
    }
    container.replaceChildren(heading, ...(list.children.length ? [list] : []));
  }

  function onBeforeSwap(event) {
    const { xhr, requestConfig } = event.detail;
    if (!editor || !editor.contains(requestConfig.elt) || xhr.status < 400) return;
    // The API answers refusals in its JSON error shape: shown here, never swapped in.
    event.detail.shouldSwap = false;
    event.detail.isError = false;
    const error = errorOf(xhr);
    const source = requestConfig.elt;
    if (source.id === "save") {
      showProblems(document.getElementById("save-result"), error);
    } else if (source.matches("input, select, textarea")) {
      showFieldError(source, underField(error.message));
    }
    say(error.message, { error: true });
  }

  // A character limit (the layer's rules.maxChars, the field's maxlength) never cuts text silently:
  // a keystroke or a paste that would pass it is refused whole, and the field says so where the
  // API's refusal of a too-long text (a 422 naming `text`) would be said. The next edit clears it.
  function onBeforeInput(event) {
    const field = event.target;
    const limited = field.matches("input[maxlength], textarea[maxlength]");
    if (!limited || !event.inputType.startsWith("insert")) return;
    const pasted = event.dataTransfer ? event.dataTransfer.getData("text/plain") : "";
    const added = event.inputType === "insertLineBreak" ? "\n" : event.data || pasted;
    const total = field.value.length - (field.selectionEnd - field.selectionStart) + added.length;
    if (total <= field.maxLength) return;
    event.preventDefault();
    showFieldError(field, `This text takes at most ${field.maxLength} characters; that would make ${total}.`);
  }

  function onAfterRequest(event) {
    // By the status: base.html's htmx config counts a 422 (swapped in for forms) as a success.
    const { xhr, requestConfig } = event.detail;
    const source = requestConfig && requestConfig.elt;
    if (xhr && xhr.status < 400 && source && source.matches && source.matches("input, select, textarea")) {
      clearFieldError(source);
    }
  }

  // Answers: keep the field being typed in, the open panels and the selection

  function onOobBeforeSwap(event) {
    // Checks and undo/redo that did not change stay as they are: a live region re-announces
    // whatever is put in it, and a keystroke seldom changes them.
    const { target, fragment } = event.detail;
    if ((target.id === "warnings" || target.id === "history") && samePerceived(target, fragment)) {
      event.detail.shouldSwap = false;
      return;
    }
    const active = document.activeElement;
    if (!active || !active.id || !active.matches("input, select, textarea")) return;
    const twin = event.detail.fragment.querySelector("#" + CSS.escape(active.id));
    if (twin) twin.setAttribute("hx-preserve", "true");
  }

  // What a reader perceives of the checks or the undo/redo buttons: their text and which are off.
  // (Markup would not do: htmx leaves empty class attributes behind on swapped elements.)
  function samePerceived(target, fragment) {
    const perceived = (element) =>
      element.textContent.replace(/\s+/g, " ").trim() +
      [...element.querySelectorAll("[aria-disabled]")].map((node) => node.id).join(",");
    return perceived(target) === perceived(fragment);
  }

  function onAfterSwap(event) {
    if (!editor) return;
    if (event.target.id === "layers") {
      for (const id of openPanels) {
        const panel = document.getElementById(id);
        if (panel) panel.open = true;
      }
    }
    if (event.target.id === "preview" || event.target.id === "layers") {
      if (selectedId && !layerItem(selectedId)) selectedId = null;
      showSelection();
    }
  }

  // Layers: geometry is read from the panel's numeric fields, the newest numbers on the page.

  function layerItem(id) {
    return document.getElementById("layer-" + id);
  }

  function geometryOf(id) {
    const read = (name) => {
      const field = document.getElementById(`f-${id}-${name}`);
      return field ? Number(field.value) || 0 : 0;
    };
    return { x: read("x"), y: read("y"), width: read("width"), height: read("height"), rotation: read("rotation") };
  }

  function round(value) {
    return Math.round(value * 100) / 100;
  }

  function nameOf(id) {
    const item = layerItem(id);
    return item ? item.dataset.name : "the layer";
  }

  function isMovable(id) {
    const item = layerItem(id);
    return item && !item.hasAttribute("data-locked-move");
  }

  function select(id) {
    selectedId = id;
    showSelection();
  }

  function previewSvg() {
    return document.querySelector("#preview > svg");
  }

  function svgPoint(svg, event) {
    return new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
  }

  function mmPerPixel(svg) {
    const matrix = svg.getScreenCTM();
    return matrix ? 1 / Math.hypot(matrix.a, matrix.b) : 1;
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG_NS, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    return element;
  }

  // The selection: an outline with four resize squares and a rotate knob, drawn into the preview
  // (in its millimetres), redrawn after every answer.
  function showSelection(geometry) {
    for (const button of editor.querySelectorAll(".layer .select")) {
      button.setAttribute("aria-pressed", String(button.id === "s-" + selectedId));
    }
    for (const item of editor.querySelectorAll(".layer")) {
      item.classList.toggle("selected", item.dataset.layerId === selectedId);
    }
    const svg = previewSvg();
    if (!svg) return;
    const old = svg.querySelector("g.pw-selection");
    if (old) old.remove();
    if (!selectedId || !layerItem(selectedId)) return;
    const box = geometry || geometryOf(selectedId);
    const unit = mmPerPixel(svg);
    const size = HANDLE_PX * unit;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const group = svgElement("g", {
      class: "pw-selection" + (isMovable(selectedId) ? "" : " locked"),
      transform: `rotate(${box.rotation} ${cx} ${cy})`,
      "aria-hidden": "true",
    });
    group.append(
      svgElement("rect", { class: "outline", x: box.x, y: box.y, width: box.width, height: box.height })
    );
    if (isMovable(selectedId)) {
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

  function layerGroup(id) {
    const svg = previewSvg();
    return svg && svg.querySelector(`g.layer[data-layer-id="${CSS.escape(id)}"]`);
  }

  function lockedMessage(id) {
    return `“${nameOf(id)}” is locked: it cannot be moved.`;
  }

  // Dragging

  let gesture = null;

  function onPointerDown(event) {
    const svg = previewSvg();
    if (!svg || event.button !== 0 || !svg.contains(event.target)) return;
    const handle = event.target.closest("[data-handle]");
    const hit = event.target.closest("g.layer[data-layer-id]");
    if (!handle && !hit) {
      if (event.target.closest("[data-design-area]")) return startDesignAreaDrag(event, svg);
      select(null);
      return;
    }
    const id = handle ? selectedId : hit.dataset.layerId;
    if (!layerItem(id)) return;
    if (id !== selectedId) select(id);
    if (!isMovable(id)) {
      say(lockedMessage(id), { error: true });
      return;
    }
    event.preventDefault();
    svg.setPointerCapture(event.pointerId);
    const start = svgPoint(svg, event);
    const group = layerGroup(id);
    gesture = {
      id,
      svg,
      start,
      kind: handle ? handle.dataset.handle : "move",
      box: geometryOf(id),
      group,
      transform: group ? group.getAttribute("transform") || "" : "",
      moved: false,
    };
  }

  function onPointerMove(event) {
    if (!gesture) return;
    const point = svgPoint(gesture.svg, event);
    const dx = point.x - gesture.start.x;
    const dy = point.y - gesture.start.y;
    if (!gesture.moved && Math.hypot(dx, dy) < mmPerPixel(gesture.svg) * 3) return;
    gesture.moved = true;
    gesture.next = nextGeometry(gesture, point, dx, dy, event.shiftKey);
    if (gesture.kind === "move" && gesture.group) {
      gesture.group.setAttribute("transform", `translate(${dx} ${dy}) ${gesture.transform}`);
    }
    showSelection(gesture.next);
  }

  function nextGeometry(drag, point, dx, dy, snap) {
    const box = drag.box;
    if (drag.kind === "move") return { ...box, x: round(box.x + dx), y: round(box.y + dy) };
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    if (drag.kind === "rotate") {
      let angle = (Math.atan2(point.y - cy, point.x - cx) * 180) / Math.PI + 90;
      angle = snap ? Math.round(angle / 15) * 15 : Math.round(angle);
      if (angle > 180) angle -= 360;
      return { ...box, rotation: angle };
    }
    // A corner: the opposite corner stays where it is, in the layer's own (rotated) axes.
    const [sx, sy] = drag.kind.split(",").map(Number);
    const radians = (box.rotation * Math.PI) / 180;
    const u = [Math.cos(radians), Math.sin(radians)];
    const v = [-Math.sin(radians), Math.cos(radians)];
    const anchor = [
      cx - (sx * box.width * u[0]) / 2 - (sy * box.height * v[0]) / 2,
      cy - (sx * box.width * u[1]) / 2 - (sy * box.height * v[1]) / 2,
    ];
    const d = [point.x - anchor[0], point.y - anchor[1]];
    const width = Math.max(MIN_SIZE_MM, sx * (d[0] * u[0] + d[1] * u[1]));
    const height = Math.max(MIN_SIZE_MM, sy * (d[0] * v[0] + d[1] * v[1]));
    const centre = [
      anchor[0] + (sx * width * u[0]) / 2 + (sy * height * v[0]) / 2,
      anchor[1] + (sx * width * u[1]) / 2 + (sy * height * v[1]) / 2,
    ];
    return {
      ...box,
      x: round(centre[0] - width / 2),
      y: round(centre[1] - height / 2),
      width: round(width),
      height: round(height),
    };
  }

  function onPointerUp() {
    if (!gesture) return;
    const drag = gesture;
    gesture = null;
    if (!drag.moved || !drag.next) return;
    const fields = {
      move: ["x", "y"],
      rotate: ["rotation"],
    }[drag.kind] || ["x", "y", "width", "height"];
    const body = Object.fromEntries(fields.map((name) => [name, drag.next[name]]));
    setGeometryFields(drag.id, body);
    send("PATCH", layerItem(drag.id).dataset.url, body);
  }

  function setGeometryFields(id, values) {
    for (const [name, value] of Object.entries(values)) {
      const field = document.getElementById(`f-${id}-${name}`);
      if (field) field.value = value;
    }
  }

  // Arrow keys move the selected layer; the moves of a quick series go as one request.

  let nudge = null;

  function onKeyDown(event) {
    const key = event.key;
    if (!editor) return;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z" && !isTyping(event.target)) {
      event.preventDefault();
      document.getElementById(event.shiftKey ? "redo" : "undo").click();
      return;
    }
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (!(key in arrows) || !selectedId) return;
    const onPreview = event.target.id === "preview";
    const onSelected = event.target.id === "s-" + selectedId;
    if (!onPreview && !onSelected) return;
    event.preventDefault();
    if (!isMovable(selectedId)) {
      say(lockedMessage(selectedId), { error: true });
      return;
    }
    const step = event.shiftKey ? ARROW_BIG_STEP_MM : ARROW_STEP_MM;
    if (!nudge || nudge.id !== selectedId) {
      flushNudge();
      nudge = { id: selectedId, box: geometryOf(selectedId), dx: 0, dy: 0, group: layerGroup(selectedId) };
      nudge.transform = nudge.group ? nudge.group.getAttribute("transform") || "" : "";
    }
    nudge.dx += arrows[key][0] * step;
    nudge.dy += arrows[key][1] * step;
    if (nudge.group) nudge.group.setAttribute("transform", `translate(${nudge.dx} ${nudge.dy}) ${nudge.transform}`);
    const next = { x: round(nudge.box.x + nudge.dx), y: round(nudge.box.y + nudge.dy) };
    showSelection({ ...nudge.box, ...next });
    say(`“${nameOf(selectedId)}” at ${next.x} mm from the left, ${next.y} mm from the top.`);
    clearTimeout(nudge.timer);
    nudge.timer = setTimeout(flushNudge, ARROW_SEND_DELAY_MS);
  }

  function flushNudge() {
    if (!nudge) return;
    const pending = nudge;
    nudge = null;
    clearTimeout(pending.timer);
    const body = { x: round(pending.box.x + pending.dx), y: round(pending.box.y + pending.dy) };
    setGeometryFields(pending.id, body);
    send("PATCH", layerItem(pending.id).dataset.url, body);
  }

  function isTyping(element) {
    return element.matches("input, textarea, select, [contenteditable]");
  }

  // Photos

  function apiHeaders() {
    const headers = { Accept: "application/json" };
    for (const holder of [document.body, editor]) {
      Object.assign(headers, JSON.parse(holder.getAttribute("hx-headers") || "{}"));
    }
    return headers;
  }

  async function uploadPhoto(input) {
    const file = input.files[0];
    const note = document.getElementById(input.getAttribute("aria-describedby").split(" ")[0]);
    if (!file) return null;
    note.replaceChildren(paragraph("Uploading " + file.name + "…", "hint"));
    const form = new FormData();
    form.append("file", file);
    form.append("purpose", "upload");
    if (editor.dataset.product) form.append("productId", editor.dataset.product);
    const response = await fetch("/api/v1/files/upload", { method: "POST", body: form, headers: apiHeaders() });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = body.error || { message: `The upload failed (${response.status}).` };
      showProblems(note, error);
      input.setAttribute("aria-invalid", "true");
      return null;
    }
    input.removeAttribute("aria-invalid");
    const warnings = (body.preflight ? body.preflight.checks : []).filter((check) => check.status === "warning");
    note.replaceChildren(paragraph(`${body.filename} uploaded.`, "notice"));
    if (warnings.length) {
      const list = document.createElement("ul");
      list.className = "warnings";
      for (const check of warnings) {
        const entry = document.createElement("li");
        entry.className = "warning";
        entry.textContent = check.message;
        list.append(entry);
      }
      note.append(list);
    }
    return body;
  }

  function paragraph(text, className) {
    const element = document.createElement("p");
    element.className = className;
    element.textContent = text;
    return element;
  }

  async function onPhotoChosen(input) {
    const uploaded = await uploadPhoto(input);
    if (!uploaded) return;
    if (input.dataset.photoFor) {
      const item = layerItem(input.dataset.photoFor);
      send("PATCH", item.dataset.url, { fileId: uploaded.id }, { fromField: true });
      return;
    }
    // A new photo layer: as large as fits in 60% of the side, in the middle.
    const sideWidth = Number(input.dataset.sideWidth);
    const sideHeight = Number(input.dataset.sideHeight);
    const ratio = uploaded.widthPx && uploaded.heightPx ? uploaded.heightPx / uploaded.widthPx : 1;
    let width = sideWidth * 0.6;
    let height = width * ratio;
    if (height > sideHeight * 0.6) {
      height = sideHeight * 0.6;
      width = height / ratio;
    }
    send("POST", input.dataset.photoAdd, {
      type: "image",
      name: "Photo",
      fileId: uploaded.id,
      x: round((sideWidth - width) / 2),
      y: round((sideHeight - height) / 2),
      width: round(width),
      height: round(height),
    });
    input.value = "";
  }

  // The design area (a template on a side with a mockup)

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

  function showDesignArea() {
    const form = designAreaForm();
    const svg = previewSvg();
    if (!form || !svg || svg.querySelector("[data-design-area]")) return;
    const unit = mmPerPixel(svg);
    const width = Number(form.dataset.widthMm);
    const height = Number(form.dataset.heightMm);
    const group = svgElement("g", { class: "pw-design-area", "data-design-area": "", "aria-hidden": "true" });
    group.append(svgElement("rect", { class: "outline", x: 0, y: 0, width, height }));
    const size = HANDLE_PX * unit;
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

  function startDesignAreaDrag(event, svg) {
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
      const next =
        kind === "move"
          ? { ...area, x: area.x + dx * pixelsPerMm, y: area.y + dy * pixelsPerMm }
          : (() => {
              const scale = Math.max(0.05, (widthMm + dx) / widthMm);
              return { ...area, width: area.width * scale, height: area.height * scale };
            })();
      for (const [name, value] of Object.entries(next)) form.elements[name].value = Math.round(value);
      saveDesignArea(form);
    };
    svg.addEventListener("pointermove", move);
    svg.addEventListener("pointerup", up);
  }

  // Wiring

  function start() {
    editor = document.getElementById("editor");
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
    editor.addEventListener(
      "toggle",
      (event) => {
        if (!event.target.id) return;
        if (event.target.open) openPanels.add(event.target.id);
        else openPanels.delete(event.target.id);
      },
      true
    );
    const form = designAreaForm();
    if (form) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        saveDesignArea(form);
      });
    }
    showSelection();
    showDesignArea();
  }

  document.addEventListener("htmx:beforeSwap", onBeforeSwap);
  document.addEventListener("htmx:afterRequest", onAfterRequest);
  document.addEventListener("htmx:oobBeforeSwap", onOobBeforeSwap);
  document.addEventListener("htmx:afterSwap", (event) => {
    onAfterSwap(event);
    if (event.target.id === "preview") showDesignArea();
  });
  // A button with nothing to do (undo with no history) stays focusable but sends nothing.
  document.addEventListener("htmx:confirm", (event) => {
    if (event.target.closest && event.target.closest('[aria-disabled="true"]')) event.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", start);
})();
