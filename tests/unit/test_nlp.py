"""Pipeline assembly: every stage is a registered factory, reachable by entry point too."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
import spacy

from eventwire import nlp as nlp_module
from eventwire.errors import ModelError


def test_every_component_is_an_entry_point() -> None:
    points = {ep.name: ep for ep in entry_points(group="spacy_factories")}
    for name in nlp_module.COMPONENTS:
        assert name in points, f"{name} missing from [project.entry-points.spacy_factories]"
        assert callable(points[name].load())


def test_components_add_to_a_blank_pipeline_in_order() -> None:
    nlp = spacy.blank("en")
    nlp_module.add_components(nlp)
    assert tuple(nlp.pipe_names) == nlp_module.COMPONENTS


def test_add_components_is_idempotent() -> None:
    nlp = spacy.blank("en")
    nlp_module.add_components(nlp)
    nlp_module.add_components(nlp)
    assert len(nlp.pipe_names) == len(nlp_module.COMPONENTS)


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="no_such_model_xyz"):
        nlp_module.load_model("no_such_model_xyz")


def test_every_component_declares_what_it_requires_and_assigns() -> None:
    """Each eventwire factory says what it reads and sets; what it reads is a spaCy attribute
    or set by a component before it in the pipeline."""
    from spacy.language import Language

    from eventwire.nlp import COMPONENTS, register_components

    register_components()
    assigned: set[str] = set()
    for name in COMPONENTS:
        meta = Language.get_factory_meta(name)
        assert meta.assigns, name
        for attr in meta.requires:
            assert not attr.startswith("doc._.") or attr in assigned, (name, attr)
        assigned.update(meta.assigns)
