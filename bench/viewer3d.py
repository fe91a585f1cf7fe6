"""The editor's 3D view in Chromium on the demo mug (`python bench/viewer3d.py`).

Against one real server process (gunicorn on loopback, the demo seeded as `make run` does): a
customer's design of the mug opened in the editor, "3D view" pressed, and the mug turned by
dragging it with the mouse, one pointer move every frame for two seconds, `--turns` times. Each
move turns the model and asks for a drawing on the next frame (static/js/editor/view3d.js); the
page records every animation frame meanwhile, so the frame rate is the drawings' (aim: ≥ 30 fps,
in headless Chromium, whose WebGL is SwiftShader's, on the CPU), with the slowest frames (p95 of
the intervals) beside it.

It prints medians and, unless --no-record, appends an entry to bench/RESULTS.md.
"""

import argparse
import re
import statistics
import subprocess
import sys

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
TURN_S = 2

_RECORD_FRAMES = """() => {
  window.frames_seen = [];
  const tick = (time) => {
    window.frames_seen.push(time);
    if (window.recording) requestAnimationFrame(tick);
  };
  window.recording = true;
  requestAnimationFrame(tick);
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=5, help=f"turns of {TURN_S} seconds each")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()

    with demo_server(args.workers) as demo, launch_chromium() as browser:
        page = browser.new_context(viewport=DESKTOP_VIEWPORT).new_page()
        _open_3d_view(page, demo)
        turns = [_turn(page, direction=1 if number % 2 == 0 else -1) for number in range(args.turns)]
    publish(_report(args, turns), keep=not args.no_record)
    return 0


def _open_3d_view(page, demo) -> None:
    """A customer's design of the mug, in the editor's 3D view, its model drawn with the design."""
    page.goto(f"{demo.base}/editor/stores/{demo.store_id}/products/mug-wrap")
    page.get_by_role("button", name="Personalize").click()
    page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    page.get_by_role("button", name="3D view").click()
    page.wait_for_function("() => document.getElementById('view3d-canvas').dataset.ready === 'true'")


def _turn(page, direction: int) -> dict[str, float]:
    """One drag across the mug, a pointer move per frame for TURN_S seconds."""
    box = page.locator("#view3d-canvas").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(_RECORD_FRAMES)
    steps = round(TURN_S * 1000 / FRAME_MS)
    for step in range(1, steps + 1):
        page.mouse.move(x + direction * step * 1.5, y)
        page.wait_for_timeout(FRAME_MS)
    frames = page.evaluate("() => { window.recording = false; return window.frames_seen; }")
    page.mouse.up()
    intervals = [later - earlier for earlier, later in zip(frames, frames[1:], strict=False)]
    return {
        "fps": 1000 * len(intervals) / (frames[-1] - frames[0]),
        "p95_frame_ms": percentile(intervals, 0.95),
    }


def _report(args, turns: list[dict]) -> str:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    fps = [turn["fps"] for turn in turns]
    slow = [turn["p95_frame_ms"] for turn in turns]
    return "\n".join(
        [
            f"## {now()}: the editor's 3D view in Chromium (demo mug)",
            "",
            f"bench/viewer3d.py: the demo mug's 3D preview turned by a mouse drag, {TURN_S} s at a time "
            "(a move per frame), against one gunicorn on loopback.",
            "",
            f"- Machine: {machine('playwright')}",
            f"- Browser: {chromium} (headless, WebGL by SwiftShader, "
            f"{DESKTOP_VIEWPORT['width']}×{DESKTOP_VIEWPORT['height']})",
            "",
            "| measure | median | spread | aim |",
            "| --- | ---: | --- | --- |",
            f"| turning: frames per second ({len(turns)} turns) | {statistics.median(fps):.1f} | "
            f"{min(fps):.1f} – {max(fps):.1f} | ≥ 30 |",
            f"| turning: p95 frame interval (ms) | {statistics.median(slow):.1f} | "
            f"{min(slow):.1f} – {max(slow):.1f} | ≤ 33 |",
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
