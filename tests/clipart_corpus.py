"""A corpus of merchant-style clipart SVGs, written by code and the same on every run.

Each drawing is a 200×200 user-unit badge, icon or emblem built from the SVG features merchants'
files use and print engines draw differently: masks, clip paths, markers, patterns, linear and
radial gradients (spreadMethod, gradientTransform, focal points), CSS style sheets (classes, ids,
element, descendant and grouped selectors), units (mm, cm, in, pt, pc, em, %), paint-order,
nested <use> of symbols with their own viewBox, transforms, group opacity and dashes. No text
(uploads are told to convert it to outlines).

`corpus()` gives (name, features, svg bytes) for every drawing; bench/clipart_fidelity.py and
tests/test_clipart_normalize.py read it.
"""

import math
import random
from dataclasses import dataclass

SIZE = 200
PALETTE = ("#e63946", "#1d3557", "#457b9d", "#2a9d8f", "#e9c46a", "#f4a261", "#6a4c93", "#222222", "#8ac926")
FEATURES = (
    "linear-gradient",
    "radial-gradient",
    "clip-path",
    "mask",
    "marker",
    "pattern",
    "css",
    "units",
    "paint-order",
    "use-symbol",
    "transform",
    "opacity",
    "dashes",
)
CORPUS_SIZE = 260


@dataclass(frozen=True)
class Clipart:
    name: str
    features: tuple[str, ...]
    svg: bytes


class _Drawing:
    def __init__(self, rng: random.Random, prefix: str):
        self.rng = rng
        self.prefix = prefix
        self.defs: list[str] = []
        self.body: list[str] = []
        self.css: list[str] = []
        self.root: dict[str, str] = {}
        self.counter = 0

    def new_id(self, kind: str) -> str:
        self.counter += 1
        return f"{kind}{self.counter}"

    def color(self) -> str:
        return self.rng.choice(PALETTE)

    def num(self, low: float, high: float) -> float:
        return round(self.rng.uniform(low, high), 1)

    def shape(self, paint: str, box=(20, 20, 160, 160)) -> str:
        x, y, w, h = box
        kind = self.rng.choice(("rect", "circle", "star", "blob", "ellipse"))
        if kind == "rect":
            return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{self.num(0, 30)}" {paint}/>'
        if kind == "circle":
            return f'<circle cx="{x + w / 2}" cy="{y + h / 2}" r="{min(w, h) / 2}" {paint}/>'
        if kind == "ellipse":
            return f'<ellipse cx="{x + w / 2}" cy="{y + h / 2}" rx="{w / 2}" ry="{h / 3}" {paint}/>'
        if kind == "star":
            cx, cy, outer = x + w / 2, y + h / 2, min(w, h) / 2
            points = []
            for index in range(10):
                radius = outer if index % 2 == 0 else outer * 0.45
                angle = index * math.pi / 5 - math.pi / 2
                points.append(f"{cx + radius * math.cos(angle):.1f},{cy + radius * math.sin(angle):.1f}")
            return f'<polygon points="{" ".join(points)}" {paint}/>'
        return (
            f'<path d="M{x + w * 0.5},{y} C{x + w * 1.1},{y + h * 0.1} {x + w},{y + h * 0.9} {x + w * 0.5},'
            f'{y + h} S{x - w * 0.1},{y + h * 0.4} {x + w * 0.5},{y}Z" {paint}/>'
        )


def _linear_gradient(d: _Drawing) -> None:
    gid = d.new_id("lg")
    spread = d.rng.choice(("pad", "reflect", "repeat"))
    units = d.rng.choice(("objectBoundingBox", "userSpaceOnUse"))
    if units == "userSpaceOnUse":
        coords = f'x1="{d.num(40, 80)}" y1="{d.num(40, 80)}" x2="{d.num(100, 140)}" y2="{d.num(90, 150)}"'
    else:
        coords = f'x1="{d.num(0.2, 0.4)}" y1="0" x2="{d.num(0.5, 0.7)}" y2="{d.num(0.1, 0.6)}"'
    transform = d.rng.choice(("", f' gradientTransform="rotate({d.num(-40, 40)} 0.5 0.5)"'))
    if units == "userSpaceOnUse" and transform:
        transform = f' gradientTransform="rotate({d.num(-40, 40)} 100 100) translate({d.num(-10, 10)} 0)"'
    stops = "".join(
        f'<stop offset="{offset}" stop-color="{d.color()}" stop-opacity="{d.rng.choice((1, 1, 0.6))}"/>'
        for offset in (0, 0.5, 1)
    )
    d.defs.append(
        f'<linearGradient id="{gid}" gradientUnits="{units}" spreadMethod="{spread}" {coords}{transform}>'
        f"{stops}</linearGradient>"
    )
    d.body.append(d.shape(f'fill="url(#{gid})"', (d.num(10, 30), d.num(10, 30), 150, 150)))


