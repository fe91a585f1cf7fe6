"""Whether a GLB can be shown in a browser's 3D viewer, read with pygltflib (pure: bytes in, a
report out; no Flask, no database).

A model is refused, with the first reason found, when it is larger than its limit, is not binary
glTF 2.0 (the 12-byte header: magic `glTF`, version 2, the file's own length), has no geometry
(no mesh primitive with a POSITION attribute), refers to anything outside itself (a buffer or an
image with a `uri`: a viewer would fetch it from elsewhere, or a data URI that bypasses the
texture check), or carries a texture wider or taller than its limit (the embedded images' sizes
read with Pillow).
"""

import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image
from pygltflib import GLTF2

VALIDATOR_VERSION = "glb-pygltflib-1"
MAX_MODEL_BYTES = 25 * 1024 * 1024
MAX_TEXTURE_PX = 4096
_GLB_MAGIC = b"glTF"


class InvalidModel(ValueError):
    """The GLB cannot be shown; the message says why, in words a merchant can act on."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_MODEL_BYTES
    max_texture_px: int = MAX_TEXTURE_PX


def validate_glb(data: bytes, limits: Limits = Limits()) -> dict:
    """The model's report: its meshes, primitives, materials and textures (with their sizes).

    Raises InvalidModel with the reason it cannot be shown.
    """
    if len(data) > limits.max_bytes:
        raise InvalidModel(
            f"The model is {len(data) / 1048576:.1f} MB; "
            f"a model may be at most {limits.max_bytes / 1048576:.0f} MB"
        )
    _check_header(data)
    gltf = _load(data)
    blob = gltf.binary_blob() or b""
    primitives = [primitive for mesh in gltf.meshes for primitive in mesh.primitives]
    if not any(primitive.attributes.POSITION is not None for primitive in primitives):
        raise InvalidModel("The model has no geometry: no mesh primitive with vertex positions (POSITION)")
    for index, buffer in enumerate(gltf.buffers):
        if buffer.uri is not None:
            raise InvalidModel(
                f"Buffer {index} refers to data outside the file ({_shown(buffer.uri)}); "
                "embed every buffer in the GLB"
            )
    textures = [_texture(gltf, blob, index, image, limits) for index, image in enumerate(gltf.images)]
    return {
        "meshes": len(gltf.meshes),
        "primitives": len(primitives),
        "materials": [material.name or f"material {index}" for index, material in enumerate(gltf.materials)],
        "textures": textures,
        "sizeBytes": len(data),
    }


def _check_header(data: bytes) -> None:
    if len(data) < 12 or data[:4] != _GLB_MAGIC:
        raise InvalidModel("The file is not a binary glTF (GLB): it does not start with the 'glTF' header")
    version, length = struct.unpack("<II", data[4:12])
    if version != 2:
        raise InvalidModel(f"The file is binary glTF version {version}; only glTF 2.0 can be shown")
    if length != len(data):
        raise InvalidModel(
            f"The GLB header says {length} bytes but the file has {len(data)}: it is cut or padded"
        )


def _load(data: bytes) -> GLTF2:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pygltflib warns of chunks it skips; they are not shown
            gltf = GLTF2.load_from_bytes(data)
    except Exception as error:  # whatever a malformed file makes the reader meet
        raise InvalidModel(f"The GLB cannot be read: {error}") from None
    if gltf is None:
        raise InvalidModel("The GLB cannot be read: it has no JSON chunk")
    return gltf


def _texture(gltf: GLTF2, blob: bytes, index: int, image, limits: Limits) -> dict:
    if image.uri is not None:
        raise InvalidModel(
            f"Image {index} refers to a file outside the GLB ({_shown(image.uri)}); embed every texture"
        )
    if image.bufferView is None or image.bufferView >= len(gltf.bufferViews):
        raise InvalidModel(f"Image {index} has no embedded data (no bufferView)")
    view = gltf.bufferViews[image.bufferView]
    start = view.byteOffset or 0
    encoded = blob[start : start + view.byteLength]
    try:
        with Image.open(io.BytesIO(encoded)) as picture:
            width_px, height_px = picture.size
    except Exception:  # noqa: BLE001 - any undecodable texture is refused the same way
        raise InvalidModel(f"Image {index} is not a PNG or JPEG that can be read") from None
    if max(width_px, height_px) > limits.max_texture_px:
        raise InvalidModel(
            f"Texture {index} is {width_px} × {height_px} px; textures may be at most "
            f"{limits.max_texture_px} px wide and tall"
        )
    return {"index": index, "widthPx": width_px, "heightPx": height_px, "mimeType": image.mimeType}


def _shown(uri: str) -> str:
    return "a data URI" if uri.startswith("data:") else f"'{uri[:80]}'"
