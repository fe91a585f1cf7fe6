"""Variable-data batches: a 1,000-row business-card batch checked and rendered by one and by two
render workers; cards per second per worker, and the merged PDF's size against what it must hold.

A throwaway app (SQLite, the demo store `seed-demo` makes, local storage) and a template of the
demo card's front: the Classic layers (Name, Title, Contact) and a Photo frame. Each row has its
own name, title, two contact lines and its own photo (a 400 × 400 px JPEG uploaded through the API
beforehand: a staff card). Each round creates a batch of ROWS rows through `POST /api/v1/batches`
with `python -m worker --queues renders` processes started and listening, times the check (a
design made of each row, each composed and checked) until the batch is `checked`, then asks for the
render and times it until `done` (a PDF per row, then the merged PDF). Rounds alternate one and two
workers. Reported: rows per second per worker for each phase (median over the rounds), and the
merged PDF's size divided by the bytes of its pictures (every distinct image stream) plus its
drawing (the page content streams: the glyphs are drawn as outlines there, so they are the fonts'
outlines).

Prints a Markdown section. Redis: REDIS_URL, else 127.0.0.1:6379 database 12 when it answers, else
the embedded server. `--rows`, `--rounds` to try smaller runs.
"""

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchapp import bench_app, machine, now, render_workers  # noqa: E402

REDIS_DATABASE = 12
PHOTO_PX = 400


