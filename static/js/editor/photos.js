// Photos: a file chosen in a photo field is checked against the limits the server gives the field
// (data-max-bytes, accept), sent to /api/v1/files/upload with a progress bar, and then placed:
// - a layer's own field ("Replace the photo") sets that layer's photo, keeping its frame;
// - "Add a photo" fills the side's empty photo frame if it has one, or else adds a frame in free
//   space inside the safe zone. Either way the photo's layer ends selected.
import { geometryOf, round, select } from "./canvas.js";
import { paragraph } from "./messages.js";
import { apiHeaders, editorElement, send } from "./requests.js";

const MB = 1024 * 1024;
// A new frame takes at most this share of the safe zone's width and height.
const NEW_FRAME_SHARE = 0.5;
// Places tried: about this many across the safe zone, at least 1 mm apart.
const PLACES_ACROSS = 100;
const TYPE_NAMES = {
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/webp": "WebP",
  "image/tiff": "TIFF",
  "image/gif": "GIF",
  "image/svg+xml": "SVG",
};

function megabytes(bytes) {
  const value = bytes / MB;
  return (value >= 10 ? Math.round(value) : Math.round(value * 10) / 10) + " MB";
}

function noteOf(input) {
  return document.getElementById(input.getAttribute("aria-describedby").split(" ")[0]);
}

// Why the file cannot be sent, in plain words; null when it may go.
export function refusal(file, input) {
  const limit = Number(input.dataset.maxBytes);
  if (limit && file.size > limit) {
    return `This photo is ${megabytes(file.size)}; the largest photo you can add is ${megabytes(limit)}.`;
  }
  const allowed = (input.getAttribute("accept") || "").split(",").filter(Boolean);
  if (file.type && allowed.length && !allowed.includes(file.type)) {
    const names = allowed.map((type) => TYPE_NAMES[type] || type).join(", ");
    return `This file is not a photo you can add here: choose a ${names} file.`;
  }
  return null;
}

function refuse(input, note, message) {
  note.replaceChildren(paragraph(message, "error"));
  input.setAttribute("aria-invalid", "true");
  input.value = "";
}

// The upload's own checks speak of files and formats; the customer hears about their photo.
const PLAIN_WARNINGS = {
  resolution: "This photo is small for this product: it may print blurry if it is placed large.",
  colorMode: "This photo's colours are converted for printing; they may look slightly different.",
};

function warningText(check) {
  return PLAIN_WARNINGS[check.name] || check.message;
}

function refusalOf(status, body, input) {
  if (status === 413) {
    return `This photo is too large: the largest photo you can add is ${megabytes(Number(input.dataset.maxBytes))}.`;
  }
  const error = body.error || {};
  const reasons = (error.errors || []).map((item) => item.message).filter(Boolean);
  if (!reasons.length) return `This photo could not be added (${status}). Please try again.`;
  return "This photo could not be added: " + reasons.join(" ");
}

function progressBar(note, file) {
  const id = note.id + "-progress";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = "Uploading " + file.name;
  const bar = document.createElement("progress");
  bar.id = id;
  bar.max = 100;
  const holder = document.createElement("div");
  holder.className = "upload-progress";
  holder.append(label, bar);
  note.replaceChildren(holder);
  return bar;
}

function post(form, bar) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/files/upload");
    for (const [name, value] of Object.entries(apiHeaders())) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
    };
    request.onload = () => {
      let body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch (ignored) {
        body = {};
      }
      resolve({ status: request.status, body });
    };
    request.onerror = () => resolve({ status: 0, body: {} });
    request.send(form);
  });
}

