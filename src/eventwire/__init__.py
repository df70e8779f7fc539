"""eventwire: read news articles into sourced, dated, geolocated event data and an actor network.

>>> import eventwire
>>> record = eventwire.read("Rebels attacked the town on Tuesday.", published="2024-03-07")
>>> record.to_json()

``read`` reads one article, ``read_many`` streams many; see :mod:`eventwire.record` for the
record format. The pipeline stages are spaCy components (``eventwire_*``), so they also work in
a user's own pipeline: ``eventwire.nlp.add_components(nlp)``.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from eventwire.record import ArticleRecord

if TYPE_CHECKING:
    from eventwire.reader import read, read_many

try:
    __version__ = version("eventwire")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["ArticleRecord", "__version__", "read", "read_many"]


def __getattr__(name: str) -> Any:
    """``read`` and ``read_many`` on first use: importing them loads spaCy, which commands that
    only query a store (``eventwire actors``, ``events``, ``--help``) never need."""
    if name in ("read", "read_many"):
        from eventwire import reader

        return getattr(reader, name)
    raise AttributeError(f"module 'eventwire' has no attribute {name!r}")
