"""Imposition: 100 two-sided business cards ganged on SRA3 press sheets.

Each card is its own print-ready PDF, made as the render job makes one (render_pdf: 85 × 55 mm,
3 mm bleed, front and back): a coloured background and a block of shapes on the front, a 600 ×
400 px JPEG photo of its own (about 60 kB, noise, so no two compress alike) across the back.
They are ganged by press_sheet.impose, as the gang route does once it has read the files: 10-up
and as many as fit (18-up), step-and-repeat and cut-and-stack, duplex (work-and-turn backs).

Prints, per case, the median time over the rounds, the sheets made, and the sheet PDF's size
against the sum of the 100 card PDFs' sizes (1.0: nothing added, nothing lost).
Run: LIBRARY_PATH=library .venv/bin/python bench/imposition.py [--rounds N] [--cards N]
"""

import argparse
import base64
import io
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchapp import machine  # noqa: E402
from PIL import Image  # noqa: E402

from designer.imposition.press_sheet import CUT_AND_STACK, STEP_AND_REPEAT, Item, impose, plan_grid  # noqa: E402
from designer.imposition.service import LABEL_FONT_FILE, SHEETS_MM  # noqa: E402
from designer.library.default_library import library_root  # noqa: E402
from designer.rendering.pdf import PrintPage, render_pdf  # noqa: E402
from designer.rendering.pdfx import SRGB, Identity  # noqa: E402

BLEED_W_MM, BLEED_H_MM = 91, 61


def card_pdf(number: int) -> bytes:
    """A two-sided card: shapes on the front, a photo of its own across the back."""
    photo = io.BytesIO()
    noise = Image.effect_noise((600, 400), 40 + number % 30).convert("RGB")
    noise.save(photo, "JPEG", quality=80)
    href = "data:image/jpeg;base64," + base64.b64encode(photo.getvalue()).decode()
    hue = f"#{(number * 37) % 256:02x}{(number * 91) % 256:02x}c0"
    view = (
        'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{BLEED_W_MM}mm" height="{BLEED_H_MM}mm" viewBox="0 0 {BLEED_W_MM} {BLEED_H_MM}"'
    )
    front = (
        f'<svg {view}><rect width="91" height="61" fill="{hue}"/>'
        '<rect x="8" y="8" width="40" height="6" fill="#222"/>'
        '<rect x="8" y="18" width="28" height="3" fill="#555"/>'
        '<circle cx="72" cy="40" r="10" fill="#fff"/></svg>'
    )
    back = (
        f'<svg {view}><image x="0" y="0" width="91" height="61" preserveAspectRatio="xMidYMid slice" '
        f'xlink:href="{href}"/></svg>'
    )
    return render_pdf([PrintPage(front, 85, 55, 3), PrintPage(back, 85, 55, 3)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cards", type=int, default=100)
    arguments = parser.parse_args()
    font = library_root(os.environ.get("LIBRARY_PATH")) / "fonts" / LABEL_FONT_FILE
    started = time.perf_counter()
    items = [Item([card_pdf(number)], f"{10000 + number}") for number in range(arguments.cards)]
    made_s = time.perf_counter() - started
    cards_bytes = sum(len(item.pdfs[0]) for item in items)
    identity = Identity("Business card · bench", datetime(2026, 12, 6, tzinfo=UTC))
    width_mm, height_mm = SHEETS_MM["sra3"]
    print(f"{machine()}")
    print(
        f"{arguments.cards} two-sided card PDFs made in {made_s:.1f} s, "
        f"{cards_bytes / 1024 / 1024:.2f} MB together ({cards_bytes / arguments.cards / 1024:.1f} kB each)\n"
    )
    heading = f"SRA3, {arguments.cards} two-sided cards ({arguments.rounds} rounds)"
    print(f"| {heading} | median | per card | sheets | sheet PDF | ÷ sum of cards |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n_up, order in ((10, STEP_AND_REPEAT), (None, STEP_AND_REPEAT), (10, CUT_AND_STACK)):
        layout = partial(plan_grid, width_mm, height_mm, gutter_mm=6, margin_mm=10, n_up=n_up)
        times, imposed = [], None
        for _ in range(arguments.rounds):
            began = time.perf_counter()
            imposed = impose(items, layout, order, identity=identity, intent=SRGB, label_font=font)
            times.append(time.perf_counter() - began)
        median = statistics.median(times)
        name = f"{imposed.grid.n_up}-up, {order.replace('_', '-')}"
        print(
            f"| {name} | {median * 1000:.0f} ms | {median / arguments.cards * 1000:.1f} ms | "
            f"{imposed.sheet_count} ({imposed.sheet_count * 2} pages) | "
            f"{len(imposed.pdf) / 1024 / 1024:.2f} MB | {len(imposed.pdf) / cards_bytes:.3f} |"
        )


if __name__ == "__main__":
    main()
