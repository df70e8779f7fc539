"""Optional extras: a command path that needs one says, in one line, which extra to install.

Checked before anything is opened or imported, with :func:`importlib.util.find_spec` (which
imports nothing), so a missing extra is a clear message instead of an ImportError traceback
from deep inside the command.
"""

from __future__ import annotations

from importlib.util import find_spec

from eventwire.errors import EventwireError

#: The modules each extra of ``pyproject.toml`` brings that command paths import.
EXTRAS = {
    "web": ("fastapi", "uvicorn", "jinja2"),
    "parquet": ("pyarrow",),
    "dask": ("dask", "distributed"),
}


class MissingExtraError(EventwireError):
    """A command path needs an optional extra that is not installed."""


def require_extra(extra: str, what: str) -> None:
    """Raise :class:`MissingExtraError` naming ``extra`` when one of its modules is missing."""
    missing = [name for name in EXTRAS[extra] if find_spec(name) is None]
    if missing:
        raise MissingExtraError(
            f"{what} needs the {extra} extra ({', '.join(missing)} not installed): "
            f"pip install 'eventwire[{extra}]'"
        )
