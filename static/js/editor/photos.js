// Photos: the file goes to /api/v1/files/upload, its preflight warnings are shown beside the
// field, then the photo layer is set or a new one added.
import { round } from "./canvas.js";
import { paragraph, showProblems } from "./messages.js";
import { apiHeaders, editorElement, send } from "./requests.js";

async function upload(input) {
  const file = input.files[0];
  const note = document.getElementById(input.getAttribute("aria-describedby").split(" ")[0]);
  if (!file) return null;
  note.replaceChildren(paragraph("Uploading " + file.name + "…", "hint"));
  const form = new FormData();
  form.append("file", file);
  form.append("purpose", "upload");
  const product = editorElement().dataset.product;
  if (product) form.append("productId", product);
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

export async function onPhotoChosen(input) {
  const uploaded = await upload(input);
  if (!uploaded) return;
  if (input.dataset.photoFor) {
    const item = document.getElementById("layer-" + input.dataset.photoFor);
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
