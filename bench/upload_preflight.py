"""Upload + preflight throughput: a 5 MB JPEG and a 1 MB SVG through `POST /api/v1/files/upload`.

Each upload goes through the real app in this process (Flask's test client: routing, Bearer auth,
multipart parsing, preflight, thumbnail, local storage, the File row committed to SQLite), so
the numbers are the server's work without the network. Beside it, in alternating rounds of the
same run, the peers:
- JPEG: bare Pillow, `open` + `verify` + `open` + `load` of the same bytes (what any careful
  upload handler does at the least), and `run_preflight` alone (no HTTP, database or storage);
- SVG: bare `defusedxml.ElementTree.fromstring` of the same bytes, bare CairoSVG drawing it to a
  400 px PNG (the thumbnail Presswork makes), and `run_preflight` alone.
Reported: files/s (rounds / total time) and p50 latency, and the ratio of each to the upload's.
An entry is appended to bench/RESULTS.md unless --no-record.

Everything it creates (instance directory, SQLite database, stored files) is thrown away.
Redis: REDIS_URL, else 127.0.0.1:6379 database 12 when it answers, else the embedded server.
"""

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchapp import bench_app, bench_store, machine, now, publish  # noqa: E402

REDIS_DATABASE = 12  # of this machine's Redis, when it answers


def make_jpeg(target_bytes: int) -> bytes:
    """Noise compresses badly, so a noise JPEG stays as large as asked (within a few per cent)."""
    from PIL import Image

    width_px = 2000
    while True:
        height_px = width_px * 3 // 4
        image = Image.frombytes("RGB", (width_px, height_px), os.urandom(width_px * height_px * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85)
        if out.tell() >= target_bytes:
            return out.getvalue()
        width_px = int(width_px * (target_bytes / out.tell()) ** 0.5) + 16


def make_svg(target_bytes: int) -> bytes:
    """A drawing of many small filled paths, like a traced logo or a detailed illustration."""
    rng = random.Random(7)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 2100 2970">']
    size = len(parts[0])
    while size < target_bytes:
        x, y = rng.uniform(0, 2000), rng.uniform(0, 2900)
        points = " ".join(f"l{rng.uniform(-20, 20):.2f},{rng.uniform(-20, 20):.2f}" for _ in range(8))
        path = f'<path d="M{x:.2f},{y:.2f} {points} z" fill="#{rng.randrange(0x1000000):06x}"/>'
        parts.append(path)
        size += len(path)
    parts.append("</svg>")
    return "".join(parts).encode()


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def _summary(seconds: list[float]) -> dict:
    return {"files_per_s": len(seconds) / sum(seconds), "p50_ms": statistics.median(seconds) * 1000}


def run(rounds: int) -> dict:
    import cairosvg
    from defusedxml.ElementTree import fromstring
    from PIL import Image

    from designer.files.preflight import run_preflight

    jpeg, svg = make_jpeg(5 * 1024 * 1024), make_svg(1024 * 1024)
    with tempfile.TemporaryDirectory(prefix="presswork-bench-") as directory:
        app = bench_app(Path(directory), REDIS_DATABASE)
        client = app.test_client()
        _, headers = bench_store(client)

        def upload(data: bytes, filename: str):
            def send():
                response = client.post(
                    "/api/v1/files/upload", data={"file": (io.BytesIO(data), filename)}, headers=headers
                )
                assert response.status_code == 201, response.json
                assert response.json["preflight"]["status"] in ("passed", "warning")

            return send

        def pillow_full():
            with Image.open(io.BytesIO(jpeg), formats=["JPEG"]) as image:
                image.verify()
            with Image.open(io.BytesIO(jpeg), formats=["JPEG"]) as image:
                image.load()

        contenders = {
            "jpeg": {
                "upload": upload(jpeg, "photo.jpg"),
                "Pillow open+verify+load": pillow_full,
                "run_preflight alone": lambda: run_preflight(jpeg, filename="photo.jpg"),
            },
            "svg": {
                "upload": upload(svg, "drawing.svg"),
                "defusedxml parse": lambda: fromstring(svg),
                "CairoSVG 400 px PNG": lambda: cairosvg.svg2png(bytestring=svg, output_width=400),
                "run_preflight alone": lambda: run_preflight(svg, filename="drawing.svg"),
            },
        }
        for group in contenders.values():  # warm-up: imports, caches, first-call costs
            for contender in group.values():
                contender()
        times = {kind: {name: [] for name in group} for kind, group in contenders.items()}
        for _ in range(rounds):
            for kind, group in contenders.items():
                for name, contender in group.items():
                    times[kind][name].append(_timed(contender))
    return {
        "jpeg_bytes": len(jpeg),
        "svg_bytes": len(svg),
        "rounds": rounds,
        "results": {kind: {name: _summary(s) for name, s in group.items()} for kind, group in times.items()},
    }


def report(measured: dict) -> str:
    lines = [
        f"## {now()}: upload + preflight throughput (5 MB JPEG, 1 MB SVG)",
        "",
        "bench/upload_preflight.py: `POST /api/v1/files/upload` through the app in-process (Flask test "
        "client: Bearer auth, multipart, preflight, thumbnail, local storage, SQLite commit), against "
        "the bare libraries on the same bytes, in alternating rounds.",
        "",
        f"- Machine: {machine('Pillow', 'CairoSVG', 'defusedxml')}",
        f"- Files: JPEG {measured['jpeg_bytes'] / 1024**2:.2f} MB (noise), SVG "
        f"{measured['svg_bytes'] / 1024**2:.2f} MB (filled paths); "
        f"{measured['rounds']} rounds after a warm-up",
        "",
        "| file | what | files/s | p50 (ms) | upload's rate / this one's |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for kind, group in measured["results"].items():
        upload_rate = group["upload"]["files_per_s"]
        for name, numbers in group.items():
            ratio = upload_rate / numbers["files_per_s"]
            lines.append(
                f"| {kind.upper()} | {name} | {numbers['files_per_s']:.1f} | {numbers['p50_ms']:.1f} | "
                f"{ratio * 100:.0f}% |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to RESULTS.md")
    args = parser.parse_args()
    publish(report(run(args.rounds)), keep=not args.no_record)


if __name__ == "__main__":
    main()
