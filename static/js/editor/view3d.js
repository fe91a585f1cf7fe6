// The editor's 3D view (templates/editor/_view3d.html), beside the flat canvas, on a product with
// a 3D profile only: the template includes this module there and nowhere else, so three.js
// (static/vendor/three, copied from npm by `make install`) is fetched by those pages alone.
// - "3D view" / "Flat view" shows one or the other;
// - a model (the demo mug): its GLB drawn in WebGL, the composer's preview (the SVG in #preview,
//   rasterized here) laid as a texture on the material the side's mapping names, in its UV region
//   and transform; drag (mouse or finger) or the arrow keys turn it; drawn only while it moves;
// - an edge preview (a canvas print): the server's picture, fetched again after each edit;
// - after each edit (htmx swapping #preview) the texture or picture follows.
import {
  AmbientLight,
  CanvasTexture,
  Color,
  DirectionalLight,
  PerspectiveCamera,
  SRGBColorSpace,
  Scene,
  WebGLRenderer,
  Box3,
  Vector3,
} from "../../vendor/three/build/three.module.js";
import { GLTFLoader } from "../../vendor/three/examples/jsm/loaders/GLTFLoader.js";

const TEXTURE_WIDTH_PX = 2048;
const KEY_TURN_RAD = Math.PI / 12;
const DRAG_TURN_RAD_PER_PX = 0.01;
const MAX_TILT_RAD = Math.PI / 3;
const EDGE_REFRESH_AFTER_MS = 400;
const ASPECT = 4 / 3; // the 3D canvas's width over its height

let view = null; // the view of the editor body shown now (another side's body starts another)

function publishableHeaders() {
  const editor = document.getElementById("editor");
  return JSON.parse(editor.getAttribute("hx-headers") || "{}");
}

function status(message) {
  const line = document.getElementById("view3d-status");
  if (line) line.textContent = message;
}

// The toggle: the 3D view or the flat canvas (with its toolbar and rulers), never both.
function showing3d(on) {
  const box = document.getElementById("view3d");
  box.hidden = !on;
  document.getElementById("canvas-frame").hidden = on;
  document.getElementById("arrange").hidden = on;
  document.getElementById("view3d-toggle").textContent = on ? "Flat view" : "3D view";
  if (on) view.show();
}

// What is printed of the preview, for the texture: its trim box, without the mockup, the guides
// and the editor's marks (glyphs are paths and pictures data, so it draws as an image alone).
function printedPart(svg) {
  const copy = svg.cloneNode(true);
  copy.querySelectorAll(".mockup, .guides, .layer-marks").forEach((part) => part.remove());
  copy.setAttribute("viewBox", `0 0 ${svg.dataset.trimWidth} ${svg.dataset.trimHeight}`);
  return copy;
}

// What the model shows: the preview's printed part drawn on a canvas, in the mapping's UV region.
async function rasterizedPreview(canvas, region, transform) {
  const svg = document.querySelector("#preview svg");
  if (!svg) return false;
  const copy = printedPart(svg);
  const heightPx = Math.round((TEXTURE_WIDTH_PX * svg.dataset.trimHeight) / svg.dataset.trimWidth);
  copy.setAttribute("width", TEXTURE_WIDTH_PX);
  copy.setAttribute("height", heightPx);
  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(copy)], { type: "image/svg+xml" }),
  );
  try {
    const picture = new Image();
    picture.src = url;
    await picture.decode();
    const width = Math.round(TEXTURE_WIDTH_PX / (region.width || 1));
    const height = Math.round(heightPx / (region.height || 1));
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, width, height);
    // The region's box, then the design moved, scaled and turned about its centre within it.
    const x = (region.u || 0) * width;
    const y = (region.v || 0) * height;
    const w = (region.width || 1) * width;
    const h = (region.height || 1) * height;
    context.save();
    context.translate(x + w / 2 + (transform.offsetX || 0) * w, y + h / 2 + (transform.offsetY || 0) * h);
    context.rotate(((transform.rotationDeg || 0) * Math.PI) / 180);
    context.scale(transform.scaleX || 1, transform.scaleY || 1);
    context.drawImage(picture, -w / 2, -h / 2, w, h);
    context.restore();
    return true;
  } finally {
    URL.revokeObjectURL(url);
  }
}

