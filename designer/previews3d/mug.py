"""The demo mug as a GLB, built from numbers at seed time: an open cylinder whose outside is the
material `wrap` (its UVs run once around, u from the handle's side, v from the rim down, so the
mug side's 200 × 90 mm design lies on it as printed), a bottom, and a handle, both `ceramic`.
Metres, +Y up, as glTF says.
"""

import math
import struct

from pygltflib import (
    ARRAY_BUFFER,
    ELEMENT_ARRAY_BUFFER,
    FLOAT,
    GLTF2,
    SCALAR,
    UNSIGNED_SHORT,
    VEC2,
    VEC3,
    Accessor,
    Asset,
    Attributes,
    Buffer,
    BufferView,
    Material,
    Mesh,
    Node,
    PbrMetallicRoughness,
    Primitive,
    Scene,
)

WRAP_MATERIAL = "wrap"
RADIUS_M = 0.200 / (2 * math.pi)  # the 200 mm wrap goes exactly once around
HEIGHT_M = 0.090
_AROUND = 48  # segments of the body
_HANDLE_ALONG, _HANDLE_AROUND = 16, 8
_HANDLE_RADIUS_M, _HANDLE_TUBE_M = 0.024, 0.0055


def mug_glb() -> bytes:
    """The demo mug's GLB (about 13 KB), the same bytes every time."""
    builder = _Builder()
    body = builder.primitive(*_body(), material=0)
    bottom = builder.primitive(*_bottom(), material=1)
    handle = builder.primitive(*_handle(), material=1)
    gltf = GLTF2(
        asset=Asset(generator="Presswork demo mug", version="2.0"),
        scene=0,
        scenes=[Scene(nodes=[0])],
        nodes=[Node(mesh=0, name="mug")],
        meshes=[Mesh(name="mug", primitives=[body, bottom, handle])],
        materials=[
            # Glazed ceramic, not metal (glTF's metallicFactor is 1 unless said).
            Material(
                name=WRAP_MATERIAL,
                pbrMetallicRoughness=PbrMetallicRoughness(metallicFactor=0.0, roughnessFactor=0.35),
            ),
            Material(
                name="ceramic",
                pbrMetallicRoughness=PbrMetallicRoughness(
                    baseColorFactor=[0.95, 0.95, 0.93, 1.0], metallicFactor=0.0, roughnessFactor=0.3
                ),
            ),
        ],
        accessors=builder.accessors,
        bufferViews=builder.views,
        buffers=[Buffer(byteLength=len(builder.blob))],
    )
    gltf.set_binary_blob(bytes(builder.blob))
    return b"".join(gltf.save_to_bytes())


Vertex = tuple[float, float, float]


def _body() -> tuple[list[Vertex], list[Vertex], list[tuple[float, float]], list[int]]:
    positions, normals, uvs, indices = [], [], [], []
    for i in range(_AROUND + 1):  # the seam's column twice, at u 0 and 1
        angle = 2 * math.pi * i / _AROUND
        x, z = math.cos(angle), -math.sin(angle)
        for y, v in ((HEIGHT_M, 0.0), (0.0, 1.0)):
            positions.append((RADIUS_M * x, y, RADIUS_M * z))
            normals.append((x, 0.0, z))
            uvs.append((i / _AROUND, v))
    for i in range(_AROUND):
        top, bottom, next_top, next_bottom = 2 * i, 2 * i + 1, 2 * i + 2, 2 * i + 3
        indices += [top, bottom, next_bottom, top, next_bottom, next_top]
    return positions, normals, uvs, indices


def _bottom() -> tuple[list[Vertex], list[Vertex], None, list[int]]:
    positions, normals = [(0.0, 0.0, 0.0)], [(0.0, -1.0, 0.0)]
    for i in range(_AROUND):
        angle = 2 * math.pi * i / _AROUND
        positions.append((RADIUS_M * math.cos(angle), 0.0, -RADIUS_M * math.sin(angle)))
        normals.append((0.0, -1.0, 0.0))
    indices = []
    for i in range(_AROUND):
        indices += [0, 1 + (i + 1) % _AROUND, 1 + i]
    return positions, normals, None, indices


def _handle() -> tuple[list[Vertex], list[Vertex], None, list[int]]:
    """Half a torus on the +X side, in the XY plane, its ends in the wall."""
    centre_x, centre_y = RADIUS_M, HEIGHT_M / 2
    positions, normals = [], []
    for i in range(_HANDLE_ALONG + 1):
        along = -math.pi / 2 + math.pi * i / _HANDLE_ALONG
        ring_x, ring_y = math.cos(along), math.sin(along)
        for j in range(_HANDLE_AROUND):
            around = 2 * math.pi * j / _HANDLE_AROUND
            normal = (math.cos(around) * ring_x, math.cos(around) * ring_y, math.sin(around))
            positions.append(
                (
                    centre_x + _HANDLE_RADIUS_M * ring_x + _HANDLE_TUBE_M * normal[0],
                    centre_y + _HANDLE_RADIUS_M * ring_y + _HANDLE_TUBE_M * normal[1],
                    _HANDLE_TUBE_M * normal[2],
                )
            )
            normals.append(normal)
    indices = []
    for i in range(_HANDLE_ALONG):
        for j in range(_HANDLE_AROUND):
            a, b = i * _HANDLE_AROUND + j, i * _HANDLE_AROUND + (j + 1) % _HANDLE_AROUND
            c, d = a + _HANDLE_AROUND, b + _HANDLE_AROUND
            indices += [a, c, d, a, d, b]
    return positions, normals, None, indices


class _Builder:
    """The binary chunk and its views and accessors, one per attribute, 4-byte aligned."""

    def __init__(self):
        self.blob = bytearray()
        self.views: list[BufferView] = []
        self.accessors: list[Accessor] = []

    def primitive(self, positions, normals, uvs, indices, *, material: int) -> Primitive:
        attributes = Attributes(
            POSITION=self._floats(positions, VEC3, bounds=True),
            NORMAL=self._floats(normals, VEC3),
            TEXCOORD_0=self._floats(uvs, VEC2) if uvs else None,
        )
        packed = struct.pack(f"<{len(indices)}H", *indices)
        index_accessor = self._add(packed, ELEMENT_ARRAY_BUFFER, UNSIGNED_SHORT, len(indices), SCALAR)
        return Primitive(attributes=attributes, indices=index_accessor, material=material)

    def _floats(self, rows, kind: str, *, bounds: bool = False) -> int:
        flat = [value for row in rows for value in row]
        packed = struct.pack(f"<{len(flat)}f", *flat)
        extent = {}
        if bounds:
            columns = list(zip(*rows, strict=True))
            extent = {"min": [min(column) for column in columns], "max": [max(column) for column in columns]}
        return self._add(packed, ARRAY_BUFFER, FLOAT, len(rows), kind, **extent)

    def _add(self, packed: bytes, target: int, component: int, count: int, kind: str, **extent) -> int:
        self.views.append(
            BufferView(buffer=0, byteOffset=len(self.blob), byteLength=len(packed), target=target)
        )
        self.blob += packed + b"\0" * (-len(packed) % 4)
        self.accessors.append(
            Accessor(
                bufferView=len(self.views) - 1, componentType=component, count=count, type=kind, **extent
            )
        )
        return len(self.accessors) - 1
