"""Layers: what templates and designs are made of.

A layer is one thing drawn on a side: text, an image, a clipart or a shape. Its geometry is in
millimetres in the side's coordinate system (origin at the top-left corner of the trim box, y down),
its rotation in degrees clockwise about its centre, and `z` orders it (higher is in front).

A template's layer also says what a customer may do with it: `locked` (move, edit, delete) and
`rules` (most characters, required, the fonts and colours allowed). The editor enforces them on the
server when a customer changes a design made from the template (a later issue); this module
checks that the layers themselves are well-formed and consistent with their rules.

Three steps, in this order, for every layers list a request brings:

1. shape: the pydantic types below (`Layers` in a request schema), which name the failing field
   as the API shows it (`layers.2.fontSize`);
2. `prepare_layers`: ids (`lyr_…`) and z-order filled in where absent, ids unique in the list;
3. `check_references` (editing/references.py): every font, clipart and file a layer names is the
   store's, and each layer's content keeps to its own rules.

This module is pure (no database, no Flask): the composer, the editor and the renderer share it.

Layers are stored (Template.layers, Design.layers) as the API shows them, camelCase JSON
(`dump_layers`), and read back with `load_layers`.
"""

import json
import re
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import (
    BeforeValidator,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WrapValidator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from designer.errors import ValidationFailed, validation_failed
from designer.ids import new_id
from designer.schema import Schema

MAX_LAYERS = 200
MAX_TEXT_CHARS = 5_000
# Ten metres: beyond any printable side (a banner included), small enough to keep numbers sane.
MAX_MM = 10_000.0
MAX_Z = 10_000
# What an image layer can place: formats the composer draws as pictures (a PDF is not one).
IMAGE_LAYER_FORMATS = frozenset({"jpeg", "png", "webp", "tiff", "gif", "svg"})

LayerId = Annotated[
    str,
    StringConstraints(pattern=r"^lyr_[0-9A-Za-z]{1,60}$"),
    Field(description="lyr_…, unique in the layers list; generated when left out"),
]
RefId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


def _colour(value) -> str:
    """`value` as a lower-case #rrggbb; ValueError in plain words for anything else (the editor
    shows the message under the field as it is), a value too long or not text included."""
    if not isinstance(value, str) or not _COLOR.fullmatch(value):
        raise ValueError(f"“{str(value)[:40]}” is not a colour: write it as #rrggbb")
    return value.lower()


def _plainly(message: str, *, only: str | None = None) -> WrapValidator:
    """The value's own checks, refused in `message` (plain words, shown under the merchant's field
    as it is) instead of the checks' own; with `only`, just for an error of that type about the
    value itself (a list too long), its items' errors keeping their words."""

    def validate(value, handler):
        try:
            return handler(value)
        except ValidationError as error:
            if only is None or any(item["type"] == only and not item["loc"] for item in error.errors()):
                raise ValueError(message) from None
            raise

    return WrapValidator(validate)


Color = Annotated[
    str,
    StringConstraints(max_length=64),
    BeforeValidator(_colour),
    Field(description="A colour as #rrggbb", json_schema_extra={"pattern": "^#[0-9a-fA-F]{6}$"}),
]
Position = Annotated[float, Field(ge=-MAX_MM, le=MAX_MM, allow_inf_nan=False)]
Length = Annotated[float, Field(gt=0, le=MAX_MM, allow_inf_nan=False)]


class LayerLocks(Schema):
    """What a customer may not do with the layer. Everything is allowed by default."""

    move: bool = Field(False, description="The layer cannot be moved, resized or rotated")
    edit: bool = Field(False, description="The layer's content (text, image, colour, font) cannot change")
    delete: bool = Field(False, description="The layer cannot be deleted")


class LayerRules(Schema):
    """What a customer's content must keep to."""

    required: bool = Field(False, description="The customer must fill the layer before ordering")


MAX_ALLOWED = 100


class ColoredLayerRules(LayerRules):
    colors: Annotated[
        list[Color],
        Field(max_length=MAX_ALLOWED),
        _plainly(f"at most {MAX_ALLOWED} colours can be allowed", only="too_long"),
    ] = Field(default_factory=list, description="The colours the customer may choose (empty: any)")


class TextLayerRules(ColoredLayerRules):
    max_chars: (
        Annotated[
            int,
            Field(ge=1, le=MAX_TEXT_CHARS),
            _plainly(f"the most characters must be a whole number from 1 to {MAX_TEXT_CHARS}"),
        ]
        | None
    ) = Field(None, description="The most characters the text may hold")
    fonts: Annotated[
        list[RefId],
        Field(max_length=MAX_ALLOWED),
        _plainly(f"at most {MAX_ALLOWED} fonts can be allowed", only="too_long"),
    ] = Field(default_factory=list, description="The fonts (fnt_…) the customer may choose (empty: any)")


INKS = ("White", "Varnish", "Foil")


class LayerInk(Schema):
    """A spot ink the layer prints in, on its own plate (set by the merchant, in a template)."""

    name: Literal["White", "Varnish", "Foil"] = Field(description="The ink: White, Varnish or Foil")
    only: bool = Field(
        False,
        description="The layer prints in this ink alone; false: in process colours too, the ink over them",
    )


class LayerBase(Schema):
    """What every layer has: identity, geometry, stacking and the customer's permissions."""

    id: LayerId | None = None
    type: str = Field(description="text, image, clipart or shape")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        None, description="What the merchant calls the layer (“Name”, “Title”); rules may refer to it"
    )
    x: Position = Field(0, description="Left edge, in mm from the trim box's left edge")
    y: Position = Field(0, description="Top edge, in mm from the trim box's top edge")
    width: Length = Field(description="In mm")
    height: Length = Field(description="In mm")
    rotation: float = Field(0, ge=-360, le=360, allow_inf_nan=False, description="Degrees, clockwise")
    opacity: float = Field(1, ge=0, le=1, allow_inf_nan=False, description="0 (invisible) to 1 (opaque)")
    z: int | None = Field(
        None, ge=0, le=MAX_Z, description="Stacking order, higher in front; default: the position in the list"
    )
    locked: LayerLocks = Field(default_factory=LayerLocks)
    ink: LayerInk | None = Field(
        None, description="A spot ink (white, varnish, foil) the layer prints in; only a template sets it"
    )


