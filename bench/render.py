"""Print PDF rendering: designer.rendering.render_pdf against stock CairoSVG and rsvg-convert.

Three documents, composed by the composer in print mode in a real app (SQLite, the demo store
that `seed-demo` makes, local storage):
- the demo business card, front and back (its default templates): text and a shape, two pages;
- the demo mug wrap (its default template): script text and a line on a 204 × 94 mm page;
- an A4 poster (210 × 297 mm, 3 mm bleed) with three large photos (JPEGs made with Pillow,
  uploaded through the API) and 30 lines of text.

Each engine renders the same SVGs in a child process of its own, so its peak memory (ru_maxrss)
is its own: render_pdf on the pages; stock CairoSVG's svg2pdf on each page's SVG; rsvg-convert
(librsvg) on the same SVG files, all pages in one call (skipped with a note when it is not
installed). Reported: the median render time over the rounds, the child's peak RSS and how much
of it came after the imports, the PDF's size and that size divided by the bytes of the pictures
the SVGs carry (1.0: the pictures as they are, nothing added), and whether two children made
byte-identical PDFs. Prints a Markdown section for bench/RESULTS.md.

Everything it creates (instance directory, SQLite database, SVG and PDF files) is thrown away.
Redis: REDIS_URL, else 127.0.0.1:6379 database 11 when it answers, else the embedded server.
"""

import argparse
import base64
import hashlib
import io
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENGINES = ("render_pdf", "cairosvg", "rsvg-convert", "rsvg-convert --keep-image-data")
POSTER_PHOTO_PX = (4000, 3000)
_DATA_IMAGE = re.compile(rb'href="data:image/(?:jpeg|png|webp|gif);base64,([^"]+)"')


def _redis_url() -> str:
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return "redis://127.0.0.1:6379/11"
    except OSError:
        return ""  # the app starts its embedded server


def _app(instance: Path):
    os.environ["INSTANCE_PATH"] = str(instance)
    from designer import create_app
    from designer.extensions import db

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'bench.db'}",
            "REDIS_URL": _redis_url(),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "STORAGE_PATH": str(instance / "files"),
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _layers(bodies: list[dict]) -> list:
    from designer.designs.layers import parse_layers_json, prepare_layers

    return prepare_layers(parse_layers_json(json.dumps(bodies).encode()))


