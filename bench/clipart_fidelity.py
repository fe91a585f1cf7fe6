"""Does clipart print as a browser shows it? Every drawing of the clipart corpus
(tests/clipart_corpus.py) drawn three ways at SIZE_PX square, each compared with the browser's:

- reference: Debian's Chromium (Playwright), the drawing shown as an <img> on white;
- print: the stored clipart as a design prints it: the upload path (`--stored original`:
  preflight's sanitized copy, as before issue 14; `normalized`: what upload stores now) placed in
  a layer by the composer, the side drawn as a PDF by designer/rendering/pdf.py and rasterized by
  pdftoppm;
- resvg: the upload's reference renderer on the original file (the ceiling of what a
  normalizer that leaves CairoSVG's drawing to match resvg's can reach).

A pixel differs when a channel differs by more than designer/library/clipart_print.py's
tolerance from every pixel around it in the other picture (anti-aliased edges pass). Prints the
share of drawings within 1 % differing pixels, for each way, and the failures with their
features and what upload told the merchant.

    .venv/bin/python bench/clipart_fidelity.py [--count N] [--stored original|normalized|both]
"""

import argparse
import base64
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from designer.composer import Assets, ClipartAsset, Side, compose  # noqa: E402
from designer.composer.layers import ClipartLayer  # noqa: E402
from designer.files.preflight import Limits, run_preflight  # noqa: E402
from designer.library import clipart_print  # noqa: E402
from designer.rendering.pdf import PrintPage, render_pdf  # noqa: E402
from tests.clipart_corpus import corpus  # noqa: E402

SIZE_PX = 256
SIZE_MM = SIZE_PX * 25.4 / 96  # 192 pt: pdftoppm at 96 dpi gives SIZE_PX exactly
WITHIN = 0.01
CHROMIUM = "/usr/bin/chromium"


def browser_pictures(drawings) -> dict[str, Image.Image]:
    from playwright.sync_api import sync_playwright

    pictures = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--force-color-profile=srgb"]
        )
        page = browser.new_page(viewport={"width": SIZE_PX, "height": SIZE_PX})
        for drawing in drawings:
            uri = "data:image/svg+xml;base64," + base64.b64encode(drawing.svg).decode()
            page.set_content(
                '<html><body style="margin:0;background:#fff">'
                f'<img src="{uri}" style="display:block;width:{SIZE_PX}px;height:{SIZE_PX}px"></body></html>'
            )
            page.wait_for_function("document.images[0].complete")
            pictures[drawing.name] = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
        browser.close()
    return pictures


NORMALIZE_S: list[float] = []


def stored_svg(data: bytes, stored: str) -> tuple[bytes | None, str]:
    """What upload stores of `data` and what it says of it; None when preflight refuses it."""
    notes = ""
    if stored == "normalized":
        started = time.perf_counter()
        prepared = clipart_print.prepare_svg(data, Limits())
        NORMALIZE_S.append(time.perf_counter() - started)
        if prepared is not None:
            data = prepared.normalized.svg
            notes = "; ".join(f"{kind} as a picture" for kind in prepared.normalized.rasterized)
    outcome = run_preflight(data, filename="clipart.svg")
    if outcome.failed:
        failed = [check["message"] for check in outcome.report["checks"] if check["status"] == "failed"]
        return None, "refused: " + "; ".join(failed)
    return outcome.stored_bytes, notes


def printed_picture(svg: bytes, work: Path) -> Image.Image:
    side = Side(id=None, width_mm=SIZE_MM, height_mm=SIZE_MM)
    layer = ClipartLayer.model_validate(
        {
            "id": "lyr_art",
            "type": "clipart",
            "clipartId": "clp_art",
            "x": 0,
            "y": 0,
            "width": SIZE_MM,
            "height": SIZE_MM,
        }
    )
    asset = ClipartAsset(id="clp_art", storage_key=f"bench/{hash(svg)}", format="svg", data=svg)
    composition = compose(side, [layer], Assets(clipart={"clp_art": asset}), "print")
    pdf = render_pdf([PrintPage(composition.svg, SIZE_MM, SIZE_MM, 0.0)])
    (work / "page.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "96", "-png", "-singlefile", str(work / "page.pdf"), str(work / "page")],
        check=True,
    )
    with Image.open(work / "page.png") as picture:
        return _on_white(picture)


