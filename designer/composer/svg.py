"""Writing SVG text: numbers, escaping and the few elements every part of the composer draws."""

import base64
import re
from html import escape

SVG_NS = "http://www.w3.org/2000/svg"
# Characters XML 1.0 does not allow (a lone surrogate cannot even be encoded as UTF-8).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def num(value: float) -> str:
    """A length in mm (or any user unit) to a micrometre, without trailing zeros: 12.5, 3, -0.125."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attr(value: str) -> str:
    """`value` escaped for a double-quoted attribute."""
    return escape(_NOT_XML.sub("", value), quote=True)


def text(value: str) -> str:
    """`value` escaped for element content."""
    return escape(_NOT_XML.sub("", value), quote=False)


def rect(x: float, y: float, width: float, height: float, extra: str = "") -> str:
    return f'<rect x="{num(x)}" y="{num(y)}" width="{num(width)}" height="{num(height)}"{extra}/>'


def clip_rect(clip_id: str, x: float, y: float, width: float, height: float) -> str:
    """A <clipPath> holding one rectangle (user-space units)."""
    return f'<clipPath id="{attr(clip_id)}">{rect(x, y, width, height)}</clipPath>'


def data_uri(media_type: str, data: bytes) -> str:
    """`data` as a data: URI, for an <image> the document carries with it."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"