def _radial_gradient(d: _Drawing) -> None:
    gid = d.new_id("rg")
    spread = d.rng.choice(("pad", "reflect", "repeat"))
    focal = d.rng.choice(("", f' fx="{d.num(0.3, 0.45)}" fy="{d.num(0.3, 0.45)}"'))
    transform = d.rng.choice(
        ("", ' gradientTransform="translate(0.5 0.5) scale(1 0.6) translate(-0.5 -0.5)"')
    )
    stops = "".join(
        f'<stop offset="{offset}" style="stop-color:{d.color()}"/>' for offset in (0, d.num(0.3, 0.7), 1)
    )
    d.defs.append(
        f'<radialGradient id="{gid}" cx="0.5" cy="0.5" r="{d.num(0.2, 0.5)}"{focal} spreadMethod="{spread}"'
        f"{transform}>{stops}</radialGradient>"
    )
    d.body.append(d.shape(f'fill="url(#{gid})" stroke="{d.color()}" stroke-width="3"', (25, 25, 150, 150)))


def _clip_path(d: _Drawing) -> None:
    cid = d.new_id("clip")
    if d.rng.random() < 0.5:
        d.defs.append(
            f'<clipPath id="{cid}" clipPathUnits="objectBoundingBox">'
            f'<circle cx="0.5" cy="0.5" r="{d.num(0.35, 0.5)}"/></clipPath>'
        )
    else:
        d.defs.append(
            f'<clipPath id="{cid}"><path d="M100,15 L185,100 L100,185 L15,100Z M100,60 L140,100 L100,140 '
            f'L60,100Z" clip-rule="evenodd" transform="rotate({d.num(0, 30)} 100 100)"/></clipPath>'
        )
    stripes = "".join(
        f'<rect x="{x}" y="10" width="20" height="180" fill="{d.color()}"/>' for x in range(10, 190, 20)
    )
    transform = d.rng.choice(("", f' transform="translate({d.num(-10, 10)} {d.num(-10, 10)})"'))
    d.body.append(f'<g clip-path="url(#{cid})"{transform}>{stripes}</g>')


def _mask(d: _Drawing) -> None:
    mid, gid = d.new_id("mask"), d.new_id("mg")
    d.defs.append(
        f'<linearGradient id="{gid}" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="white"/>'
        f'<stop offset="1" stop-color="{d.rng.choice(("black", "#333", "#808080"))}"/></linearGradient>'
    )
    kind = d.rng.choice(("gradient", "shapes", "bbox"))
    if kind == "gradient":
        d.defs.append(
            f'<mask id="{mid}" x="0" y="0" width="{SIZE}" height="{SIZE}" maskUnits="userSpaceOnUse">'
            f'<rect width="{SIZE}" height="{SIZE}" fill="url(#{gid})"/></mask>'
        )
    elif kind == "shapes":
        d.defs.append(
            f'<mask id="{mid}"><rect width="{SIZE}" height="{SIZE}" fill="white"/>'
            f'<circle cx="{d.num(70, 130)}" cy="{d.num(70, 130)}" r="{d.num(25, 45)}" fill="black"/>'
            f'<rect x="30" y="140" width="140" height="20" fill="#7f7f7f"/></mask>'
        )
    else:
        d.defs.append(
            f'<mask id="{mid}" maskContentUnits="objectBoundingBox">'
            '<rect x="0.1" y="0.1" width="0.8" height="0.8" rx="0.2" fill="white" fill-opacity="0.8"/>'
            "</mask>"
        )
    masked = d.shape(f'fill="{d.color()}"', (10, 10, 180, 180))
    d.body.append(f'<g mask="url(#{mid})">{masked}</g>')


def _marker(d: _Drawing) -> None:
    mid = d.new_id("arrow")
    orient = d.rng.choice(("auto", "auto-start-reverse", "45"))
    units = d.rng.choice(("strokeWidth", "userSpaceOnUse"))
    size = 4 if units == "strokeWidth" else 16
    d.defs.append(
        f'<marker id="{mid}" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="{size}" '
        f'markerHeight="{size}" orient="{orient}" markerUnits="{units}">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{d.color()}"/></marker>'
    )
    dot = d.new_id("dot")
    d.defs.append(
        f'<marker id="{dot}" markerWidth="8" markerHeight="8" refX="4" refY="4">'
        f'<circle cx="4" cy="4" r="3" fill="{d.color()}"/></marker>'
    )
    width = d.num(2, 5)
    d.body.append(
        f'<polyline points="30,160 70,{d.num(40, 90)} 110,140 150,50 175,90" fill="none" '
        f'stroke="{d.color()}" '
        f'stroke-width="{width}" marker-start="url(#{mid})" marker-mid="url(#{dot})" '
        f'marker-end="url(#{mid})"/>'
    )
    d.body.append(
        f'<path d="M20,30 Q100,{d.num(0, 60)} 180,30" fill="none" stroke="{d.color()}" stroke-width="3" '
        f'marker-end="url(#{mid})"/>'
    )


