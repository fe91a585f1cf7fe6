"""The editor's canvas in Chromium on the demo business card (`python bench/editor_canvas.py`).

Against one real server process (gunicorn on loopback, the demo seeded as `make run` does):

- drag: the Name layer dragged on the canvas with the mouse, one pointer move every frame for a
  second, `--drags` times. The page records every animation frame meanwhile; the frame rate is
  frames per second of the drag (aim: ≥ 50 fps), with the slowest frames (p95 of the intervals)
  beside it. The request the drop sends is not part of it (bench/keystroke.py times answers);
- largest contentful paint: the editor page of the customer's design loaded `--loads` times in
  new tabs of one browser (its cache warm, as for a customer who opened it before), LCP read from
  the page's PerformanceObserver.

It prints medians and appends an entry to bench/RESULTS.md.
"""

import argparse
import re
import statistics
import subprocess
import sys
from importlib.metadata import version

from benchapp import (
    CHROMIUM,
    DESKTOP_VIEWPORT,
    demo_server,
    launch_chromium,
    machine,
    now,
    percentile,
    publish,
)

FRAME_MS = 1000 / 60

_RECORD_FRAMES = """() => {
  window.frames_seen = [];
  const tick = (time) => {
    window.frames_seen.push(time);
    if (window.recording) requestAnimationFrame(tick);
  };
  window.recording = true;
  requestAnimationFrame(tick);
}"""

_LCP = """() => new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    const last = entries[entries.length - 1];
    resolve({ms: last.startTime, element: last.element ? last.element.tagName.toLowerCase() : ""});
  }).observe({type: "largest-contentful-paint", buffered: true});
})"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drags", type=int, default=10, help="drags of one second each")
    parser.add_argument("--loads", type=int, default=10, help="loads of the editor page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()

    with demo_server(args.workers) as demo, launch_chromium() as browser:
        page = browser.new_context(viewport=DESKTOP_VIEWPORT).new_page()
        editor_url = _open_editor(page, demo)
        drags = [_drag(page) for _ in range(args.drags)]
        loads = [_load(page, editor_url) for _ in range(args.loads)]
    publish(_report(args, drags, loads), keep=not args.no_record)
    return 0


def _open_editor(page, demo) -> str:
    """A customer's project on the business card, opened in its editor: the editor page's URL."""
    page.goto(f"{demo.base}/editor/stores/{demo.store_id}/products/business-card")
    page.get_by_role("button", name="Personalize").click()
    page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    return page.url


def _drag(page) -> dict[str, float]:
    """One drag of the Name layer, a pointer move per frame for a second, there and back in turns."""
    layer_id = page.locator('#layers > li[data-name="Name"]').get_attribute("data-layer-id")
    box = page.locator(f'#preview g.layer[data-layer-id="{layer_id}"]').bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(_RECORD_FRAMES)
    steps = 60
    for step in range(1, steps + 1):
        page.mouse.move(x + step * 0.5, y + step * 0.25)
        page.wait_for_timeout(FRAME_MS)
    frames = page.evaluate("() => { window.recording = false; return window.frames_seen; }")
    page.mouse.up()
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    intervals = [later - earlier for earlier, later in zip(frames, frames[1:], strict=False)]
    return {
        "fps": 1000 * len(intervals) / (frames[-1] - frames[0]),
        "p95_frame_ms": percentile(intervals, 0.95),
    }


def _load(page, url: str) -> dict:
    """The editor page loaded in a new tab beside `page`: its largest contentful paint."""
    tab = page.context.new_page()
    try:
        tab.goto(url, wait_until="load")
        return tab.evaluate(_LCP)
    finally:
        tab.close()


def _report(args, drags: list[dict], loads: list[dict]) -> str:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    fps = [drag["fps"] for drag in drags]
    slow = [drag["p95_frame_ms"] for drag in drags]
    lcp = [load["ms"] for load in loads]
    elements = sorted({load["element"] for load in loads})
    return "\n".join(
        [
            f"## {now()}: the editor's canvas in Chromium (demo business card)",
            "",
            "bench/editor_canvas.py: the Name layer dragged a second at a time with the mouse (a move "
            "per frame), and the editor page's largest contentful paint, against one gunicorn on "
            "loopback.",
            "",
            f"- Machine: {machine('flask', 'playwright')}",
            f"- Browser: {chromium} (headless, {DESKTOP_VIEWPORT['width']}×{DESKTOP_VIEWPORT['height']})",
            f"- Server: gunicorn {version('gunicorn')} `--workers {args.workers}` (sync), SQLite (WAL)",
            "",
            "| measure | median | spread | aim |",
            "| --- | ---: | --- | --- |",
            f"| drag: frames per second ({len(drags)} drags) | {statistics.median(fps):.1f} | "
            f"{min(fps):.1f} – {max(fps):.1f} | ≥ 50 |",
            f"| drag: p95 frame interval (ms) | {statistics.median(slow):.1f} | "
            f"{min(slow):.1f} – {max(slow):.1f} | ≤ 20 |",
            f"| editor page: largest contentful paint (ms, {len(loads)} loads, warm cache) | "
            f"{statistics.median(lcp):.0f} | {min(lcp):.0f} – {max(lcp):.0f} | ≤ 2500 |",
            "",
            f"The largest contentful element: {', '.join(elements) or 'none reported'}.",
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
