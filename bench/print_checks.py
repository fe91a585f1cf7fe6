"""What the checks before print (designer/composer/checks.py) add to a compose.

The pure composer alone (no app, no database): the demo business card's front (an accent bar,
three texts in Roboto from the default library) with a stroked SVG clipart of 200 paths, on an
85 × 55 mm side with 3 mm bleed, composed in preview mode with its caches warm, as on every
keystroke, without checks, with the checks the editor ran before total ink was switched on (no
separation), and with all four (total ink through the shipped FOGRA39 profile, the separation
rendering/cmyk.py `colour_separation` gives the editor, cached per profile and intent), in
alternating rounds of the same run. Reported: the median and p95 of each in ms, and what the
checks add. Prints a Markdown section for bench/RESULTS.md.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from designer.composer import Assets, ClipartAsset, FontAsset, Side, compose  # noqa: E402
from designer.composer.checks import PrintChecks  # noqa: E402
from designer.composer.fonts import parsed_font  # noqa: E402
from designer.composer.layers import load_layers  # noqa: E402
from designer.library.default_library import library_root  # noqa: E402
from designer.rendering.cmyk import colour_separation, default_separation  # noqa: E402

SIDE = Side(
    "sid_bench", 85, 55, bleed_mm=3, safe_zone_mm=4, background_type="color", background_color="#ffffff"
)
PATHS = "".join(
    f'<path d="M{index % 20 * 5} {index // 20 * 10}l4 8" stroke="#1d232b" stroke-width="{1 + index % 3}"/>'
    for index in range(200)
)
OPENING = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
CLIPART = f'{OPENING}<g transform="scale(0.9)">{PATHS}</g></svg>'


def _layers() -> list:
    def text(name: str, words: str, y: float, size_pt: float) -> dict:
        return {
            "type": "text", "id": f"lyr_{name}", "name": name, "text": words, "fontId": "fnt_roboto",
            "x": 12, "y": y, "width": 66, "height": 9, "fontSize": size_pt, "autoFit": True,
        }  # fmt: skip

    return load_layers(
        [
            {
                "type": "shape",
                "id": "lyr_bar",
                "shape": "rect",
                "x": -3,
                "y": -3,
                "width": 9,
                "height": 61,
                "fill": "#0b5cad",
            },
            text("Name", "Alex Morgan", 14, 14),
            text("Title", "Studio Manager", 24, 8.5),
            text("Contact", "+44 20 7946 0958\nalex@example.com", 36, 7.5),
            {
                "type": "clipart",
                "id": "lyr_art",
                "clipartId": "clp_bench",
                "x": 62,
                "y": 34,
                "width": 16,
                "height": 16,
            },
        ]  # fmt: skip
    )


def _assets() -> Assets:
    path = library_root() / "fonts" / "Roboto_400Regular.ttf"
    font = parsed_font(f"bench:{path.name}", path.read_bytes)
    clipart = ClipartAsset(
        "clp_bench", "bench:lines.svg", "svg", data=CLIPART.encode(), width_px=100, height_px=100
    )
    return Assets(
        fonts={"fnt_roboto": FontAsset("fnt_roboto", "Roboto", font)}, clipart={"clp_bench": clipart}
    )


def run(rounds: int) -> dict[str, list[float]]:
    layers, assets = _layers(), _assets()
    fogra39 = colour_separation(default_separation(library_root()))
    cases = {
        "without checks": None,
        "with checks, no total ink": PrintChecks(),
        "with checks, total ink through FOGRA39": PrintChecks(to_cmyk=fogra39),
    }
    for settings in cases.values():  # warm the caches
        compose(SIDE, layers, assets, "preview", checks=settings)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, settings in cases.items():
            started = time.perf_counter()
            compose(SIDE, layers, assets, "preview", checks=settings)
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def report(times: dict[str, list[float]]) -> str:
    medians = {name: statistics.median(values) for name, values in times.items()}
    lines = [
        "## Checks before print: what they add to a compose",
        "",
        "The demo card's front with a 200-path stroked clipart, preview mode, caches warm "
        "(bench/print_checks.py).",
        "",
        "| compose | median ms | p95 ms |",
        "| --- | ---: | ---: |",
    ]
    for name, values in times.items():
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
        lines.append(f"| {name} | {medians[name]:.2f} | {p95:.2f} |")
    baseline = medians["without checks"]
    lines.append("")
    for name in list(times)[1:]:
        lines.append(
            f"{name[0].upper() + name[1:]}: {medians[name] - baseline:+.2f} ms on the median compose."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="rounds of each (default 200)")
    print(report(run(parser.parse_args().rounds)))


if __name__ == "__main__":
    main()