def _pattern(d: _Drawing) -> None:
    pid = d.new_id("pat")
    if d.rng.random() < 0.5:
        transform = d.rng.choice(("", f' patternTransform="rotate({d.num(15, 60)})"'))
        d.defs.append(
            f'<pattern id="{pid}" width="{d.num(14, 24)}" height="{d.num(14, 24)}" '
            'patternUnits="userSpaceOnUse"'
            f'{transform}><rect width="100%" height="100%" fill="{d.color()}"/>'
            f'<circle cx="6" cy="6" r="{d.num(3, 6)}" fill="{d.color()}"/></pattern>'
        )
    else:
        d.defs.append(
            f'<pattern id="{pid}" width="0.25" height="0.25" patternContentUnits="objectBoundingBox">'
            f'<path d="M0,0 L0.125,0.25 L0.25,0Z" fill="{d.color()}"/></pattern>'
        )
    d.body.append(d.shape(f'fill="url(#{pid})" stroke="{d.color()}" stroke-width="4"', (20, 20, 160, 160)))


def _css(d: _Drawing) -> None:
    a, b, c = d.color(), d.color(), d.color()
    group, shape_id = d.new_id("grp"), d.new_id("hero")
    d.css.append(
        f".{d.prefix}fill-a {{ fill: {a}; }}\n"
        f"#{shape_id} {{ fill: {b}; stroke: {c}; stroke-width: {d.num(2, 8)}px; }}\n"
        f"#{group} .{d.prefix}ring, #{group} circle.{d.prefix}dot "
        f"{{ fill: none; stroke: {a}; stroke-width: 6; }}\n"
        f"rect {{ opacity: {d.rng.choice((1, 0.8))}; }}\n"
        f".{d.prefix}fill-a.{d.prefix}strong {{ fill: {c} !important; }}"
    )
    d.body.append(f'<rect class="{d.prefix}fill-a" x="15" y="15" width="70" height="70" fill="{c}"/>')
    d.body.append(f'<rect class="{d.prefix}fill-a {d.prefix}strong" x="115" y="15" width="70" height="70"/>')
    d.body.append(
        f'<g id="{group}"><circle class="{d.prefix}ring" cx="100" cy="130" r="45"/>'
        f'<circle class="{d.prefix}dot" cx="100" cy="130" r="20"/></g>'
    )
    d.body.append(f'<path id="{shape_id}" d="M20,190 L60,150 L100,190Z"/>')


def _units(d: _Drawing) -> None:
    unit = d.rng.choice(("mm", "cm", "in", "pt", "pc"))
    scale = {"mm": 25.4 / 96, "cm": 2.54 / 96, "in": 1 / 96, "pt": 72 / 96, "pc": 6 / 96}[unit]
    d.root["size"] = f"{SIZE * scale:.3f}{unit}"
    em = d.rng.choice((10, 16, 20))
    d.body.append(
        f'<g style="font-size:{em}px"><rect x="1em" y="1em" width="{round(80 / em, 2)}em" height="50%" '
        f'fill="{d.color()}" stroke="{d.color()}" stroke-width="0.3em"/></g>'
    )
    d.body.append(
        f'<circle cx="70%" cy="30%" r="{d.num(10, 25)}%" fill="{d.color()}" stroke="{d.color()}" '
        'stroke-width="2%"/>'
    )
    d.body.append(
        f'<line x1="5%" y1="85%" x2="95%" y2="85%" stroke="{d.color()}" stroke-width="{d.num(1, 3)}mm"/>'
    )


def _paint_order(d: _Drawing) -> None:
    order = d.rng.choice(("stroke", "stroke fill", "stroke markers fill", "markers stroke"))
    paint = f'fill="{d.color()}" stroke="{d.color()}" stroke-width="{d.num(8, 18)}" stroke-linejoin="round"'
    if d.rng.random() < 0.5:
        d.body.append(d.shape(f'{paint} paint-order="{order}"', (30, 30, 140, 140)))
    else:
        d.body.append(d.shape(f'{paint} style="paint-order:{order}"', (30, 30, 140, 140)))


