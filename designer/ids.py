"""Prefixed, time-ordered resource ids (`prd_01J…`), as the API contract requires."""

import itertools
import os
import random
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Every pair of digits, for 10 bits at a time; and where each pair of the 26 digits begins.
_PAIRS = [first + second for first in _CROCKFORD for second in _CROCKFORD]
_PAIR_SHIFTS = range(120, -1, -10)

PREFIXES = {
    "account": "acc",
    "store": "sto",
    "token": "tok",
    "event": "evt",
    "request": "req",
    "product": "prd",
    "side": "sid",
    "category": "cat",
    "template": "tpl",
    "font": "fnt",
    "clipart": "clp",
    "project": "prj",
    "design": "des",
    "layer": "lyr",
    "file": "fil",
    "render": "rnd",
    "approval": "apr",
    "batch": "bat",
    "batch_item": "bit",
    "order": "ord",
    "gang_sheet": "gng",
    "line_item": "itm",
    "webhook": "whk",
    "delivery": "dlv",
    "model_3d": "m3d",
    "mapping_3d": "map",
    "profile_3d": "p3d",
}


def new_id(kind: str, *, guessable: bool = False) -> str:
    """A new id for `kind`: its prefix, then 48 bits of milliseconds and 80 random bits in base32.

    Ids sort by creation time, which keeps B-tree inserts cheap and lists in a natural order. A
    `guessable` id (a request's, which opens nothing) draws its bits from this process's generator
    instead of the system's, saving a system call on every request.
    """
    bits = _process["random"].getrandbits(80) if guessable else int.from_bytes(os.urandom(10), "big")
    value = (int(time.time() * 1000) << 80) | bits  # 26 digits of 5 bits, the first holding 3
    return f"{PREFIXES[kind]}_{''.join([_PAIRS[(value >> shift) & 1023] for shift in _PAIR_SHIFTS])}"


# What `unique_token` and guessable ids draw from: a random prefix of this process and a counter, a
# generator seeded by the system (all drawn again in a forked child, which would otherwise repeat
# its parent's).
_process: dict = {}


def _new_process_prefix() -> None:
    _process["prefix"] = os.urandom(8).hex()
    _process["counter"] = itertools.count()
    _process["random"] = random.Random(os.urandom(16))


_new_process_prefix()
os.register_at_fork(after_in_child=_new_process_prefix)


def unique_token() -> str:
    """A string no other call returns, in this process or another: for what must only be unique
    (not unguessable, not ordered) and is made on every request, without new_id's system call."""
    return f"{_process['prefix']}{next(_process['counter']):x}"
