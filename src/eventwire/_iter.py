"""Iteration helpers shared by the reader, the engine and the analyses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of up to ``size`` items, in order (``itertools.batched`` arrives only in 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