class ModelView {
  constructor(box) {
    this.box = box;
    this.canvas = document.getElementById("view3d-canvas");
    this.material = box.dataset.material;
    this.region = JSON.parse(box.dataset.uvRegion || "{}");
    this.transform = JSON.parse(box.dataset.transform || "{}");
    this.textureCanvas = document.createElement("canvas");
    this.yaw = 0;
    this.pitch = 0.25;
    this.frameAsked = false;
    this.started = null;
  }

  show() {
    if (!this.started) this.started = this.start();
    this.resize();
  }

  async start() {
    try {
      // No multisampling: on a phone or a CPU-drawn WebGL it costs a quarter of the frame rate
      // (bench/viewer3d.py), and the design itself is smooth (a mipmapped texture).
      this.renderer = new WebGLRenderer({ canvas: this.canvas, antialias: false });
    } catch {
      this.showStill();
      return;
    }
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    this.renderer.outputColorSpace = SRGBColorSpace;
    this.scene = new Scene();
    this.scene.background = new Color(0xf3f4f6);
    this.scene.add(new AmbientLight(0xffffff, 1.6));
    const light = new DirectionalLight(0xffffff, 2);
    light.position.set(1, 2, 3);
    this.scene.add(light);
    this.camera = new PerspectiveCamera(35, ASPECT);
    status("Loading the 3D model…");
    const loader = new GLTFLoader();
    loader.setRequestHeader(publishableHeaders());
    let gltf;
    try {
      gltf = await loader.loadAsync(this.box.dataset.modelUrl);
    } catch {
      status("The 3D model could not be loaded: the flat design is shown instead.");
      this.showStill();
      return;
    }
    this.model = gltf.scene;
    this.scene.add(this.model);
    this.frame();
    // Drawn before the texture is made: its size is the canvas's from then on.
    await rasterizedPreview(this.textureCanvas, this.region, this.transform);
    this.texture = new CanvasTexture(this.textureCanvas);
    this.texture.colorSpace = SRGBColorSpace;
    this.texture.flipY = false; // glTF's UVs start at the top left
    this.texture.anisotropy = this.renderer.capabilities.getMaxAnisotropy();
    const printed = [];
    this.model.traverse((part) => {
      if (!part.isMesh || part.material.name !== this.material) return;
      part.material.map = this.texture;
      part.material.color.set(0xffffff);
      part.material.needsUpdate = true;
      printed.push(part);
    });
    if (printed.length) this.turn(this.facingDesign(printed[0]), 0);
    this.wire();
    this.resize();
    status("");
    this.canvas.dataset.ready = "true";
  }

  // The model turns about its own upright axis, centred in the view, and the camera stands where
  // the whole model shows however it is turned (within a sphere about that axis).
  frame() {
    const bounds = new Box3().setFromObject(this.model);
    const reach = Math.hypot(
      Math.max(-bounds.min.x, bounds.max.x),
      Math.max(-bounds.min.z, bounds.max.z),
      (bounds.max.y - bounds.min.y) / 2,
    );
    this.model.position.set(0, -(bounds.min.y + bounds.max.y) / 2, 0);
    const distance = reach / Math.sin((this.camera.fov * Math.PI) / 360);
    this.camera.position.set(0, 0, distance);
    this.camera.near = distance / 100; // models come in any size (glTF's metres, or not)
    this.camera.far = distance * 4;
    this.camera.updateProjectionMatrix();
    this.camera.lookAt(0, 0, 0);
  }

  // The turn that brings the middle of the design to face the camera (a mug's wrap: its middle,
  // not wherever the model's front is): the angle about the upright axis of the point on the
  // printed surface nearest the middle of the side's UV region.
  facingDesign(surface) {
    const uv = surface.geometry.getAttribute("uv");
    if (!uv) return 0;
    const middleU = (this.region.u || 0) + (this.region.width || 1) / 2;
    const middleV = (this.region.v || 0) + (this.region.height || 1) / 2;
    let nearest = 0;
    let nearestDistance = Infinity;
    for (let index = 0; index < uv.count; index += 1) {
      const distance = (uv.getX(index) - middleU) ** 2 + (uv.getY(index) - middleV) ** 2;
      if (distance < nearestDistance) [nearest, nearestDistance] = [index, distance];
    }
    this.model.updateMatrixWorld(true);
    const point = new Vector3().fromBufferAttribute(surface.geometry.getAttribute("position"), nearest);
    point.applyMatrix4(surface.matrixWorld).sub(this.model.position); // about the model's own axis
    return -Math.atan2(point.x, point.z);
  }

