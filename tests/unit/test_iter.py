"""The one batching helper."""

from __future__ import annotations

from eventwire._iter import batched


def test_batches_keep_order_and_last_partial_batch() -> None:
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_empty_input_gives_no_batch() -> None:
    assert list(batched([], 3)) == []


def test_consumes_a_generator_lazily() -> None:
    seen: list[int] = []

    def numbers():  # type: ignore[no-untyped-def]
        for n in range(10):
            seen.append(n)
            yield n

    first = next(batched(numbers(), 4))
    assert first == [0, 1, 2, 3] and seen == [0, 1, 2, 3]
