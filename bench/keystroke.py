"""The editor's keystroke round trip on the demo business card (`python bench/keystroke.py`).

Two measurements against one real server process (gunicorn, on loopback), with the demo catalog
seeded into a throwaway instance (SQLite migrated by Alembic; Redis from REDIS_URL, else a local
127.0.0.1:6379 database 13, else the embedded server):

- server: 200 edits of the Name layer's text, each the request the editor sends for a keystroke
  (PATCH /api/v1/designs/{id}/layers/{layer} as htmx, with the publishable token, answered with
  templates/editor/_changed.html), timed by the client from sending the request to reading the
  whole answer, one after another on a kept-alive connection;
- browser: Debian's Chromium (Playwright, headless) on the editor page, typing into the Name
  field 200 times (with `--on-canvas`, into the Name layer on the canvas: the typing box over it,
  static/js/editor/text.js, which sends at once); each keystroke is timed in the page from htmx
  sending its request (htmx:beforeRequest) to the new preview swapped in (htmx:afterSwap on
  #preview), and to the next frame after it. The panel field's debounce before the request is the
  editor's choice, not part of it.

It prints p50/p95 of each and appends an entry to bench/RESULTS.md (aims: server p95 ≤ 25 ms,
browser p95 ≤ 60 ms).
"""

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from importlib.metadata import version

from benchapp import CHROMIUM, DESKTOP_VIEWPORT, HOST, demo_server, launch_chromium, now, percentile, publish

NAME = "Grace Brewster Murray Hopper"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200, help="edits per measurement")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    parser.add_argument("--on-canvas", action="store_true", help="type on the canvas, not in the panel")
    args = parser.parse_args()

    with demo_server(args.workers) as demo:
        design_id, layer_id = _start_design(demo)
        server_ms = _server_round_trips(demo.port, design_id, layer_id, demo.publishable, args.edits)
        browser = _browser_round_trips(demo.port, demo.store_id, args.edits, args.on_canvas)
    publish(_report(args, demo.redis_url, server_ms, browser), keep=not args.no_record)
    return 0


# Setting up


def _start_design(demo) -> tuple[str, str]:
    """A customer's design of the business card's front, and its Name layer (through the API)."""
    token = {"X-Publishable-Token": demo.publishable}
    status, body = demo.request("POST", "/api/v1/projects", {"productId": "business-card"}, token)
    assert status == 201, body
    project_id = json.loads(body)["id"]
    status, body = demo.request("GET", "/api/v1/products/business-card", headers=token)
    front = json.loads(body)["sides"][0]["id"]
    design = {"productId": "business-card", "sideId": front, "projectId": project_id}
    status, body = demo.request("POST", "/api/v1/designs", design, token)
    assert status == 201, body
    created = json.loads(body)
    name = next(layer for layer in created["layers"] if layer.get("name") == "Name")
    return created["id"], name["id"]


# Measuring


def _server_round_trips(
    port: int, design_id: str, layer_id: str, publishable: str, edits: int
) -> list[float]:
    """Milliseconds per keystroke edit, sent as the editor sends it, one after another."""
    headers = {
        "Content-Type": "application/json",
        "HX-Request": "true",
        "HX-Trigger": f"f-{layer_id}-text",
        "X-Publishable-Token": publishable,
    }
    path = f"/api/v1/designs/{design_id}/layers/{layer_id}"
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    timings = []
    try:
        for edit in range(edits + 10):
            text = NAME[: 1 + edit % len(NAME)]
            started = time.perf_counter()
            connection.request("PATCH", path, body=json.dumps({"text": text}), headers=headers)
            response = connection.getresponse()
            answer = response.read()
            elapsed_ms = (time.perf_counter() - started) * 1000
            assert response.status == 200 and b"<svg" in answer, (response.status, answer[:300])
            if edit >= 10:  # the first few warm the worker processes' caches
                timings.append(elapsed_ms)
    finally:
        connection.close()
    return timings


