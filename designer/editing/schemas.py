"""Schemas the designs and the templates share: one layer added or changed, the problems the
composer finds in their layers, and the checks before print a render keeps of them."""

from typing import Any, Literal

from pydantic import Field, create_model

from designer.api.schemas import Out, Schema
from designer.composer.layers import MAX_LAYERS, ClipartLayer, ImageLayer, LayerId, ShapeLayer, TextLayer


class ProblemOut(Out):
    """Something the composer found: blocking problems stop a design being completed."""

    layer_id: str | None = Field(description="The layer concerned (null: the whole side)")
    code: str = Field(
        description="required_empty, text_overflow, missing_asset, missing_glyphs (blocking); "
        "outside_safe_zone, low_dpi, max_chars_do_not_fit (a template's, for its merchant), and the "
        "checks before print: stops_at_trim, text_too_small, hairline, total_ink (warnings)"
    )
    message: str
    blocking: bool


class RenderCheck(Schema):
    """A check before print that warns of something that prints, but not as meant: the PDF is made
    all the same, for the print shop to judge. A render keeps those of its pages (the render's
    status, and an order's renders, show them)."""

    code: str = Field(description="stops_at_trim, text_too_small, hairline or total_ink")
    design_id: str = Field(description="The design (page) concerned")
    layer_id: str | None = Field(description="The layer concerned (null: the side itself, its background)")
    message: str


def _layer_change_fields() -> dict:
    """Every field some kind of layer has, optional, for changing one layer (its id and type stay)."""
    fields: dict[str, Any] = {}
    for kind in (TextLayer, ImageLayer, ClipartLayer, ShapeLayer):
        for name, info in kind.model_fields.items():
            if name in ("id", "type") or name in fields:
                continue
            annotation = dict[str, Any] if name == "rules" else info.annotation
            fields[name] = (annotation | None, Field(None, description=info.description))
    return fields


LayerChange = create_model(
    "LayerChange",
    __base__=Schema,
    __doc__="The fields of one layer to change, as the layer's kind has them; those left out keep "
    "their value, nested objects (locked, rules, crop) are replaced whole.",
    **_layer_change_fields(),
)


class LayerAdd(LayerChange):
    """A new layer: its kind, and the fields that kind has (see the layer schemas)."""

    id: LayerId | None = None
    type: Literal["text", "image", "clipart", "shape"]


class LayerChangeOf(LayerChange):
    """One layer's change among several: the layer's id, and its fields to change."""

    id: LayerId


class LayerChanges(Schema):
    """Several layers changed at once (aligned, spaced evenly): all of them or none, one undo step."""

    layers: list[LayerChangeOf] = Field(min_length=1, max_length=MAX_LAYERS)
