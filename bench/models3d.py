"""3D previews: how long validating the demo mug's GLB takes, and drawing a canvas print's edge
preview (cold: drawn and stored; warm: served from the cache).

- GLB validation: `designer.previews3d.validation.validate_glb` on the demo mug's GLB (made by
  `previews3d/mug.py`), in process, what the `models` worker does once it has read the bytes;
- edge preview, cold: the demo canvas print (40 × 30 cm, wrapped edges 2 cm deep) with its
  default template, `GET /api/v1/designs/{id}/3d-preview?widthPx=800` through a real app (SQLite,
  local storage), the cache emptied before each round: compose for print, draw the flat PNG
  (CairoSVG), fold the edges (Pillow) and store it;
- edge preview, warm: the same request again, served from the cache (the design composed and
  hashed, the PNG read back);
- mug still, cold and warm: the demo mug (its 200 × 90 mm wrap on the demo GLB's `wrap`
  material) with its default template, the same request: the design drawn about 2500 px wide
  and wrapped on the cylinder (numpy), or served from the cache.
Reported: the median over the rounds (and p95), in ms. Prints a Markdown section for
bench/RESULTS.md. Everything it creates is thrown away.
Redis: REDIS_URL, else 127.0.0.1:6379 database 11 when it answers, else the embedded server.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchapp import bench_app, bench_store, machine, now  # noqa: E402

REDIS_DATABASE = 11


def _timed(run, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _row(label: str, times: list[float]) -> str:
    p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
    return f"| {label} | {statistics.median(times):.1f} | {p95:.1f} | {len(times)} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    from designer.previews3d.mug import mug_glb
    from designer.previews3d.validation import validate_glb

    glb = mug_glb()
    validation = _timed(lambda: validate_glb(glb), args.rounds * 10)

    with tempfile.TemporaryDirectory() as directory:
        instance = Path(directory)
        app = bench_app(instance, REDIS_DATABASE)
        client = app.test_client()
        store_id, bearer = bench_store(client)
        with app.app_context():
            from designer.demo.catalog import seed_demo_catalog
            from designer.extensions import db

            seed_demo_catalog(store_id)
            db.session.commit()
        canvas = client.get("/api/v1/products/canvas-print", headers=bearer).json
        body = {"productId": canvas["id"], "sideId": canvas["sides"][0]["id"]}
        design = client.post("/api/v1/designs", json=body, headers=bearer).json
        mug = client.get("/api/v1/products/mug-wrap", headers=bearer).json
        body = {"productId": mug["id"], "sideId": mug["sides"][0]["id"]}
        mug_design = client.post("/api/v1/designs", json=body, headers=bearer).json
        cache = instance / "files" / store_id / "previews3d"

        def cold(url: str):
            for stored in cache.glob("*.png"):
                stored.unlink()
            response = client.get(url, headers=bearer)
            assert response.status_code == 200 and response.headers["X-Cache"] == "miss", response.data[:300]

        def warm(url: str):
            response = client.get(url, headers=bearer)
            assert response.headers["X-Cache"] == "hit"

        times = {}
        for name, owner in (("edge preview, canvas print", design), ("mug still", mug_design)):
            url = f"/api/v1/designs/{owner['id']}/3d-preview?widthPx=800"
            times[f"{name} 800 px, cold (drawn)"] = _timed(lambda url=url: cold(url), args.rounds)
            times[f"{name} 800 px, warm (cached)"] = _timed(lambda url=url: warm(url), args.rounds)

    print(f"## 3D previews ({now()})\n")
    print(machine("pygltflib", "pillow", "cairosvg") + "\n")
    print(f"Demo mug GLB: {len(glb)} bytes.\n")
    print("| case | median ms | p95 ms | rounds |")
    print("| --- | --- | --- | --- |")
    print(_row("GLB validation, demo mug", validation))
    for label, measured in times.items():
        print(_row(label, measured))


if __name__ == "__main__":
    main()