async function upload(input) {
  const file = input.files[0];
  if (!file) return null;
  const note = noteOf(input);
  const refused = refusal(file, input);
  if (refused) {
    refuse(input, note, refused);
    return null;
  }
  const form = new FormData();
  form.append("file", file);
  form.append("purpose", "upload");
  const product = editorElement().dataset.product;
  if (product) form.append("productId", product);
  const { status, body } = await post(form, progressBar(note, file));
  if (status === 0) {
    refuse(input, note, "The photo could not be sent: check the connection and try again.");
    return null;
  }
  if (status >= 400) {
    refuse(input, note, refusalOf(status, body, input));
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
      entry.textContent = warningText(check);
      list.append(entry);
    }
    note.append(list);
  }
  return body;
}

export async function onPhotoChosen(input) {
  const uploaded = await upload(input);
  if (!uploaded) return;
  input.value = "";
  const frame = input.dataset.photoFor ? input : document.querySelector("input[data-empty-frame]:not([disabled])");
  if (frame) {
    // The frame stays; the new photo fills it, centred (no crop carried over from the old one).
    const id = frame.dataset.photoFor;
    frame.removeAttribute("data-empty-frame");
    await send("PATCH", document.getElementById("layer-" + id).dataset.url, { fileId: uploaded.id, crop: null });
    select(id);
    return;
  }
  const id = "lyr_" + Math.random().toString(36).slice(2, 14);
  const ratio = uploaded.widthPx && uploaded.heightPx ? uploaded.heightPx / uploaded.widthPx : 1;
  const box = freeFrame(input, ratio);
  await send("POST", input.dataset.photoAdd, { id, type: "image", name: "Photo", fileId: uploaded.id, ...box });
  select(id);
}

// A frame of the photo's proportions inside the safe zone, where it covers the least of the other
// layers (none, if it can), the nearest such place to the middle; smaller until it fits.
function freeFrame(input, ratio) {
  const sideWidth = Number(input.dataset.sideWidth);
  const sideHeight = Number(input.dataset.sideHeight);
  const safe = Math.min(Number(input.dataset.safeZone) || 0, sideWidth / 4, sideHeight / 4);
  const zone = { x: safe, y: safe, width: sideWidth - 2 * safe, height: sideHeight - 2 * safe };
  const others = [...document.querySelectorAll("#layers > li.layer")].map((item) => geometryOf(item.dataset.layerId));
  let width = zone.width * NEW_FRAME_SHARE;
  let height = width * ratio;
  if (height > zone.height * NEW_FRAME_SHARE) {
    height = zone.height * NEW_FRAME_SHARE;
    width = height / ratio;
  }
  let best = null;
  for (let attempt = 0; attempt < 4 && !(best && best.covered === 0); attempt += 1) {
    const found = bestPlace(zone, width, height, others);
    if (!best || found.covered < best.covered) best = found;
    width *= 0.75;
    height *= 0.75;
  }
  return { x: round(best.x), y: round(best.y), width: round(best.width), height: round(best.height) };
}

function bestPlace(zone, width, height, others) {
  const centre = { x: zone.x + zone.width / 2, y: zone.y + zone.height / 2 };
  const place = (x, y) => ({
    x,
    y,
    width,
    height,
    covered: others.reduce((sum, box) => sum + overlap({ x, y, width, height }, box), 0),
    distance: Math.hypot(x + width / 2 - centre.x, y + height / 2 - centre.y),
  });
  // The middle first: a free middle is where a new photo belongs.
  let best = place(centre.x - width / 2, centre.y - height / 2);
  const step = Math.max(1, Math.max(zone.width, zone.height) / PLACES_ACROSS);
  for (let y = zone.y; y + height <= zone.y + zone.height + 1e-9; y += step) {
    for (let x = zone.x; x + width <= zone.x + zone.width + 1e-9; x += step) {
      const tried = place(x, y);
      const less = tried.covered < best.covered - 1e-9;
      if (less || (Math.abs(tried.covered - best.covered) <= 1e-9 && tried.distance < best.distance)) best = tried;
    }
  }
  return best;
}

function overlap(a, b) {
  const across = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const down = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return across > 0 && down > 0 ? across * down : 0;
}
