"""Durations on the command line: ``30s``, ``15m``, ``1h``, ``2d`` or plain seconds."""

from __future__ import annotations

import re

_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def duration_seconds(value: str) -> float:
    """Seconds in a duration such as ``15m``; raises ValueError for anything else."""
    match = _PATTERN.match(value)
    if match is None or float(match.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a duration like 30s, 15m or 1h")
    return float(match.group(1)) * _SECONDS[match.group(2)]