def _use_symbol(d: _Drawing) -> None:
    sid, gid = d.new_id("sym"), d.new_id("copy")
    ratio = d.rng.choice(("", ' preserveAspectRatio="xMinYMin meet"', ' preserveAspectRatio="none"'))
    d.defs.append(
        f'<symbol id="{sid}" viewBox="0 0 20 10"{ratio}><path d="M0,10 L10,0 L20,10Z" fill="{d.color()}"/>'
        f'<circle cx="10" cy="7" r="2" fill="{d.color()}"/></symbol>'
    )
    d.defs.append(
        f'<g id="{gid}"><use href="#{sid}" width="60" height="40"/>'
        f'<use href="#{sid}" x="60" width="30" height="40" transform="translate(0 10)"/></g>'
    )
    for x, y in ((10, 10), (100, 60), (20, 120)):
        d.body.append(f'<use href="#{gid}" x="{x}" y="{y}" fill="{d.color()}"/>')
    d.body.append(f'<use xlink:href="#{sid}" x="120" y="140" width="70" height="50"/>')


def _transform(d: _Drawing) -> None:
    transforms = (
        f"rotate({d.num(-45, 45)} 100 100)",
        f"skewX({d.num(-25, 25)})",
        f"matrix({d.num(0.6, 1)} {d.num(-0.3, 0.3)} {d.num(-0.3, 0.3)} {d.num(0.6, 1)} "
        f"{d.num(0, 40)} {d.num(0, 40)})",
        f"translate(100 100) scale({d.num(-1, -0.5)} {d.num(0.5, 1)}) translate(-100 -100)",
    )
    inner = d.shape(f'fill="{d.color()}" transform="{d.rng.choice(transforms)}"', (40, 40, 100, 100))
    d.body.append(f'<g transform="{d.rng.choice(transforms)}">{inner}</g>')


def _opacity(d: _Drawing) -> None:
    d.body.append(
        f'<g opacity="{d.num(0.4, 0.8)}"><circle cx="80" cy="90" r="50" fill="{d.color()}"/>'
        f'<circle cx="120" cy="110" r="50" fill="{d.color()}"/></g>'
    )
    d.body.append(
        f'<rect x="40" y="40" width="120" height="30" fill="{d.color()}" fill-opacity="{d.num(0.3, 0.7)}" '
        f'stroke="{d.color()}" stroke-width="8" stroke-opacity="{d.num(0.3, 0.7)}"/>'
    )


def _dashes(d: _Drawing) -> None:
    caps = d.rng.choice(("butt", "round", "square"))
    joins = d.rng.choice(("miter", "round", "bevel"))
    d.body.append(
        f'<path d="M30,40 L170,40 L100,170Z" fill="none" stroke="{d.color()}" stroke-width="{d.num(4, 10)}" '
        f'stroke-dasharray="{d.num(8, 20)} {d.num(4, 10)}" stroke-dashoffset="{d.num(0, 10)}" '
        f'stroke-linecap="{caps}" stroke-linejoin="{joins}" stroke-miterlimit="{d.num(1, 10)}"/>'
    )
    d.body.append(
        f'<circle cx="100" cy="100" r="80" fill="none" stroke="{d.color()}" stroke-width="3" '
        f'stroke-dasharray="{d.rng.choice(("2 6", "10", "15 5 5 5"))}"/>'
    )


_BUILDERS = {
    "linear-gradient": _linear_gradient,
    "radial-gradient": _radial_gradient,
    "clip-path": _clip_path,
    "mask": _mask,
    "marker": _marker,
    "pattern": _pattern,
    "css": _css,
    "units": _units,
    "paint-order": _paint_order,
    "use-symbol": _use_symbol,
    "transform": _transform,
    "opacity": _opacity,
    "dashes": _dashes,
}


def clipart(index: int) -> Clipart:
    """The corpus's drawing number `index`: one main feature (they take turns) and up to two more."""
    rng = random.Random(f"clipart-{index}")
    main = FEATURES[index % len(FEATURES)]
    others = rng.sample([feature for feature in FEATURES if feature != main], rng.choice((0, 1, 1, 2)))
    features = (main, *others)
    drawing = _Drawing(rng, prefix="c")
    backdrop = rng.random() < 0.3
    if backdrop:
        drawing.body.append(
            f'<rect width="{SIZE}" height="{SIZE}" fill="{rng.choice(("#fdf0d5", "#edf6f9"))}"/>'
        )
    for feature in features:
        _BUILDERS[feature](drawing)
    size = drawing.root.get("size", rng.choice((f"{SIZE}", f"{SIZE}px", "")))
    sized = f' width="{size}" height="{size}"' if size else ""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"{sized} '
        f'viewBox="0 0 {SIZE} {SIZE}">',
    ]
    if drawing.css:
        parts.append("<style>\n" + "\n".join(drawing.css) + "\n</style>")
    if drawing.defs:
        parts.append("<defs>" + "".join(drawing.defs) + "</defs>")
    parts.extend(drawing.body)
    parts.append("</svg>\n")
    name = f"{index:03d}-{'-'.join(features)}"
    return Clipart(name, features, "".join(parts).encode())


def corpus(count: int = CORPUS_SIZE) -> list[Clipart]:
    """The first `count` drawings of the corpus."""
    return [clipart(index) for index in range(count)]
