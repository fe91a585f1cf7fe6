"""What the composer finds wrong with a design: the warnings the editor shows and the blocking
problems that keep a design from being completed."""

from dataclasses import dataclass

REQUIRED_EMPTY = "required_empty"
TEXT_OVERFLOW = "text_overflow"
OUTSIDE_SAFE_ZONE = "outside_safe_zone"
LOW_DPI = "low_dpi"
MISSING_ASSET = "missing_asset"
# A character the layer's font has no glyph for: it would print as the font's empty box, and a
# font is never substituted silently.
MISSING_GLYPHS = "missing_glyphs"
# For the merchant composing a template: a layer's character limit (rules.maxChars) lets a customer
# type more than its box holds at the smallest size the text may take. A warning: the template
# itself is fine, a customer may meet the overflow later.
MAX_CHARS_DO_NOT_FIT = "max_chars_do_not_fit"

BLOCKING_CODES = frozenset({REQUIRED_EMPTY, TEXT_OVERFLOW, MISSING_ASSET, MISSING_GLYPHS})


@dataclass(frozen=True)
class Problem:
    """One problem of one layer (`layer_id` None: of the side itself, such as its background)."""

    layer_id: str | None
    code: str
    message: str
    blocking: bool
    # What the preview writes beside the layer, on the canvas where the problem is (blocking
    # problems of a layer); not part of the API's answer, which has the whole message.
    mark: str = ""

    def to_json(self) -> dict:
        return {
            "layerId": self.layer_id,
            "code": self.code,
            "message": self.message,
            "blocking": self.blocking,
        }


# How a customer says each kind of layer: what they put on the product, not "a layer".
_KIND_TITLES = {"text": "A text", "image": "A photo", "clipart": "A clipart", "shape": "A shape"}


def layer_title(layer) -> str:
    """How a message names a layer: its name in quotes, else its kind in a customer's words
    (“A text”, “A photo”)."""
    if layer.name:
        return f"“{layer.name}”"
    return _KIND_TITLES.get(layer.type, "A part of the design")


def problem(layer, code: str, message: str, *, blocking: bool | None = None, mark: str = "") -> Problem:
    """A problem of `layer` (None: the side), blocking as its code says unless told otherwise, with
    the few words (`mark`) the preview writes beside the layer."""
    return Problem(
        layer.id if layer is not None else None,
        code,
        message,
        code in BLOCKING_CODES if blocking is None else blocking,
        mark,
    )
