"""This tree against an earlier commit, in the same run: the keystroke and render benchmarks
(`python bench/compare.py --base REV`).

The machine is shared and noisy, so one number of each tree says little: the earlier commit is
checked out into a throwaway git worktree, and the two trees take turns, round after round, each
running its own `bench/keystroke.py` and `bench/render.py` (each benchmark drives its tree through
the HTTP API and the worker, so they measure the same thing whatever the code inside looks like).
Printed and appended to bench/RESULTS.md: per measurement the median over the rounds of each tree
and the ratio this tree / earlier (below 1.00: this tree is faster).
"""

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from benchapp import ROOT, earlier_tree, git, now, publish

KEYSTROKE_ROWS = {
    "server: PATCH layer text, htmx answer read": "keystroke server",
    "browser: htmx request → preview swapped": "keystroke browser",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the earlier commit (any git revision)")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each tree")
    parser.add_argument("--edits", type=int, default=100, help="keystrokes per keystroke run")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()

    base_commit = git("rev-parse", "--short", args.base)
    head_commit = git("rev-parse", "--short", "HEAD")
    with earlier_tree(args.base) as base_tree:
        trees = {"earlier": base_tree, "this": ROOT}
        samples: dict[str, dict[str, list[float]]] = {"earlier": {}, "this": {}}
        for turn in range(args.rounds):
            # Alternate who goes first, so a slow patch of the machine weighs on both alike.
            order = ["earlier", "this"] if turn % 2 == 0 else ["this", "earlier"]
            for label in order:
                for measure, value in _measure(trees[label], args.edits).items():
                    samples[label].setdefault(measure, []).append(value)
                print(f"round {turn + 1} {label}: {samples[label]}", file=sys.stderr)
    publish(_report(args, base_commit, head_commit, samples), keep=not args.no_record)
    return 0


def _measure(tree: Path, edits: int) -> dict[str, float]:
    """One turn of one tree: keystroke p50/p95 (ms), render medians (ms) and renders per second."""
    measured = {}
    keystroke = _run(tree, "bench/keystroke.py", "--no-record", "--edits", str(edits))
    for row in keystroke.splitlines():
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if cells and cells[0] in KEYSTROKE_ROWS:
            measured[f"{KEYSTROKE_ROWS[cells[0]]} p50 (ms)"] = float(cells[1])
            measured[f"{KEYSTROKE_ROWS[cells[0]]} p95 (ms)"] = float(cells[2])
    rendered = _run(tree, "bench/render.py", "--rounds", "3", "--jobs", "12", "--json")
    document, _ = json.JSONDecoder().raw_decode(rendered)
    for label, result in document["results"].items():
        measured[f"render {label} (ms)"] = result["engines"]["presswork"]["median_ms"]
    for workers in (1, 2):
        rates = [row["per_second"] for row in document["throughput"] if row["workers"] == workers]
        measured[f"renders/s, {workers} worker{'s' if workers > 1 else ''}"] = statistics.median(rates)
    return measured


def _run(tree: Path, script: str, *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, script, *arguments], cwd=tree, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"{script} failed in {tree}:\n{result.stderr[-3000:]}")
    return result.stdout


def _report(args, base_commit: str, head_commit: str, samples: dict) -> str:
    lines = [
        f"## {now()}: keystroke and render, {head_commit} against {base_commit} (same run)",
        "",
        f"bench/compare.py: {args.rounds} alternating turns of each tree; each turn runs the tree's own "
        f"bench/keystroke.py ({args.edits} edits) and bench/render.py (3 rounds per document, 12 renders "
        "per throughput round). Medians over the turns.",
        "",
        f"- Machine: 2-core class, Linux {platform.machine()}, Python {platform.python_version()}; "
        "shared with other work",
        "",
        f"| measurement | {base_commit} (earlier) | {head_commit} (this) | this ÷ earlier |",
        "| --- | ---: | ---: | ---: |",
    ]
    for measure, values in samples["this"].items():
        earlier = statistics.median(samples["earlier"].get(measure, [float("nan")]))
        this = statistics.median(values)
        lines.append(f"| {measure} | {earlier:.1f} | {this:.1f} | {this / earlier:.2f} |")
    lines.append("")
    lines.append(
        "Per turn: "
        + "; ".join(
            f"{label}: "
            + ", ".join(
                f"{measure} {' / '.join(f'{v:.1f}' for v in values)}"
                for measure, values in samples[label].items()
            )
            for label in ("earlier", "this")
        )
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