  wire() {
    let last = null;
    this.canvas.addEventListener("pointerdown", (event) => {
      last = { x: event.clientX, y: event.clientY };
      this.canvas.setPointerCapture(event.pointerId);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (!last) return;
      this.turn((event.clientX - last.x) * DRAG_TURN_RAD_PER_PX, (event.clientY - last.y) * DRAG_TURN_RAD_PER_PX);
      last = { x: event.clientX, y: event.clientY };
    });
    const release = () => {
      last = null;
    };
    this.canvas.addEventListener("pointerup", release);
    this.canvas.addEventListener("pointercancel", release);
    this.canvas.addEventListener("keydown", (event) => {
      const turns = {
        ArrowLeft: [-KEY_TURN_RAD, 0],
        ArrowRight: [KEY_TURN_RAD, 0],
        ArrowUp: [0, -KEY_TURN_RAD],
        ArrowDown: [0, KEY_TURN_RAD],
      };
      if (!turns[event.key]) return;
      event.preventDefault();
      this.turn(...turns[event.key]);
    });
    window.addEventListener("resize", () => this.resize());
  }

  turn(yaw, pitch) {
    this.yaw += yaw;
    this.pitch = Math.max(-MAX_TILT_RAD, Math.min(MAX_TILT_RAD, this.pitch + pitch));
    this.canvas.dataset.yaw = this.yaw.toFixed(3);
    this.draw();
  }

  resize() {
    if (!this.renderer || this.box.hidden) return;
    // The style sheet gives the canvas its width; its drawing buffer follows.
    const width = this.canvas.clientWidth;
    this.renderer.setSize(width, Math.round(width / ASPECT), false);
    this.draw();
  }

  // One drawing on the next frame, however many turns and edits asked for it.
  draw() {
    if (this.frameAsked || !this.model) return;
    this.frameAsked = true;
    requestAnimationFrame(() => {
      this.frameAsked = false;
      this.model.rotation.set(this.pitch, this.yaw, 0, "XYZ");
      this.renderer.render(this.scene, this.camera);
    });
  }

  async refresh() {
    if (!this.texture) return;
    if (await rasterizedPreview(this.textureCanvas, this.region, this.transform)) {
      this.texture.needsUpdate = true;
      this.draw();
    }
  }

  // Where WebGL or the model is missing: the flat design, as the composer draws it.
  showStill() {
    const svg = document.querySelector("#preview svg");
    const still = document.getElementById("view3d-still");
    this.canvas.hidden = true;
    still.hidden = false;
    if (svg) {
      const markup = new XMLSerializer().serializeToString(printedPart(svg));
      still.src = URL.createObjectURL(new Blob([markup], { type: "image/svg+xml" }));
    }
  }
}

class EdgeView {
  constructor(box) {
    this.box = box;
    this.still = document.getElementById("view3d-still");
    this.timer = null;
    this.stale = true;
  }

  // Drawn on the server: fetched when the view is shown after edits made in the flat view.
  show() {
    if (this.stale) this.load();
  }

  // After an edit: once the edits pause, and only when it is seen.
  refresh() {
    this.stale = true;
    clearTimeout(this.timer);
    if (!this.box.hidden) this.timer = setTimeout(() => this.load(), EDGE_REFRESH_AFTER_MS);
  }

  // An <img> cannot send the storefront's token, so the picture is fetched and shown from memory.
  async load() {
    this.stale = false;
    status("Drawing the 3D preview…");
    // no-cache: asked again each time (the server answers from its own cache when nothing changed).
    const answer = await fetch(this.box.dataset.edgePreviewUrl, {
      headers: publishableHeaders(),
      cache: "no-cache",
    });
    if (!answer.ok) {
      status("The 3D preview could not be drawn.");
      return;
    }
    const previous = this.still.src;
    this.still.src = URL.createObjectURL(await answer.blob());
    await this.still.decode().catch(() => {});
    if (previous.startsWith("blob:")) URL.revokeObjectURL(previous);
    this.still.dataset.etag = answer.headers.get("ETag") || "";
    status("");
  }
}

function start() {
  const box = document.getElementById("view3d");
  if (box && box.dataset.wired) return;
  view = null;
  if (!box) return; // a side with no 3D view
  box.dataset.wired = "true";
  view = box.dataset.mode === "model" ? new ModelView(box) : new EdgeView(box);
  document.getElementById("view3d-toggle").addEventListener("click", () => showing3d(box.hidden));
}

// Another side's body, shown by the strip of sides or by Back (sides.js).
document.addEventListener("htmx:historyRestore", start);
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.target.id === "editor") start();
  if (event.target.id === "preview" && view) view.refresh();
});
start();