def _on_white(picture: Image.Image) -> Image.Image:
    picture = picture.convert("RGBA")
    if picture.size != (SIZE_PX, SIZE_PX):
        picture = picture.resize((SIZE_PX, SIZE_PX))
    white = Image.new("RGBA", picture.size, "white")
    return Image.alpha_composite(white, picture).convert("RGB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--stored", choices=("original", "normalized", "both"), default="both")
    parser.add_argument("--save", type=Path, default=None, help="write each picture here")
    arguments = parser.parse_args()
    drawings = corpus() if arguments.count is None else corpus(arguments.count)
    started = time.monotonic()
    if arguments.save:
        arguments.save.mkdir(parents=True, exist_ok=True)
    browser = browser_pictures(drawings)
    ways = ["original", "normalized"] if arguments.stored == "both" else [arguments.stored]
    results: dict[str, dict[str, float | None]] = {way: {} for way in (*ways, "resvg")}
    notes: dict[str, dict[str, str]] = {way: {} for way in ways}
    with tempfile.TemporaryDirectory() as work:
        for drawing in drawings:
            reference = browser[drawing.name]
            resvg = clipart_print.on_white(
                clipart_print.reference_png(drawing.svg, SIZE_PX, SIZE_PX), (SIZE_PX, SIZE_PX)
            )
            results["resvg"][drawing.name] = clipart_print.differing_fraction(resvg, reference)
            for way in ways:
                svg, note = stored_svg(drawing.svg, way)
                notes[way][drawing.name] = note
                if svg is None:
                    results[way][drawing.name] = None
                    continue
                printed = printed_picture(svg, Path(work))
                results[way][drawing.name] = clipart_print.differing_fraction(printed, reference)
                if arguments.save:
                    printed.save(arguments.save / f"{drawing.name}.{way}.png")
            if arguments.save:
                reference.save(arguments.save / f"{drawing.name}.chromium.png")
                resvg.save(arguments.save / f"{drawing.name}.resvg.png")
    elapsed = time.monotonic() - started
    load = os.getloadavg()[0]
    print(
        f"{len(drawings)} drawings, {SIZE_PX}×{SIZE_PX} px, {elapsed:.0f} s, "
        f"load {load:.1f} on {os.cpu_count()} cores"
    )
    for way, found in results.items():
        good = sum(1 for value in found.values() if value is not None and value <= WITHIN)
        refused = sum(1 for value in found.values() if value is None)
        label = {"original": "print, stored as before", "normalized": "print, normalized", "resvg": "resvg"}[
            way
        ]
        print(
            f"{label:>24}: {good}/{len(found)} = {100 * good / len(found):.1f} % within 1 %, "
            f"{refused} refused"
        )
    if NORMALIZE_S:
        print(
            f"normalizing at upload: median {1000 * statistics.median(NORMALIZE_S):.0f} ms, "
            f"slowest {1000 * max(NORMALIZE_S):.0f} ms"
        )
    for way in ways:
        failing = {name: value for name, value in results[way].items() if value is None or value > WITHIN}
        by_feature = Counter(
            feature for drawing in drawings if drawing.name in failing for feature in drawing.features
        )
        print(f"\n{way}: {len(failing)} failures; features among them: {dict(by_feature.most_common())}")
        for name, value in sorted(failing.items()):
            shown = "refused" if value is None else f"{100 * value:.2f} %"
            resvg_value = results["resvg"][name]
            print(f"  {name}: {shown} (resvg {100 * resvg_value:.2f} %) {notes[way][name]}")


if __name__ == "__main__":
    main()