def _photo(seed: int) -> bytes:
    """A photo-like JPEG of its own for each card: a gradient and a few shapes, seeded."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (PHOTO_PX, PHOTO_PX))
    draw = ImageDraw.Draw(image)
    for y in range(PHOTO_PX):
        draw.line(
            [(0, y), (PHOTO_PX, y)], fill=((seed * 7 + y) % 256, (seed * 13) % 256, (y * 2 + seed) % 256)
        )
    for index in range(6):
        x, y = (seed * 37 + index * 61) % PHOTO_PX, (seed * 53 + index * 89) % PHOTO_PX
        draw.ellipse([x, y, x + 80, y + 80], fill=((index * 40) % 256, (seed * 3) % 256, 120))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=80)
    return output.getvalue()


class _Shop:
    def __init__(self, instance: Path):
        from designer.cli import seed_demo

        self.instance = instance
        # The demo's mockups are SVGs drawn by preflight: on a loaded machine 4 s is not enough.
        self.app = bench_app(instance, REDIS_DATABASE, PREFLIGHT_SVG_RENDER_TIMEOUT_S=60)
        self.client = self.app.test_client()
        with self.app.app_context():
            account, secret = seed_demo()
            self.store_id = account.stores[0].id
        self.bearer = {"Authorization": f"Bearer {secret}"}

    def call(self, method: str, path: str, expect: int = 200, **kwargs):
        response = self.client.open(path, method=method, headers=self.bearer, **kwargs)
        assert response.status_code == expect, (path, response.status_code, response.get_data()[:500])
        return response

    def template(self) -> str:
        card = self.call("GET", "/api/v1/products/business-card").json
        front = card["sides"][0]
        classic = self.call("GET", f"/api/v1/sides/{front['id']}/templates").json["data"][0]
        layers = [{k: v for k, v in layer.items() if k != "id"} for layer in classic["layers"]]
        layers.append({"type": "image", "name": "Photo", "x": 62, "y": 30, "width": 18, "height": 18})
        body = {"sideId": front["id"], "name": "Staff card", "layers": layers}
        return self.call("POST", "/api/v1/templates", 201, json=body).json["id"]

    def photos(self, count: int) -> list[str]:
        return [
            self.call(
                "POST",
                "/api/v1/files/upload",
                201,
                data={"file": (io.BytesIO(_photo(seed)), f"staff-{seed}.jpg")},
            ).json["id"]
            for seed in range(count)
        ]

    def status(self, batch_id: str) -> dict:
        return self.call("GET", f"/api/v1/batches/{batch_id}").json


def _rows(photo_ids: list[str], round_number: int) -> list[dict]:
    return [
        {
            "Name": f"Alex Example {round_number}-{number:04d}",
            "Title": ("Studio Manager", "Senior Printer", "Account Director")[number % 3],
            "Contact": f"+44 20 7946 {number:04d}\nalex.{number}@example.com",
            "Photo": photo_id,
        }
        for number, photo_id in enumerate(photo_ids, start=1)
    ]


def _wait(shop: _Shop, batch_id: str, status: str, timeout_s: float = 3600) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        batch = shop.status(batch_id)
        if batch["status"] in (status, "failed"):
            return batch
        time.sleep(0.2)
    raise TimeoutError(f"batch {batch_id} did not reach {status}")


def _round(shop: _Shop, template_id: str, photo_ids: list[str], workers: int, round_number: int) -> dict:
    with render_workers(shop.app, shop.instance, workers) as processes:
        body = {"templateId": template_id, "rows": _rows(photo_ids, round_number)}
        started = time.perf_counter()
        batch = shop.call("POST", "/api/v1/batches", 201, json=body).json
        checked = _wait(shop, batch["id"], "checked")
        check_s = time.perf_counter() - started
        check_cpu_s = _cpu_s(processes)
        started = time.perf_counter()
        shop.call("POST", f"/api/v1/batches/{batch['id']}/render", 202)
        done = _wait(shop, batch["id"], "done")
        render_s = time.perf_counter() - started
        render_cpu_s = _cpu_s(processes) - check_cpu_s
    shop.app.extensions["redis"].flushdb()  # the designs' events wait for webhook workers there are none of
    merged = shop.call("GET", f"/api/v1/batches/{batch['id']}/pdf").data
    return {
        "workers": workers,
        "rows": len(photo_ids),
        "made": checked["progress"]["ready"],
        "rendered": done["progress"]["rendered"],
        "check_s": check_s,
        "render_s": render_s,
        "check_cpu_s": check_cpu_s,
        "render_cpu_s": render_cpu_s,
        **_sizes(merged),
    }


def _cpu_s(processes: list[subprocess.Popen]) -> float:
    """The CPU time the workers and the work horses they forked (each job's) have used so far."""
    import psutil

    total = 0.0
    for process in processes:
        times = psutil.Process(process.pid).cpu_times()
        total += times.user + times.system + times.children_user + times.children_system
    return total


def _sizes(pdf_bytes: bytes) -> dict:
    """The merged PDF's size, the bytes of its distinct pictures and of its pages' drawing."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pictures = {}
        for item in pdf.objects:
            if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image":
                raw = item.read_raw_bytes()
                pictures[hash(raw)] = len(raw)
        drawing = 0
        for page in pdf.pages:
            contents = page.obj.Contents
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            drawing += sum(len(stream.read_raw_bytes()) for stream in streams)
        return {
            "pages": len(pdf.pages),
            "pdf_bytes": len(pdf_bytes),
            "picture_bytes": sum(pictures.values()),
            "pictures": len(pictures),
            "drawing_bytes": drawing,
        }


def run(rows: int, rounds: int) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="presswork-bench-batches-") as directory:
        shop = _Shop(Path(directory))
        with shop.app.app_context():
            template_id = shop.template()
            photo_ids = shop.photos(rows)
            measured = []
            for _ in range(rounds):
                for workers in (1, 2):
                    result = _round(shop, template_id, photo_ids, workers, len(measured) + 1)
                    print(result, file=sys.stderr)
                    measured.append(result)
        return measured


def report(measured: list[dict]) -> str:
    lines = [
        f"## Variable-data batches ({now()})",
        "",
        f"Machine: {machine('pikepdf', 'CairoSVG')}",
        "",
        f"A {measured[0]['rows']}-row business-card batch (the demo card's front: name, title, two contact "
        "lines and each row's own 400 px JPEG photo), JSON rows through `POST /api/v1/batches`, "
        "`python -m worker --queues renders` processes started and listening; check: until every row's "
        "design is made and checked; render: until the PDFs and the merged PDF are made.",
        "",
        "| workers | check: rows/s per worker (each round) | render: cards/s per worker (each round) "
        "| median check | median render |",
        "| --- | --- | --- | --- | --- |",
    ]
    for workers in (1, 2):
        rounds = [item for item in measured if item["workers"] == workers]
        check = [item["made"] / item["check_s"] / workers for item in rounds]
        render = [item["rendered"] / item["render_s"] / workers for item in rounds]
        lines.append(
            f"| {workers} | {', '.join(f'{value:.1f}' for value in check)} "
            f"| {', '.join(f'{value:.1f}' for value in render)} "
            f"| {statistics.median(check):.1f} | {statistics.median(render):.1f} |"
        )
    check_cpu = statistics.median(item["made"] / item["check_cpu_s"] for item in measured)
    render_cpu = statistics.median(item["rendered"] / item["render_cpu_s"] for item in measured)
    lines += [
        "",
        f"Per CPU second of the workers and their work horses (what one core does undisturbed, whatever "
        f"else the machine runs): check {check_cpu:.1f} rows, render {render_cpu:.1f} cards (medians of "
        "every round).",
    ]
    last = measured[-1]
    ratio = last["pdf_bytes"] / (last["picture_bytes"] + last["drawing_bytes"])
    lines += [
        "",
        f"Merged PDF: {last['pages']} pages, {last['pdf_bytes'] / 1024 / 1024:.1f} MB; "
        f"its {last['pictures']} distinct pictures {last['picture_bytes'] / 1024 / 1024:.1f} MB, "
        f"its pages' drawing (text as glyph outlines, shapes) {last['drawing_bytes'] / 1024 / 1024:.1f} MB: "
        f"**{ratio:.3f}×** pictures plus outlines (aim: at most 1.1×).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(report(run(args.rows, args.rounds)))


if __name__ == "__main__":
    main()