def _photo(seed: int) -> bytes:
    """A photo-like JPEG: smooth colour gradients with grain, about as compressible as a photo."""
    from PIL import Image, ImageChops, ImageFilter

    width_px, height_px = POSTER_PHOTO_PX
    small = Image.effect_noise((width_px // 100, height_px // 100), 90 + seed * 10).convert("RGB")
    smooth = small.resize((width_px, height_px), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(4))
    tint = Image.new("RGB", (width_px, height_px), ((70 * seed) % 255, 120, (200 - 60 * seed) % 255))
    grain = Image.effect_noise((width_px, height_px), 18).convert("RGB")
    picture = ImageChops.add(ImageChops.blend(smooth, tint, 0.4), grain, scale=1.6, offset=-40)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    return out.getvalue()


def _poster_layers(photo_ids: list[str]) -> list[dict]:
    fonts = ["Roboto", "Montserrat", "Lora", "Open Sans", "Playfair Display"]
    photos = [
        {
            "type": "image",
            "name": "Hero",
            "fileId": photo_ids[0],
            "x": -3,
            "y": -3,
            "width": 216,
            "height": 100,
        },
        {
            "type": "image",
            "name": "Left",
            "fileId": photo_ids[1],
            "x": 10,
            "y": 102,
            "width": 92,
            "height": 62,
        },
        {
            "type": "image",
            "name": "Right",
            "fileId": photo_ids[2],
            "x": 108,
            "y": 102,
            "width": 92,
            "height": 62,
        },
    ]
    lines = [
        {
            "type": "text",
            "name": f"Line {index + 1}",
            "text": f"{index + 1:02d}. Summer fair on the green — music, food and games from 10 am",
            "fontFamily": fonts[index % len(fonts)],
            "fontSize": 10,
            "x": 10,
            "y": 170 + index * 4,
            "width": 190,
            "height": 4,
            "autoFit": True,
        }
        for index in range(30)
    ]
    return photos + lines


def _documents(directory: Path) -> dict[str, list[dict]]:
    """Each document's pages as {svg file, trim and bleed}: the SVGs written to `directory`."""
    from designer.cli import seed_demo
    from designer.composer import compose
    from designer.demo.catalog import DEMO_PRODUCTS
    from designer.extensions import db
    from designer.products.models import Product
    from designer.tenancy import get_in_store, in_store

    app = _app(directory / "instance")
    client = app.test_client()
    documents: dict[str, list[tuple]] = {}
    with app.app_context():
        account, secret = seed_demo()
        store_id = account.stores[0].id
        bearer = {"Authorization": f"Bearer {secret}"}
        products = {
            product.slug: product for product in db.session.scalars(in_store(db.select(Product), store_id))
        }
        for label, slug in (("Business card (2 sides)", "business-card"), ("Mug wrap", "mug-wrap")):
            templates = next(templates for body, templates in DEMO_PRODUCTS if body["slug"] == slug)
            sides = sorted(products[slug].sides, key=lambda side: side.position)
            documents[label] = [
                (side, _layers(next(t for t in side_templates if t.get("isDefault"))["layers"]))
                for side, side_templates in zip(sides, templates, strict=True)
            ]
        photo_ids = []
        for seed in range(3):
            form = {"file": (io.BytesIO(_photo(seed)), f"photo-{seed}.jpg")}
            uploaded = client.post("/api/v1/files/upload", data=form, headers=bearer)
            assert uploaded.status_code == 201, uploaded.json
            photo_ids.append(uploaded.json["id"])
        poster = client.post(
            "/api/v1/products",
            json={
                "name": "Poster",
                "dimensionUnit": "mm",
                "sides": [{"name": "Front", "width": 210, "height": 297, "bleed": 3, "safeZone": 5}],
            },
            headers=bearer,
        )
        assert poster.status_code == 201, poster.json
        [poster_side] = get_in_store(Product, poster.json["id"], store_id).sides
        documents["A4 poster (3 photos, 30 lines)"] = [(poster_side, _layers(_poster_layers(photo_ids)))]
        written = {}
        for label, pages in documents.items():
            written[label] = []
            for index, (side, layers) in enumerate(pages):
                composition = compose(store_id, side, layers, mode="print")
                assert not composition.blocking, composition.blocking
                path = directory / f"{hashlib.sha256(label.encode()).hexdigest()[:8]}-{index}.svg"
                path.write_text(composition.svg)
                written[label].append(
                    {
                        "svg": str(path),
                        "width": side.width_mm,
                        "height": side.height_mm,
                        "bleed": side.bleed_mm,
                    }
                )
    return written


def _picture_bytes(pages: list[dict]) -> int:
    """The bytes of the raster pictures the SVGs carry (their data: URIs decoded)."""
    total = 0
    for page in pages:
        for match in _DATA_IMAGE.finditer(Path(page["svg"]).read_bytes()):
            total += len(base64.b64decode(match[1]))
    return total


# The child: one engine, one document, some rounds.


def _status_kib(field: str) -> int:
    """VmRSS or VmHWM of this process: ru_maxrss would carry the parent's peak over the exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def child(engine: str, pages: list[dict], rounds: int, output: Path) -> dict:
    rsvg_peaks_kib = []
    if engine == "render_pdf":
        from designer.rendering import PrintPage, render_pdf

        printed = [
            PrintPage(Path(page["svg"]).read_text(), page["width"], page["height"], page["bleed"])
            for page in pages
        ]

        def render() -> bytes:
            return render_pdf(printed)

    elif engine == "cairosvg":
        import cairosvg

        svgs = [Path(page["svg"]).read_bytes() for page in pages]

        def render() -> bytes:
            # One PDF per page: stock CairoSVG makes no multi-page document; the sizes are summed.
            return b"".join(cairosvg.svg2pdf(bytestring=svg) for svg in svgs)

    else:
        # --unlimited: libxml2 refuses the poster's photos (attributes over 10 MB) without it.
        options = ["--keep-image-data"] if engine.endswith("keep-image-data") else []
        command = ["rsvg-convert", "-u", *options, "-f", "pdf", "-o", str(output)]
        command += [page["svg"] for page in pages]

        def render() -> bytes:
            # GNU time reports rsvg-convert's own peak (a fork of this process would carry ours).
            timed = subprocess.run(
                ["/usr/bin/time", "-f", "%M", *command], check=True, capture_output=True, text=True
            )
            rsvg_peaks_kib.append(int(timed.stderr.strip().splitlines()[-1]))
            return output.read_bytes()

    baseline_kib = _status_kib("VmRSS")
    times_ms, pdf = [], b""
    for _ in range(rounds):
        started = time.perf_counter()
        pdf = render()
        times_ms.append((time.perf_counter() - started) * 1000)
    if rsvg_peaks_kib:
        peak_kib, baseline_kib = max(rsvg_peaks_kib), 0
    else:
        peak_kib = _status_kib("VmHWM")
    return {
        "median_ms": statistics.median(times_ms),
        "peak_mib": peak_kib / 1024,
        "added_mib": (peak_kib - baseline_kib) / 1024,
        "pdf_bytes": len(pdf),
        "sha256": hashlib.sha256(pdf).hexdigest(),
    }


def _measure(engine: str, pages: list[dict], rounds: int, directory: Path) -> dict:
    output = directory / f"{engine.replace(' ', '')}.pdf"
    command = [sys.executable, __file__, "--child", engine, "--rounds", str(rounds), "--output", str(output)]
    result = subprocess.run(command, input=json.dumps(pages), capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        return {"failed": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="presswork-bench-") as name:
        directory = Path(name)
        documents = _documents(directory)
        rsvg = shutil.which("rsvg-convert") and Path("/usr/bin/time").exists()
        engines = [engine for engine in ENGINES if rsvg or not engine.startswith("rsvg")]
        results = {}
        for label, pages in documents.items():
            pictures = _picture_bytes(pages)
            rows = {}
            for engine in engines:
                measured = _measure(engine, pages, rounds, directory)
                if engine == "render_pdf":
                    again = _measure(engine, pages, 1, directory)
                    measured["identical"] = again["sha256"] == measured["sha256"]
                rows[engine] = measured
            results[label] = {"pages": len(pages), "picture_bytes": pictures, "engines": rows}
    return {"rounds": rounds, "results": results, "rsvg": bool(rsvg)}


def _machine() -> str:
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    rsvg = ""
    if shutil.which("rsvg-convert"):
        rsvg = (
            ", "
            + subprocess.run(["rsvg-convert", "--version"], capture_output=True, text=True).stdout.strip()
        )
    return (
        f"{os.cpu_count()} CPUs (shared with other work), {memory_gib:.1f} GiB memory, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}, CairoSVG {version('CairoSVG')}, "
        f"cairocffi {version('cairocffi')}, pikepdf {version('pikepdf')}{rsvg}"
    )


def report(measured: dict) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## PDF rendering (core) ({now}): render_pdf, stock CairoSVG and rsvg-convert",
        "",
        "bench/render.py: the composer's print SVGs of three documents (the demo business card's two sides "
        "and the demo mug wrap, their default templates; an A4 poster with three 4000 × 3000 px JPEG photos "
        "and 30 lines of text), each rendered by each engine in a child process of its own: "
        "`designer.rendering.render_pdf` (one PDF, JPEGs passed through, boxes set with pikepdf), stock "
        "CairoSVG `svg2pdf` per page, and `rsvg-convert -u -f pdf` on the same files (`-u`: libxml2 "
        "refuses the poster's 4 MB attributes without it). Peak: the child's VmHWM (rsvg-convert's own, "
        "from GNU time); after imports: what rendering added to the child's RSS. PDF ÷ pictures: the "
        "PDF's size over the bytes of the pictures the SVGs carry.",
        "",
        f"- Machine: {_machine()}",
        f"- {measured['rounds']} rounds per engine and document; median time",
    ]
    if not measured["rsvg"]:
        lines.append("- rsvg-convert (or GNU time, to measure it) is not installed: its rows are left out")
    lines += [
        "",
        "| document | engine | median (ms) | peak RSS (MiB) | after imports (MiB) | PDF (KB) "
        "| PDF ÷ pictures |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, result in measured["results"].items():
        for engine, row in result["engines"].items():
            if "failed" in row:
                lines.append(f"| {label} | {engine} | failed: {row['failed']} | | | | |")
                continue
            ratio = f"{row['pdf_bytes'] / result['picture_bytes']:.2f}" if result["picture_bytes"] else "—"
            lines.append(
                f"| {label} | {engine} | {row['median_ms']:.0f} | {row['peak_mib']:.0f} | "
                f"{row['added_mib']:.0f} | {row['pdf_bytes'] / 1000:.0f} | {ratio} |"
            )
    identical = all(result["engines"]["render_pdf"]["identical"] for result in measured["results"].values())
    pictures = {label: result["picture_bytes"] for label, result in measured["results"].items()}
    lines += [
        "",
        f"Pictures carried: {', '.join(f'{label} {size / 1e6:.2f} MB' for label, size in pictures.items())}. "
        f"render_pdf's PDFs from two child processes byte-identical: {'yes' if identical else 'NO'}.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON too")
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child(arguments.child, json.load(sys.stdin), arguments.rounds, arguments.output)))
        return
    measured = run(arguments.rounds)
    if arguments.json:
        print(json.dumps(measured, indent=2))
    print(report(measured))


if __name__ == "__main__":
    main()
