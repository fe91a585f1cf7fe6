"""PrintCart's layers (canvas-style objects in pixels of the product's DPI) and Presswork's typed
layers in millimetres (composer/layers.py), both ways.

A PrintCart layer is placed as a canvas object is: `left`/`top` are its origin point (`originX`,
`originY`), `width`/`height` its size before `scaleX`/`scaleY`, `angle` turns it about that origin;
the canvas's (0, 0) is the trim box's top-left corner and one pixel is 1/dpi inch (`fontSize`
too, so 12 pt at 300 dpi is 50 px). Presswork places a layer by its box's top-left corner and
turns it about its centre; the two meet at the centre.

Kinds: text (`textbox`, `i-text`, `text`, or no `type` with a `text`), `image` (`image_id`, none
for an empty frame), `clipart` (`clipart_id`), `rect`, `ellipse`, `circle`, `line`, and `group`
(its `objects` placed about its centre), which Presswork keeps as its layers one by one. Fields
a canvas keeps only for its editor (`selectable`, `version`, …) are taken as they come; a field
that would change what prints and has no place in Presswork (a flip, a skew, a shadow, an
underline, a rounded corner, a stretched text) is refused naming it, never dropped. Presswork's
own fields with no canvas name (`rules`, `ink`, `curve`, `autoFit`, `fit`, `crop`) are kept under
their native names both ways.

Nothing here reads the database: the room's caller gives a `Canvas` with the product's DPI and
what it needs to name fonts and files.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from PIL import ImageColor
from pydantic import TypeAdapter, ValidationError

from designer.composer.layers import ClipartLayer, ImageLayer, Layer, ShapeLayer, TextLayer, load_layers
from designer.errors import ValidationFailed, validation_failed

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72
REGULAR, BOLD = 400, 700

_TEXT_KINDS = ("textbox", "i-text", "text")
# Kept by a canvas for its editor only: any value prints the same.
_EDITOR_ONLY = frozenset(
    {
        "version",
        "selectable",
        "evented",
        "hasControls",
        "hasBorders",
        "objectCaching",
        "minWidth",
        "crossOrigin",
        "splitByGrapheme",
        "lockScalingX",
        "lockScalingY",
        "lockRotation",
        "strokeUniform",
        "strokeLineCap",
        "strokeLineJoin",
        "strokeMiterLimit",
        "src",
    }
)
# Taken at the value that draws nothing more; another value is refused.
_NEUTRAL = {
    "visible": (True,),
    "flipX": (False,),
    "flipY": (False,),
    "skewX": (0,),
    "skewY": (0,),
    "shadow": (None,),
    "strokeDashArray": (None, []),
    "strokeDashOffset": (0,),
    "globalCompositeOperation": ("source-over",),
    "backgroundColor": (None, ""),
    "textBackgroundColor": (None, ""),
    "fillRule": ("nonzero",),
    "paintFirst": ("fill",),
    "underline": (False,),
    "overline": (False,),
    "linethrough": (False,),
    "styles": ({}, []),
    "direction": ("ltr",),
    "cropX": (0,),
    "cropY": (0,),
    "filters": ([],),
    "rx": (0,),
    "ry": (0,),
}
_NATIVE_KEPT = {
    "text": ("curve", "autoFit", "rules", "ink"),
    "image": ("fit", "crop", "rules", "ink"),
    "clipart": ("rules", "ink"),
    "shape": ("rules", "ink"),
}
_ORIGINS = {"left": 0.5, "top": 0.5, "center": 0.0, "right": -0.5, "bottom": -0.5}
# A native field (as a refusal names it) and the PrintCart field it came from.
_FIELDS = {
    "x": "left",
    "y": "top",
    "rotation": "angle",
    "color": "fill",
    "align": "textAlign",
    "lineHeight": "lineHeight",
    "letterSpacing": "charSpacing",
    "fontId": "fontWeight",
    "fileId": "image_id",
    "clipartId": "clipart_id",
    "name": "name",
    "locked": "lockMovementX",
}

_LAYER = TypeAdapter(Layer)


@dataclass(frozen=True)
class Canvas:
    """What translating needs beyond the layers: the product's DPI; `face(family, weight,
    style)` the store's font id for a face other than a family's regular one (None: none);
    `font(font_id)` a font's (family, weight, style); `src(kind, id)` an image's or clipart's URL."""

    dpi: int
    face: Callable[[str, int, str], str | None]
    font: Callable[[str], tuple[str, int, str] | None]
    src: Callable[[str, str], str]

    @property
    def mm(self) -> float:
        """Millimetres in a pixel."""
        return MM_PER_INCH / self.dpi


@dataclass(frozen=True)
class _Place:
    """Where a group puts its objects: its centre (px), turn (degrees) and scale."""

    x: float = 0.0
    y: float = 0.0
    angle: float = 0.0
    scale_x: float = 1.0
    scale_y: float = 1.0


def refused(field: str, why: str) -> ValidationFailed:
    return ValidationFailed(f"Field '{field}': {why}", field=field)


# PrintCart's into Presswork's


def layers_in(objects: list, canvas: Canvas, field: str = "layers") -> tuple[list[dict], dict[str, str]]:
    """Presswork's layers (camelCase, as the native API takes them) for PrintCart's `objects`,
    a group's objects in its place, and the names (translate.py `speaking`) that turn a native
    refusal's field (`layers.3.fileId`) into PrintCart's (`layers.1.objects.0.image_id`).
    Raises ValidationFailed naming the PrintCart field at fault (`layers.2.objects.0.flipX`)."""
    placed: list[tuple[str, dict]] = []
    for index, item in enumerate(objects):
        _translate(item, f"{field}.{index}", _Place(), canvas, placed)
    names = {}
    for index, (path, _) in enumerate(placed):
        names[f"{field}.{index}"] = path
        names |= {f"{field}.{index}.{native}": f"{path}.{name}" for native, name in _FIELDS.items()}
    return [layer for _, layer in placed], names


def _translate(item, path: str, place: _Place, canvas: Canvas, out: list[tuple[str, dict]]) -> None:
    if not isinstance(item, dict):
        raise refused(path, "a layer is a JSON object")
    read = _Reader(item, path)
    kind = read.kind()
    if kind == "group":
        _group(read, place, canvas, out)
        return
    layer = {"type": _NATIVE_TYPE.get(kind, kind)}
    geometry = _geometry(read, kind, place, canvas)
    layer |= geometry
    layer |= _CONTENT[kind](read, canvas, place)
    layer |= _common(read)
    for name in _NATIVE_KEPT[layer["type"]]:
        if name in item:
            layer[name] = read.take(name)
    read.done()
    try:
        _LAYER.validate_python(layer)
    except ValidationError as error:
        raise _named(validation_failed(error), path) from None
    out.append((path, layer))


def _named(error: ValidationFailed, path: str) -> ValidationFailed:
    def name(field: str | None) -> str:
        if not field:
            return path
        head, _, rest = field.partition(".")
        return f"{path}.{_FIELDS.get(head, head)}" + (f".{rest}" if rest else "")

    for item in error.errors or []:
        native = item.get("field")
        item["message"] = item["message"].replace(f"'{native}'", f"'{name(native)}'")
        item["field"] = name(native)
    error.message = error.message.replace(f"'{error.field}'", f"'{name(error.field)}'")
    error.field = name(error.field)
    return error


class _Reader:
    """One PrintCart object's fields, each read once; `done` refuses the ones left over."""

    def __init__(self, item: dict, path: str):
        self.item = item
        self.path = path
        self.read: set[str] = set()

    def field(self, name: str) -> str:
        return f"{self.path}.{name}"

    def take(self, name: str, default=None):
        self.read.add(name)
        return self.item.get(name, default)

    def number(self, name: str, default: float | None = None) -> float:
        value = self.take(name, default)
        if value is None:
            raise refused(self.field(name), "is required")
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise refused(self.field(name), f"must be a number, not {value!r}")
        return float(value)

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.take(name, default)
        if value is not None and not isinstance(value, str):
            raise refused(self.field(name), f"must be a string, not {value!r}")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.take(name, default)
        if not isinstance(value, bool):
            raise refused(self.field(name), f"must be true or false, not {value!r}")
        return value

    def kind(self) -> str:
        kind = self.text("type")
        if kind is None and "text" in self.item:
            return "text"
        if kind in _TEXT_KINDS:
            return "text"
        if kind not in _CONTENT and kind != "group":
            raise refused(
                self.field("type"),
                f"Presswork cannot print a {kind!r} layer; use text, image, clipart, rect, ellipse, "
                "circle, line or group",
            )
        return kind

    def done(self) -> None:
        for name, value in self.item.items():
            if name in self.read or name in _EDITOR_ONLY:
                continue
            if name in _NEUTRAL and value in _NEUTRAL[name]:
                continue
            if name in _NEUTRAL:
                shown = json.dumps(value)
                raise refused(self.field(name), f"Presswork cannot print {name} {shown} on this layer")
            raise refused(self.field(name), "Presswork has nowhere to keep this field; leave it out")


def _group(read: _Reader, place: _Place, canvas: Canvas, out: list[tuple[str, dict]]) -> None:
    objects = read.take("objects", [])
    if not isinstance(objects, list):
        raise refused(read.field("objects"), "must be a list of layers")
    scale_x, scale_y = read.number("scaleX", 1), read.number("scaleY", 1)
    width, height = read.number("width", 0) * scale_x, read.number("height", 0) * scale_y
    angle = read.number("angle", 0)
    centre_x, centre_y = _centre(read, width, height, angle)
    x, y = _on_canvas(place, centre_x, centre_y)
    inner = _Place(x, y, place.angle + angle, place.scale_x * scale_x, place.scale_y * scale_y)
    if inner.scale_x != inner.scale_y and any(
        isinstance(item, dict) and item.get("angle", 0) for item in objects
    ):
        raise refused(read.field("scaleY"), "a group scaled unevenly would skew its turned layers")
    if read.take("opacity", 1) != 1:
        raise refused(read.field("opacity"), "give each of the group's layers its opacity")
    read.done()
    for index, item in enumerate(objects):
        _translate(item, read.field(f"objects.{index}"), inner, canvas, out)


def _on_canvas(place: _Place, x: float, y: float) -> tuple[float, float]:
    """A point of a group's objects (about its centre) on the canvas."""
    x, y = x * place.scale_x, y * place.scale_y
    turn = math.radians(place.angle)
    return (
        place.x + x * math.cos(turn) - y * math.sin(turn),
        place.y + x * math.sin(turn) + y * math.cos(turn),
    )


def _centre(read: _Reader, width: float, height: float, angle: float) -> tuple[float, float]:
    """The object's centre: its origin point (left, top) moved to the centre as it is turned."""
    left, top = read.number("left", 0), read.number("top", 0)
    offsets = []
    for name, size, default in (("originX", width, "left"), ("originY", height, "top")):
        origin = read.take(name, default)
        allowed = ("left", "center", "right") if name == "originX" else ("top", "center", "bottom")
        if origin not in allowed:
            raise refused(read.field(name), f"must be one of {', '.join(allowed)}")
        offsets.append(_ORIGINS[origin] * size)
    turn = math.radians(angle)
    dx, dy = offsets
    return left + dx * math.cos(turn) - dy * math.sin(turn), top + dx * math.sin(turn) + dy * math.cos(turn)


def _geometry(read: _Reader, kind: str, place: _Place, canvas: Canvas) -> dict:
    scale_x, scale_y = read.number("scaleX", 1), read.number("scaleY", 1)
    if scale_x <= 0 or scale_y <= 0:
        raise refused(read.field("scaleX" if scale_x <= 0 else "scaleY"), "Presswork cannot flip a layer")
    if kind == "text" and scale_x * place.scale_x != scale_y * place.scale_y:
        raise refused(read.field("scaleY"), "Presswork cannot stretch text; scale it alike both ways")
    angle = read.number("angle", 0)
    if kind == "line":
        return _line(read, scale_x, scale_y, angle, place, canvas)
    width, height = _size(read, kind)
    width, height = width * scale_x, height * scale_y
    centre = _on_canvas(place, *_centre(read, width, height, angle))
    width, height = width * place.scale_x, height * place.scale_y
    return _box(centre, width, height, place.angle + angle, canvas)


def _size(read: _Reader, kind: str) -> tuple[float, float]:
    if kind == "circle" and "radius" in read.item:
        diameter = 2 * read.number("radius")
        read.take("width"), read.take("height")
        return diameter, diameter
    if kind == "ellipse" and ("rx" in read.item or "ry" in read.item):
        read.take("width"), read.take("height")
        return 2 * read.number("rx"), 2 * read.number("ry")
    return read.number("width"), read.number("height")


def _box(centre: tuple[float, float], width: float, height: float, angle: float, canvas: Canvas) -> dict:
    mm = canvas.mm
    turned = (angle + 180) % 360 - 180
    return {
        "x": (centre[0] - width / 2) * mm,
        "y": (centre[1] - height / 2) * mm,
        "width": width * mm,
        "height": height * mm,
        "rotation": turned,
    }


def _line(read: _Reader, scale_x: float, scale_y: float, angle: float, place: _Place, canvas: Canvas) -> dict:
    """A canvas line (its ends x1, y1, x2, y2 about its centre) as Presswork's: a box as long
    as the line, as high as its stroke, turned along it."""
    ends = [read.number(name, 0) for name in ("x1", "y1", "x2", "y2")]
    dx, dy = (ends[2] - ends[0]) * scale_x, (ends[3] - ends[1]) * scale_y
    read.take("width"), read.take("height")
    centre = _on_canvas(place, *_centre(read, abs(dx), abs(dy), angle))
    dx, dy = dx * place.scale_x, dy * place.scale_y
    length = math.hypot(dx, dy)
    if length == 0:
        raise refused(read.field("x2"), "a line needs two different ends")
    stroke = read.number("strokeWidth", 1) * place.scale_y
    turn = math.degrees(math.atan2(dy, dx)) + angle + place.angle
    return _box(centre, length, max(stroke, 1), turn, canvas) | {"strokeWidth": stroke * canvas.mm}


def _common(read: _Reader) -> dict:
    values = {"opacity": read.number("opacity", 1)}
    if "id" in read.item:
        values["id"] = read.text("id")
    if "name" in read.item:
        values["name"] = read.text("name")
    move = read.flag("lockMovementX") or read.flag("lockMovementY")
    edit = not read.flag("editable", True)
    delete = read.flag("lockDeletion")
    if move or edit or delete:
        values["locked"] = {"move": move, "edit": edit, "delete": delete}
    if "z" in read.item:
        values["z"] = read.take("z")
    return values


def _color(read: _Reader, name: str, default: str | None) -> str | None:
    value = read.take(name, default)
    if value in (None, "", "transparent"):
        return None
    if not isinstance(value, str):
        raise refused(read.field(name), "Presswork prints one colour here; give it as #rrggbb")
    try:
        red, green, blue, *alpha = ImageColor.getrgb(value)
    except ValueError:
        raise refused(read.field(name), f"'{value}' is not a colour; give a name or #rrggbb") from None
    if alpha and alpha[0] != 255:
        raise refused(read.field(name), "give the colour opaque and the layer its opacity")
    return f"#{red:02x}{green:02x}{blue:02x}"


def _text(read: _Reader, canvas: Canvas, place: _Place) -> dict:
    size = read.number("fontSize", 40) * read.number("scaleY", 1) * place.scale_y
    values = {
        "text": read.text("text", ""),
        "fontSize": size * POINTS_PER_INCH / canvas.dpi,
        "align": read.text("textAlign", "left"),
        "lineHeight": read.number("lineHeight", 1.16),
        "letterSpacing": read.number("charSpacing", 0),
        "color": _color(read, "fill", "#000000") or "#000000",
    }
    if read.take("stroke") not in (None, "") and read.take("strokeWidth", 1):
        raise refused(read.field("stroke"), "Presswork does not outline text; leave stroke out")
    family = read.text("fontFamily")
    weight, style = _weight(read), read.text("fontStyle", "normal")
    if style not in ("normal", "italic", "oblique"):
        raise refused(read.field("fontStyle"), "must be normal or italic")
    style = "italic" if style == "oblique" else style
    if family is None:
        raise refused(read.field("fontFamily"), "is required")
    if (weight, style) == (REGULAR, "normal"):
        values["fontFamily"] = family
    else:
        font_id = canvas.face(family, weight, style)
        if font_id is None:
            field = "fontWeight" if weight != REGULAR else "fontStyle"
            raise refused(
                read.field(field),
                f"the store has no {style} face of weight {weight} in the family '{family}'",
            )
        values["fontId"] = font_id
    return values


def _weight(read: _Reader) -> int:
    value = read.take("fontWeight", "normal")
    names = {"normal": REGULAR, "bold": BOLD}
    if value in names:
        return names[value]
    try:
        weight = int(value)
    except (TypeError, ValueError):
        weight = 0
    if not 1 <= weight <= 1000:
        raise refused(read.field("fontWeight"), "must be normal, bold or a weight from 1 to 1000")
    return weight


def _image(read: _Reader, canvas: Canvas, place: _Place) -> dict:
    if read.number("scaleX", 1) * place.scale_x != read.number("scaleY", 1) * place.scale_y:
        raise refused(read.field("scaleY"), "Presswork does not stretch pictures; scale it alike both ways")
    file_id = read.text("image_id")
    if file_id is None and read.item.get("src"):
        raise refused(read.field("image_id"), "name the store's image by its id (the src alone is a URL)")
    return {"fileId": file_id, "fit": "cover"}


def _clipart(read: _Reader, canvas: Canvas, place: _Place) -> dict:
    clipart_id = read.text("clipart_id")
    if clipart_id is None:
        raise refused(read.field("clipart_id"), "is required")
    return {"clipartId": clipart_id, "color": _color(read, "fill", None)}


def _shape(name: str) -> Callable[[_Reader, Canvas, _Place], dict]:
    def shape(read: _Reader, canvas: Canvas, place: _Place) -> dict:
        values = {
            "shape": name,
            "fill": _color(read, "fill", "#000000" if name != "line" else None),
            "stroke": _color(read, "stroke", None),
        }
        if name != "line":
            values["strokeWidth"] = read.number("strokeWidth", 0) * place.scale_x * canvas.mm
        return values

    return shape


_CONTENT = {
    "text": _text,
    "image": _image,
    "clipart": _clipart,
    "rect": _shape("rect"),
    "ellipse": _shape("ellipse"),
    "circle": _shape("ellipse"),
    "line": _shape("line"),
}
_NATIVE_TYPE = {"rect": "shape", "ellipse": "shape", "circle": "shape", "line": "shape"}


# Presswork's into PrintCart's


def layers_out(stored: list[dict], canvas: Canvas) -> list[dict]:
    """The stored layers (composer/layers.py, camelCase) in PrintCart's shape, each placed by its
    top-left corner. Whole pixels for width, height and font size, as PrintCart shows them, with
    the scale that keeps the exact size."""
    return [_layer_out(layer, canvas) for layer in load_layers(stored)]


def _whole(length_px: float) -> tuple[int, float]:
    """A length as whole pixels and the scale that gives it back exactly."""
    whole = max(1, round(length_px))
    return whole, length_px / whole


def _layer_out(layer, canvas: Canvas) -> dict:
    px = 1 / canvas.mm
    width, height = layer.width * px, layer.height * px
    turn = math.radians(layer.rotation)
    centre_x, centre_y = (layer.x + layer.width / 2) * px, (layer.y + layer.height / 2) * px
    left = centre_x - width / 2 * math.cos(turn) + height / 2 * math.sin(turn)
    top = centre_y - width / 2 * math.sin(turn) - height / 2 * math.cos(turn)
    out = {
        "id": layer.id,
        "originX": "left",
        "originY": "top",
        "left": left,
        "top": top,
        "angle": layer.rotation,
        "opacity": layer.opacity,
        "lockMovementX": layer.locked.move,
        "lockMovementY": layer.locked.move,
        "editable": not layer.locked.edit,
        "lockDeletion": layer.locked.delete,
        "z": layer.z,
    }
    if layer.name is not None:
        out["name"] = layer.name
    if isinstance(layer, TextLayer):
        out |= _text_out(layer, canvas, width, height)
    elif isinstance(layer, ShapeLayer) and layer.shape == "line":
        whole, scale = _whole(width)
        out |= {"type": "line", "width": whole, "height": 0, "scaleX": scale, "scaleY": 1}
        out |= {"x1": -whole / 2, "y1": 0, "x2": whole / 2, "y2": 0}
        out |= {"stroke": layer.stroke or layer.fill, "strokeWidth": layer.stroke_width * px}
        # The canvas's line box is as high as nothing; its top-left corner is the line's start.
        out["left"] = centre_x - width / 2 * math.cos(turn)
        out["top"] = centre_y - width / 2 * math.sin(turn)
    else:
        (whole_width, scale_x), (whole_height, scale_y) = _whole(width), _whole(height)
        out |= {"width": whole_width, "height": whole_height, "scaleX": scale_x, "scaleY": scale_y}
        if isinstance(layer, ImageLayer):
            out |= {"type": "image", "fit": layer.fit}
            if layer.file_id is not None:
                out |= {"image_id": layer.file_id, "src": canvas.src("image", layer.file_id)}
            if layer.crop is not None:
                out["crop"] = layer.crop.model_dump(by_alias=True)
        elif isinstance(layer, ClipartLayer):
            out |= {"type": "clipart", "clipart_id": layer.clipart_id}
            out |= {"src": canvas.src("clipart", layer.clipart_id), "fill": layer.color}
        else:
            out |= {"type": layer.shape, "fill": layer.fill, "stroke": layer.stroke}
            out["strokeWidth"] = layer.stroke_width * px
            if layer.shape == "ellipse":
                out |= {"rx": whole_width / 2, "ry": whole_height / 2}
    if layer.ink is not None:
        out["ink"] = layer.ink.model_dump(by_alias=True)
    rules = layer.rules.model_dump(by_alias=True)
    if rules != type(layer.rules)().model_dump(by_alias=True):
        out["rules"] = rules
    return out


def _text_out(layer: TextLayer, canvas: Canvas, width: float, height: float) -> dict:
    size, scale = _whole(layer.font_size * canvas.dpi / POINTS_PER_INCH)
    family, weight, style = layer.font_family, REGULAR, "normal"
    if layer.font_id is not None:
        family, weight, style = canvas.font(layer.font_id) or (family, REGULAR, "normal")
    return {
        "type": "textbox",
        "text": layer.text,
        "width": max(1, round(width / scale)),
        "height": max(1, round(height / scale)),
        "scaleX": scale,
        "scaleY": scale,
        "fontSize": size,
        "fontFamily": family,
        "fontWeight": {REGULAR: "normal", BOLD: "bold"}.get(weight, str(weight)),
        "fontStyle": style,
        "textAlign": layer.align,
        "fill": layer.color,
        "lineHeight": layer.line_height,
        "charSpacing": layer.letter_spacing,
        "underline": False,
        "curve": layer.curve,
        "autoFit": layer.auto_fit,
    }
