"""Composer cost per 100 glyphs, cold and warm, and the demo business card's keystroke compose.

Each case is one text layer of about 100 glyphs (shaped by HarfBuzz from the default library's
font file, drawn as outlines) on an 85 × 55 mm side, composed by `designer.composer.compose`
through a real app (SQLite, the store's default library, local storage), in preview mode:
- cold: every composer cache emptied before each compose (the font file read and parsed,
  every run shaped, every outline drawn), as the first compose after a worker starts;
- keystroke: caches warm, but the text differs each round (a new string to shape; the font and
  outlines cached), as when a customer types;
- warm: the same input again (everything from cache).
The business card rows compose the demo card's front (four layers, about 70 glyphs) with the
name changed each round. Reported: the median over the rounds (and p95), in ms per 100 glyphs
for the text cases. Prints a Markdown section for bench/RESULTS.md.

Everything it creates (instance directory, SQLite database) is thrown away.
Redis: REDIS_URL, else 127.0.0.1:6379 database 11 when it answers, else the embedded server.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchapp import bench_app, bench_store, machine, now  # noqa: E402

REDIS_DATABASE = 11  # of this machine's Redis, when it answers

# About 100 glyphs of each: (label, font family, text).
CASES = [
    ("Latin (Roboto)", "Roboto", "The quick brown fox jumps over the lazy dog, office affairs flow; " * 2),
    ("Arabic (Noto Sans Arabic)", "Noto Sans Arabic", "مرحبا بالعالم، هذا نص عربي للاختبار " * 3),
    ("Devanagari (Noto Sans Devanagari)", "Noto Sans Devanagari", "नमस्ते दुनिया यह एक परीक्षण है " * 4),
]


def _side(client) -> tuple[str, str]:
    """A store (with the default library) and an 85 × 55 mm side, made through the API: their ids."""
    store_id, bearer = bench_store(client)
    side = {"name": "Front", "width": 85, "height": 55, "bleed": 3, "safeZone": 4}
    product = client.post(
        "/api/v1/products",
        json={"name": "Card", "dimensionUnit": "mm", "sides": [side]},
        headers=bearer,
    )
    assert product.status_code == 201, product.json
    return store_id, product.json["sides"][0]["id"]


def _layers(bodies: list[dict]) -> list:
    from designer.composer.layers import parse_layers_json, prepare_layers

    return prepare_layers(parse_layers_json(json.dumps(bodies).encode()))


def _text_layer(family: str, text: str) -> dict:
    return {
        "type": "text",
        "text": text,
        "fontFamily": family,
        "fontSize": 8,
        "x": 4,
        "y": 4,
        "width": 77,
        "height": 47,
    }


def _card(name: str) -> list[dict]:
    from designer.demo.catalog import DEMO_PRODUCTS

    front = DEMO_PRODUCTS[0][1][0][0]["layers"]
    return [dict(layer, text=name) if layer.get("name") == "Name" else layer for layer in front]


def _clear_caches() -> None:
    from designer.composer import fonts, pictures
    from designer.editing import assets

    fonts.clear_caches()
    pictures.clear_caches()
    assets.clear_caches()


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def _summary(times_ms: list[float], per: float) -> dict:
    ordered = sorted(time_ms * per for time_ms in times_ms)
    return {"median": statistics.median(ordered), "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)]}


def run(rounds: int) -> dict:
    from designer.composer.text import set_text
    from designer.editing.assets import compose_from_store as compose
    from designer.editing.assets import load_assets
    from designer.products.models import Side
    from designer.products.present import composer_side
    from designer.tenancy import get_in_store

    with tempfile.TemporaryDirectory(prefix="presswork-bench-") as directory:
        app = bench_app(Path(directory), REDIS_DATABASE)
        store_id, side_id = _side(app.test_client())
        with app.app_context():
            side = get_in_store(Side, side_id, store_id)
            results = {}
            for label, family, text in CASES:
                [layer] = _layers([_text_layer(family, text)])
                font = load_assets(store_id, composer_side(side), [layer], "preview").font_of(layer)
                glyphs = set_text(font.parsed, layer).glyph_count
                per_100 = 100 / glyphs
                cold, keystroke, warm = [], [], []
                for round_index in range(rounds):
                    _clear_caches()
                    cold.append(_timed(lambda layer=layer: compose(store_id, side, [layer], mode="preview")))
                    typed = _layers([_text_layer(family, f"{text[:-4]}{round_index:04d}")])
                    keystroke.append(
                        _timed(lambda typed=typed: compose(store_id, side, typed, mode="preview"))
                    )
                    warm.append(_timed(lambda layer=layer: compose(store_id, side, [layer], mode="preview")))
                results[label] = {
                    "glyphs": glyphs,
                    "cold": _summary(cold, per_100),
                    "keystroke": _summary(keystroke, per_100),
                    "warm": _summary(warm, per_100),
                }
            compose(store_id, side, _layers(_card("Alex Morgan")), mode="preview")  # warm the card's fonts
            card = []
            for round_index in range(rounds * 10):
                layers = _layers(_card(f"Alex Morgan {round_index}"))
                card.append(_timed(lambda layers=layers: compose(store_id, side, layers, mode="preview")))
            results["card"] = _summary(card, 1)
    return {"rounds": rounds, "results": results}


def report(measured: dict) -> str:
    results = measured["results"]
    lines = [
        f"## Composer ({now()}): cost per 100 glyphs, cold and warm",
        "",
        "bench/composer.py: `designer.composer.compose` (preview mode) of one text layer of about 100 "
        "glyphs on an 85 × 55 mm side, in a real app (SQLite, the default library). Cold: every composer "
        "cache emptied first (font file read and parsed, runs shaped, outlines drawn); keystroke: a new "
        "string each round, font and outlines cached; warm: the same input again.",
        "",
        f"- Machine: {machine('uharfbuzz', 'fontTools')}",
        f"- {measured['rounds']} rounds per case; ms per 100 glyphs, median (p95)",
        "",
        "| text | glyphs | cold | keystroke | warm |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, _, _ in CASES:
        row = results[label]
        cells = " | ".join(
            f"{row[kind]['median']:.2f} ({row[kind]['p95']:.2f})" for kind in ("cold", "keystroke", "warm")
        )
        lines.append(f"| {label} | {row['glyphs']} | {cells} |")
    card = results["card"]
    lines += [
        "",
        "Demo business card front (4 layers, the name changed each time, "
        f"{measured['rounds'] * 10} composes): median {card['median']:.2f} ms, "
        f"p95 {card['p95']:.2f} ms per compose.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="rounds per case (default 30)")
    arguments = parser.parse_args()
    print(report(run(arguments.rounds)))


if __name__ == "__main__":
    main()
