// Requests the editor makes. htmx does the edits: every field is an htmx request to the /api/v1
// route for that change, answered with the new preview and panel parts (_changed.html).
// - the `layer-json` extension: edits go as JSON, typed (numbers, booleans, lists, null), and a
//   nested field (`locked.move`, `rules.colors`) sends its whole object;
// - `send`: a request the script makes (a drag, a photo) through the same extension and queue.

let carriers = 0;

export function editorElement() {
  return document.getElementById("editor");
}

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

// A group whose control marked data-none-when-empty is empty is null: none at all (a layer's
// spot ink set to None).
function groupValue(scope, group) {
  const key = scope.querySelector(`[name^="${CSS.escape(group)}."][data-none-when-empty]`);
  if (key && !key.value) return null;
  const value = {};
  for (const control of scope.querySelectorAll(`[name^="${CSS.escape(group)}."]`)) {
    value[control.name.slice(group.length + 1)] = controlValue(control);
  }
  return value;
}

// One request the script makes (a drag, a photo, typing on the canvas): its typed body rides on a
// throwaway element's hx-vals, so it goes through the same extension, queue and swap as the
// fields' requests. `fromField`: the answer leaves the layer panel alone (see _changed.html).
// The promise settles once the answer is in. (htmx.ajax's own resolves at once when the request
// waits in the editor's queue; the carrier must stay in the page until its turn, or htmx drops it.)
export function send(verb, url, body, { fromField = false } = {}) {
  const carrier = document.createElement("span");
  carrier.hidden = true;
  carriers += 1;
  carrier.id = (fromField ? "f-js-" : "js-") + carriers;
  carrier.setAttribute("hx-vals", JSON.stringify(body));
  editorElement().append(carrier);
  return new Promise((resolve) => {
    const done = () => {
      carrier.remove();
      resolve();
    };
    carrier.addEventListener("htmx:afterRequest", done, { once: true });
    carrier.addEventListener("htmx:onLoadError", done, { once: true });
    htmx.ajax(verb, url, { source: carrier, target: "#preview", swap: "innerHTML" }).catch(done);
  });
}

// The headers the page's htmx requests carry (the storefront token or the store id, CSRF), for a
// request htmx does not make (an upload, the design area).
export function apiHeaders() {
  const headers = { Accept: "application/json" };
  for (const holder of [document.body, editorElement()]) {
    Object.assign(headers, JSON.parse(holder.getAttribute("hx-headers") || "{}"));
  }
  return headers;
}
