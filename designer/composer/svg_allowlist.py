"""What an SVG drawn by Presswork may hold: the namespaces, the elements and attributes kept, and
whether a style can load anything. Preflight sanitizes uploads with it and the composer inlines
clipart with it, so both keep exactly the same."""

import re

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML_NS = "http://www.w3.org/1999/xhtml"

ALLOWED_ELEMENTS = frozenset(
    {
        # structure
        *("svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "switch", "a", "view"),
        # shapes and text
        *("path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath"),
        # paint servers, clipping, masking, markers, images, CSS
        *("linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "image"),
        "style",
        # filters
        *("filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix"),
        *("feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood"),
        *("feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge"),
        *("feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting"),
        *("feSpotLight", "feTile", "feTurbulence"),
    }
)
# Attributes that may stay: geometry, presentation (what paints and prints), paint servers,
# clipping, masking, markers, text layout and filter primitives. Anything else goes: event
# handlers (on*), htmx's hx-* and data-hx-* (htmx runs them when the drawing is inlined in a page),
# every other data-*, and whatever a browser might learn to act on later. Names are matched
# exactly, as SVG spells them (an HTML parser lowercases only what SVG does not define).
ALLOWED_ATTRIBUTES = frozenset(
    {
        # core and structure
        *("id", "class", "style", "lang", "href", "version", "baseProfile", "viewBox"),
        *("preserveAspectRatio", "zoomAndPan", "transform", "systemLanguage", "type", "media", "title"),
        # geometry
        *("x", "y", "width", "height", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fr", "fx"),
        *("fy", "d", "points", "pathLength", "refX", "refY", "markerWidth", "markerHeight"),
        *("markerUnits", "orient"),
        # paint servers, clipping, masking
        *("gradientUnits", "gradientTransform", "spreadMethod", "offset", "patternUnits"),
        *("patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits"),
        # text layout
        *("dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing"),
        *("side", "path"),
        # presentation attributes
        *("alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color"),
        *("color-interpolation", "color-interpolation-filters", "color-rendering", "direction"),
        *("display", "dominant-baseline", "fill", "fill-opacity", "fill-rule", "filter"),
        *("flood-color", "flood-opacity", "font", "font-family", "font-size", "font-size-adjust"),
        *("font-stretch", "font-style", "font-variant", "font-weight", "image-rendering", "isolation"),
        *("letter-spacing", "lighting-color", "marker", "marker-start", "marker-mid", "marker-end"),
        *("mask", "mask-type", "mix-blend-mode", "opacity", "overflow", "paint-order"),
        *("shape-rendering", "stop-color", "stop-opacity", "stroke", "stroke-dasharray"),
        *("stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit"),
        *("stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering"),
        *("transform-origin", "unicode-bidi", "vector-effect", "visibility", "word-spacing"),
        *("writing-mode", "enable-background"),
        # filters
        *("filterUnits", "primitiveUnits", "in", "in2", "result", "mode", "values", "operator"),
        *("k1", "k2", "k3", "k4", "order", "kernelMatrix", "divisor", "bias", "targetX", "targetY"),
        *("edgeMode", "preserveAlpha", "kernelUnitLength", "surfaceScale", "diffuseConstant"),
        *("specularConstant", "specularExponent", "scale", "xChannelSelector", "yChannelSelector"),
        *("stdDeviation", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY", "pointsAtZ"),
        *("limitingConeAngle", "baseFrequency", "numOctaves", "seed", "stitchTiles", "tableValues"),
        *("slope", "intercept", "amplitude", "exponent", "radius"),
    }
)

CSS_IMPORT = re.compile(r"@import[^;]*;?", re.IGNORECASE)
CSS_LOADERS = re.compile(r"image-set\(|@font-face|expression\(|behavior\s*:|-moz-binding", re.IGNORECASE)
_CSS_FRAGMENT_URL = re.compile(r"""url\(\s*(?:"#[^\s#"]+"|'#[^\s#']+'|#[^\s#)'"]+)\s*\)""", re.IGNORECASE)


def css_is_inert(css: str) -> bool:
    """Whether a style value can load nothing: its url(...) name only fragments of the document
    (#id), and it has no @import, no resource-loading construct and no escape that could spell one."""
    if "\\" in css or CSS_LOADERS.search(css) or CSS_IMPORT.search(css):
        return False
    return "url(" not in _CSS_FRAGMENT_URL.sub("", css).lower()
