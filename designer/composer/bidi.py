"""Mixed left-to-right and right-to-left text on one line, ordered as the Unicode Bidirectional
Algorithm (UAX #9) orders it, for the cases a personalized product meets: an Arabic or Hebrew
name beside Latin words, digits in Arabic text (a phone number, a date).

HarfBuzz shapes one direction at a time and does not reorder, so a line is cut into directional
runs, each shaped on its own, and the runs are laid out in visual order. Implemented: the
paragraph's direction from its first strong letter (P2, P3), numbers after Latin are Latin (W7),
neutrals between two runs of one direction take it, others the paragraph's (N1, N2; numbers
count as right-to-left there), the levels (I1, I2) and reversal (L2). Left out, as text typed
into a field does not use them: explicit embeddings, overrides and isolates (their characters
are drawn as they are), and mirrored brackets (L4).
"""

import unicodedata

LTR, RTL = "ltr", "rtl"
_RIGHT_TO_LEFT = frozenset({"R", "AL"})
_STRONG = frozenset({"L", "R", "AL"})
_NUMBERS = frozenset({"EN", "AN"})


def visual_runs(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """The line's direction and its runs (start, end, direction) in visual order, left to right."""
    kinds = [unicodedata.bidirectional(character) for character in text]
    if not any(kind in _RIGHT_TO_LEFT or kind == "AN" for kind in kinds):
        return LTR, [(0, len(text), LTR)] if text else []
    first_strong = next((kind for kind in kinds if kind in _STRONG), "L")
    base = RTL if first_strong in _RIGHT_TO_LEFT else LTR
    resolved = _resolved(kinds, base)
    base_level = 1 if base == RTL else 0
    levels = [_level(kind, base_level) for kind in resolved]
    runs: list[list[int]] = []  # [start, end, level]
    for index, level in enumerate(levels):
        if runs and runs[-1][2] == level:
            runs[-1][1] = index + 1
        else:
            runs.append([index, index + 1, level])
    # L2: from the highest level down to the lowest odd one, reverse every stretch at or above it.
    for floor in range(max(levels), 0, -1):
        start = None
        for position in range(len(runs) + 1):
            inside = position < len(runs) and runs[position][2] >= floor
            if inside and start is None:
                start = position
            elif not inside and start is not None:
                runs[start:position] = runs[start:position][::-1]
                start = None
    return base, [(start, end, RTL if level % 2 else LTR) for start, end, level in runs]


def _resolved(kinds: list[str], base: str) -> list[str]:
    """Each character as L, R, EN or AN, neutrals resolved."""
    edge = "R" if base == RTL else "L"
    resolved, last_strong = [], edge
    for kind in kinds:
        if kind == "L" or kind in _RIGHT_TO_LEFT:
            last_strong = "L" if kind == "L" else "R"
            resolved.append(last_strong)
        elif kind == "EN":
            resolved.append("L" if last_strong == "L" else "EN")
        elif kind == "AN":
            resolved.append("AN")
        else:
            resolved.append(None)
    index = 0
    while index < len(resolved):
        if resolved[index] is not None:
            index += 1
            continue
        end = index
        while end < len(resolved) and resolved[end] is None:
            end += 1
        before = _as_strong(resolved[index - 1]) if index > 0 else edge
        after = _as_strong(resolved[end]) if end < len(resolved) else edge
        resolved[index:end] = [before if before == after else edge] * (end - index)
        index = end
    return resolved


def _as_strong(kind: str) -> str:
    return "R" if kind in ("R", *_NUMBERS) else "L"


def _level(kind: str, base_level: int) -> int:
    if base_level == 0:
        return {"L": 0, "R": 1}.get(kind, 2)
    return 1 if kind == "R" else 2