class TextLayer(LayerBase):
    """Text set in one of the store's fonts, shaped from the font file when composed."""

    type: Literal["text"]
    text: str = Field("", max_length=MAX_TEXT_CHARS)
    font_id: RefId | None = Field(None, description="The store's font (fnt_…)")
    font_family: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        None, description="A family of the store's fonts, when fontId is not given"
    )
    font_size: float = Field(12, ge=1, le=1000, allow_inf_nan=False, description="In points")
    color: Color = "#000000"
    align: Literal["left", "center", "right", "justify"] = "left"
    line_height: float = Field(
        1.2, ge=0.5, le=5, allow_inf_nan=False, description="Distance between baselines, times the font size"
    )
    letter_spacing: float = Field(
        0, ge=-1000, le=5000, allow_inf_nan=False, description="Tracking, in thousandths of an em"
    )
    curve: float = Field(
        0,
        ge=-360,
        le=360,
        allow_inf_nan=False,
        description="Set the text on an arc of this many degrees: positive arches up, negative dips; "
        "0 is straight",
    )
    # On by default (issue 13): template text shrinks to fit unless the merchant turns it off. Layers
    # are always stored with the field written out (dump_layers), so those stored before keep the
    # `false` they were stored with, and a design already proofed prints as it did.
    auto_fit: bool = Field(
        True,
        description="Shrink the font size until the text fits its box (down to 4 pt); "
        "false keeps the size and reports text that does not fit",
    )
    rules: TextLayerRules = Field(default_factory=TextLayerRules)


class ImageCrop(Schema):
    """The part of the image shown, as fractions of its width and height (0 to 1)."""

    x: float = Field(0, ge=0, le=1, allow_inf_nan=False)
    y: float = Field(0, ge=0, le=1, allow_inf_nan=False)
    width: float = Field(1, gt=0, le=1, allow_inf_nan=False)
    height: float = Field(1, gt=0, le=1, allow_inf_nan=False)

    @model_validator(mode="after")
    def _inside_the_image(self):
        if self.x + self.width > 1 + 1e-9 or self.y + self.height > 1 + 1e-9:
            raise ValueError("the crop must lie inside the image (x + width ≤ 1, y + height ≤ 1)")
        return self


class ImageLayer(LayerBase):
    """An uploaded picture, placed in the layer's box."""

    type: Literal["image"]
    file_id: RefId | None = Field(
        None, description="The store's image file (fil_…); null: an empty frame for the customer's photo"
    )
    fit: Literal["cover", "contain"] = Field(
        "cover", description="cover fills the box (cropping), contain shows the whole image"
    )
    crop: ImageCrop | None = None
    rules: LayerRules = Field(default_factory=LayerRules)