_TIMING_SCRIPT = """() => {
  window.keystrokes = {swapped: [], painted: []};
  let started = null;
  document.body.addEventListener("htmx:beforeRequest", () => { started = performance.now(); });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id !== "preview" || started === null) return;
    const begun = started;
    started = null;
    window.keystrokes.swapped.push(performance.now() - begun);
    requestAnimationFrame(() => window.keystrokes.painted.push(performance.now() - begun));
  });
}"""


def _browser_round_trips(port: int, store_id: str, edits: int, on_canvas: bool) -> dict[str, list[float]]:
    """Per keystroke in Chromium: ms from htmx's request to the swapped preview, and to the next frame.
    `on_canvas`: typed into the Name layer on the canvas rather than the panel's field."""
    with launch_chromium() as browser:
        page = browser.new_page(viewport=DESKTOP_VIEWPORT)
        page.goto(f"http://{HOST}:{port}/editor/stores/{store_id}/products/business-card")
        page.get_by_role("button", name="Personalize").click()
        page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
        page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
        page.evaluate(_TIMING_SCRIPT)
        if on_canvas:
            _open_on_canvas(page, "Name")
            page.keyboard.press("Backspace")  # the typing box opens with the whole text selected
        else:
            page.get_by_label("Name", exact=True).fill("")
        swaps = 1
        _wait_for_swaps(page, swaps)
        for edit in range(edits + 5):
            if edit and edit % len(NAME) == 0:
                page.keyboard.press("Control+A")
                page.keyboard.press("Backspace")
                swaps += 1
                _wait_for_swaps(page, swaps)
            page.keyboard.type(NAME[edit % len(NAME)])
            swaps += 1
            _wait_for_swaps(page, swaps)
        timings = page.evaluate("() => window.keystrokes")
    # Every edit is a keystroke, or the clearing of the field after the whole name was typed.
    return {name: values[-edits:] for name, values in timings.items()}


def _open_on_canvas(page, name: str) -> None:
    """Double-click the text layer `name` on the canvas (a click selects, the second types) and wait
    for its typing box."""
    item = page.locator("#layers > li.layer", has=page.get_by_role("button", name=name, exact=True))
    layer_id = item.get_attribute("data-layer-id")
    box = page.locator(f'#preview g.layer[data-layer-id="{layer_id}"] rect.hit').bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'text-overlay'")


def _wait_for_swaps(page, count: int) -> None:
    page.wait_for_function("(count) => window.keystrokes.painted.length >= count", arg=count, timeout=15_000)


# Reporting


def _report(args, redis_url: str, server_ms: list[float], browser: dict[str, list[float]]) -> str:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    rows = [
        ("server: PATCH layer text, htmx answer read", server_ms, 25),
        ("browser: htmx request → preview swapped", browser["swapped"], 60),
        ("browser: htmx request → next frame", browser["painted"], None),
    ]
    lines = [
        f"## {now()}: editor keystroke round trip (demo business card)",
        "",
        "bench/keystroke.py: the Name layer of the business card's front, edited one keystroke at a "
        "time against one gunicorn server process on loopback"
        + (", typed on the canvas (`--on-canvas`)." if args.on_canvas else ", typed in the panel's field."),
        "",
        f"- Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- Server: gunicorn {version('gunicorn')} `--workers {args.workers}` (sync), "
        f"Flask {version('flask')}; SQLite (WAL) in a throwaway instance; Redis: {redis_url}",
        f"- Browser: {chromium} (headless, Playwright {version('playwright')})",
        f"- {args.edits} edits each, after a warm-up; "
        + (
            "the typing box sends each keystroke at once (one request on its way at a time)"
            if args.on_canvas
            else "the editor's debounce (150 ms) comes before the request and is not counted"
        ),
        "",
        "| round trip | p50 (ms) | p95 (ms) | max (ms) | aim p95 (ms) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, values, aim in rows:
        lines.append(
            f"| {label} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | "
            f"{max(values):.1f} | {aim if aim else '—'} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
