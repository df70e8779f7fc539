"""The fixed split of the gold corpus: train, dev and test, decided by a seeded hash of the key.

A hash (not a shuffled list) keeps every article in its split when articles are added later.
The test split is scored, never read while writing rules or choosing thresholds; ``--errors``
refuses it.
"""

from __future__ import annotations

import hashlib

SPLIT_SEED = "eventwire-gold-2026"
TEST_SHARE = 0.36
DEV_SHARE = 0.20
SPLITS = ("train", "dev", "test")


def fraction(key: str, seed: str = SPLIT_SEED) -> float:
    """A stable number in [0, 1) for ``key``."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_of(key: str) -> str:
    """``test`` for the first 36% of the hash range, ``dev`` for the next 20%, else ``train``."""
    value = fraction(key)
    if value < TEST_SHARE:
        return "test"
    return "dev" if value < TEST_SHARE + DEV_SHARE else "train"
