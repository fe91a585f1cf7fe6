"""Spot colours: what a die line and an ink plate add to a print PDF's render, and what a contour
die line adds to the editor's preview.

The demo sticker's artwork (a 54 × 42 mm badge on a 70 × 70 mm side, 2 mm bleed, drawn with
shapes so no font or database is needed) is composed and rendered with render_pdf:
- without a die line (today's path);
- with a rectangle die line (corner radius 4 mm);
- with a contour die line 3 mm around the art (the art drawn at 300 dpi and traced);
- with the contour and a white-ink plate of the badge (a 600 dpi stencil);
and composed as the editor's preview with and without the contour (traced at 100 dpi).
Also an A4 page (210 × 297 mm, 3 mm bleed) with a contour and a white plate, where the plate's
raster meets its pixel cap.

Prints, per case, the median time over the rounds and the PDF's size.
Run: .venv/bin/python bench/separations.py [--rounds N]
"""

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from designer.composer import Assets, Side, compose  # noqa: E402
from designer.composer.layers import load_layers  # noqa: E402
from designer.rendering.pdf import PrintPage, render_pdf  # noqa: E402

BADGE = {"type": "shape", "shape": "ellipse", "x": 8, "y": 14, "width": 54, "height": 42, "fill": "#f4a300"}
STICKER = Side(id="s", width_mm=70, height_mm=70, bleed_mm=2)
A4 = Side(id="a4", width_mm=210, height_mm=297, bleed_mm=3)


def timed(work, rounds: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def pdf_case(side: Side, layers: list, rounds: int) -> tuple[float, int]:
    svg = compose(side, layers, Assets(), "print").svg
    page = PrintPage(svg, side.width_mm, side.height_mm, side.bleed_mm)
    seconds, pdf = timed(lambda: render_pdf([page]), rounds)
    return seconds, len(pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    rounds = parser.parse_args().rounds
    plain = load_layers([BADGE])
    white = load_layers([BADGE | {"fill": "#ffffff", "ink": {"name": "White", "only": True}}, BADGE])
    poster_badge = BADGE | {"x": 20, "y": 30, "width": 170, "height": 200}
    poster = load_layers([poster_badge | {"fill": "#ffffff", "ink": {"name": "White"}}, poster_badge])
    contour = {"die_line": "contour", "die_line_offset_mm": 3.0}
    cases = [
        ("sticker PDF, no die line", STICKER, plain),
        (
            "sticker PDF, rectangle die line",
            replace(STICKER, die_line="rectangle", die_line_radius_mm=4),
            plain,
        ),
        ("sticker PDF, contour die line", replace(STICKER, **contour), plain),
        ("sticker PDF, contour + white plate", replace(STICKER, **contour), white),
        ("A4 PDF, contour + white plate", replace(A4, **contour), poster),
    ]
    print(f"| case ({rounds} rounds) | median | PDF size |")
    print("| --- | --- | --- |")
    for name, side, layers in cases:
        seconds, size = pdf_case(side, layers, rounds)
        print(f"| {name} | {seconds * 1000:.1f} ms | {size / 1024:.1f} kB |")
    for name, side in (
        ("sticker preview, no die line", STICKER),
        ("sticker preview, contour", replace(STICKER, **contour)),
    ):
        seconds, _ = timed(lambda side=side: compose(side, plain, Assets(), "preview"), rounds)
        print(f"| {name} | {seconds * 1000:.2f} ms | |")


if __name__ == "__main__":
    main()