class ClipartLayer(LayerBase):
    """A clipart from the store's library; vector clipart stays vector in the PDF."""

    type: Literal["clipart"]
    clipart_id: RefId = Field(description="The store's clipart (clp_…)")
    color: Color | None = Field(None, description="Recolours a single-colour clipart; null keeps its colours")
    rules: ColoredLayerRules = Field(default_factory=ColoredLayerRules)


class ShapeLayer(LayerBase):
    """A rectangle or ellipse filling the box, or a line across its vertical middle (rotate it to tilt)."""

    type: Literal["shape"]
    shape: Literal["rect", "ellipse", "line"]
    fill: Color | None = Field(None, description="null: no fill")
    stroke: Color | None = Field(None, description="null: no outline")
    stroke_width: float = Field(0, ge=0, le=100, allow_inf_nan=False, description="In mm")
    rules: ColoredLayerRules = Field(default_factory=ColoredLayerRules)


def _without_the_tag(value, handler):
    # A discriminated union puts the tag in an error's location (layers.0.text.fontSize); the API
    # names the field as the client wrote it (layers.0.fontSize), and a bad or missing tag is the
    # `type` field's fault.
    try:
        return handler(value)
    except ValidationError as error:
        tag = value.get("type") if isinstance(value, dict) else None
        details = []
        for item in error.errors(include_url=False):
            location = item["loc"]
            if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
                location = ("type",)
            elif location and location[0] == tag:
                location = location[1:]
            details.append(
                InitErrorDetails(
                    type=item["type"], loc=location, input=item["input"], ctx=item.get("ctx", {})
                )
            )
        try:
            relocated = ValidationError.from_exception_data(error.title, details)
        except (KeyError, TypeError, ValueError):  # an error type that cannot be rebuilt: keep it as it came
            raise error from None
        raise relocated from None


Layer = Annotated[
    TextLayer | ImageLayer | ClipartLayer | ShapeLayer,
    Field(discriminator="type"),
    WrapValidator(_without_the_tag),
]
Layers = Annotated[
    list[Layer], Field(max_length=MAX_LAYERS, description="Back to front unless z says otherwise")
]

_LAYERS = TypeAdapter(list[Layer])


class _LayersFile(Schema):
    layers: Layers


# Preparing and storing


def prepare_layers(layers: list[Layer], field: str = "layers") -> list[Layer]:
    """`layers` with an id (`lyr_…`) and a z-order (its position) given to each that has none.

    Raises ValidationFailed naming `{field}.{index}.id` for an id used twice in the list.
    """
    seen: set[str] = set()
    prepared = []
    for index, layer in enumerate(layers):
        if layer.id in seen:
            raise ValidationFailed(
                f"Field '{field}.{index}.id': layer id '{layer.id}' is used twice; "
                "ids are unique in a design",
                field=f"{field}.{index}.id",
            )
        layer = layer.model_copy(
            update={"id": layer.id or new_id("layer"), "z": index if layer.z is None else layer.z}
        )
        seen.add(layer.id)
        prepared.append(layer)
    return prepared


def dump_layers(layers: Iterable[Layer]) -> list[dict]:
    """The layers as stored and as the API shows them: camelCase JSON."""
    return [layer.model_dump(mode="json", by_alias=True) for layer in layers]


def load_layers(stored: list[dict]) -> list[Layer]:
    """Stored layers (see `dump_layers`) as layer objects again."""
    return _LAYERS.validate_python(stored)


def parse_layers_json(raw: bytes, field: str = "layers") -> list[Layer]:
    """Layers from a JSON document: a list of layers, or an object with a `layers` list (an exported
    template or design).

    Raises ValidationFailed naming `field` when it is not such JSON, `{field}.{index}.…` for a
    layer that is not valid.
    """
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        message = f"Field '{field}': the file is not valid JSON ({error})"
        raise ValidationFailed(message, field=field) from None
    if isinstance(document, dict) and "layers" in document:
        document = document["layers"]
    if not isinstance(document, list):
        raise ValidationFailed(
            f"Field '{field}': expected a JSON list of layers, or an object with a 'layers' list", field=field
        )
    try:
        return _LayersFile.model_validate_json(json.dumps({"layers": document}), strict=True).layers
    except ValidationError as error:
        raise _renamed(validation_failed(error), "layers", field) from None


def _renamed(error: ValidationFailed, old: str, new: str) -> ValidationFailed:
    if old == new:
        return error

    def rename(name: str | None) -> str | None:
        return new + name[len(old) :] if name and name.split(".")[0] == old else name

    errors = [
        item | {"field": rename(item["field"]), "message": item["message"].replace(f"'{old}", f"'{new}", 1)}
        for item in error.errors
    ]
    return ValidationFailed(errors[0]["message"], field=errors[0]["field"], errors=errors)
