// What the editor says: the status line, refusals (403, 422) beside the field or action that
// caused them, and a keystroke past a character limit refused with the reason, never cut silently.
import { editorElement } from "./requests.js";

export function say(message, { error = false } = {}) {
  const status = document.getElementById("editor-status");
  status.textContent = message;
  status.classList.toggle("error", error);
}

export function errorOf(xhr) {
  try {
    return JSON.parse(xhr.responseText).error || {};
  } catch (ignored) {
    return { message: "Something went wrong: that change was not made. Try again." };
  }
}

export function showFieldError(field, message) {
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

export function clearFieldError(field) {
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

// A nested field's request sends its whole group (`rules`): a refusal naming another field of
// the group (`rules.colors.0`, when Required was ticked) is said at that field, in the same layer,
// and one naming the content a rule holds (`text`, past the most characters) at that rule's field.
const RULE_FOR = {
  text: "rules.maxChars",
  fontId: "rules.fonts",
  fontFamily: "rules.fonts",
  color: "rules.colors",
  fill: "rules.colors",
  stroke: "rules.colors",
};

function namedField(source, name) {
  const scope = source.closest("[data-layer]");
  const group = source.name && source.name.includes(".") ? source.name.split(".")[0] : null;
  if (!scope || !group || !name) return null;
  const named = group === "rules" && RULE_FOR[name] ? RULE_FOR[name] : name;
  if (!named.startsWith(group + ".")) return null;
  const parts = named.split(".");
  for (let end = parts.length; end > 1; end -= 1) {
    const field = scope.querySelector(`[name="${CSS.escape(parts.slice(0, end).join("."))}"]`);
    if (field) return field;
  }
  return null;
}

export function showProblems(container, error) {
  const heading = paragraph(error.message, "error");
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

export function paragraph(text, className) {
  const element = document.createElement("p");
  element.className = className;
  element.textContent = text;
  return element;
}

export function onBeforeSwap(event) {
  const editor = editorElement();
  const { xhr, requestConfig } = event.detail;
  if (!editor || !editor.contains(requestConfig.elt) || xhr.status < 400) return;
  // The API answers refusals in its JSON error shape: shown here, never swapped in.
  event.detail.shouldSwap = false;
  event.detail.isError = false;
  const error = errorOf(xhr);
  const source = requestConfig.elt;
  if (source.id === "save") {
    const refusal = saveRefusal(error);
    showProblems(document.getElementById("save-result"), refusal);
    say(refusal.message, { error: true });
    return;
  }
  const words = plainWords(error, xhr.status);
  if (source.matches("input, select, textarea")) showFieldError(namedField(source, error.field) || source, words);
  if (source.id === "approve") showBeside(source, words);
  say(words, { error: true });
}

// A refused approval says why beside its button, where the customer is looking.
function showBeside(button, message) {
  let note = button.nextElementSibling;
  if (!note || !note.matches("p.error")) {
    note = document.createElement("p");
    note.className = "error";
    button.after(note);
  }
  note.textContent = message;
}

// The API's messages are written for API clients (a field's path, a body's size in bytes): the
// editor says what happened to the change instead, and keeps the part about what was typed.
function plainWords(error, status) {
  if (status === 413) return "That is too large to send: make it shorter or smaller.";
  if (status === 429) return "Too many changes at once: wait a moment, then try again.";
  if (status >= 500 || !error.message) return "Something went wrong: that change was not made. Try again.";
  return underField(error.message);
}

// Save refused: the API's message counts "blocking problems" of "the project's designs"; the
// customer reads what to fix, each on the side it is on (the strip of sides names them).
function saveRefusal(error) {
  const problems = (error.errors || []).filter((item) => item.designId);
  if (!problems.length) return { message: "Not saved: " + error.message };
  const count = problems.length === 1 ? "one thing" : `${problems.length} things`;
  const sideOf = (designId) => {
    const link = document.querySelector(`.side-strip a[data-design-id="${CSS.escape(designId)}"]`);
    return link ? link.textContent.trim() + ": " : "";
  };
  return {
    message: `Not saved yet: fix ${count} first.`,
    errors: problems.map((item) => ({ message: sideOf(item.designId) + item.message })),
  };
}

// A character limit (the layer's rules.maxChars, the field's maxlength) never cuts text silently:
// a keystroke or a paste that would pass it is refused whole, and the field says so where the
// API's refusal of a too-long text (a 422 naming `text`) would be said. The next edit clears it.
export function onBeforeInput(event) {
  const refusal = limitRefusal(event);
  if (!refusal) return;
  event.preventDefault();
  showFieldError(event.target, refusal);
}

// Why the keystroke or paste of `event` may not go into its field (past its maxlength), or null.
export function limitRefusal(event) {
  const field = event.target;
  const limited = field.matches("input[maxlength], textarea[maxlength]");
  if (!limited || !event.inputType.startsWith("insert")) return null;
  const pasted = event.dataTransfer ? event.dataTransfer.getData("text/plain") : "";
  const added = event.inputType === "insertLineBreak" ? "\n" : event.data || pasted;
  const total = field.value.length - (field.selectionEnd - field.selectionStart) + added.length;
  if (total <= field.maxLength) return null;
  return `This text takes at most ${field.maxLength} characters; that would make ${total}.`;
}

export function onAfterRequest(event) {
  // By the status: base.html's htmx config counts a 422 (swapped in for forms) as a success.
  const { xhr, requestConfig } = event.detail;
  const source = requestConfig && requestConfig.elt;
  if (!xhr || xhr.status >= 400 || !source) return;
  if (source.matches && source.matches("input, select, textarea")) clearFieldError(source);
  // An edit or a save that went through: a refusal still on the status line is stale.
  const status = document.getElementById("editor-status");
  if (status && status.classList.contains("error") && requestConfig.verb !== "get") say("");
}
