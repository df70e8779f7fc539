"""Stages that grew quadratically with an article's length, and the answers they must keep."""

from __future__ import annotations

import time

import spacy

from eventwire import gazetteer
from eventwire.extract.entities import _attach_surnames, _Group
from eventwire.extract.mentions import Mention
from eventwire.extract.places import extra_toponyms


def test_a_bare_surname_joins_the_nearest_full_name_before_else_after() -> None:
    doc = spacy.blank("en")(
        "Silva spoke . Ana Silva met Omar Silva . Silva said . Kofi Mensah left"
    )
    first, second = Mention(3, 5, "PERSON", group=0), Mention(6, 8, "PERSON", group=1)
    groups = [_Group([first], "PERSON"), _Group([second], "PERSON")]
    opening, later = Mention(0, 1, "ORG"), Mention(9, 10, "GPE")
    unrelated = Mention(12, 14, "ORG")  # a full name no person has: stays unattached
    _attach_surnames(doc, [opening, first, second, later, unrelated], groups)
    assert (opening.group, opening.label) == (0, "PERSON")  # none before: the first after
    assert (later.group, later.label) == (1, "PERSON")  # the nearest before
    assert unrelated.group == -1
    assert groups[1].mentions == [second, later]


def test_a_full_name_typed_otherwise_joins_the_person_of_that_name() -> None:
    doc = spacy.blank("en")("Ana Silva met Omar Silva . Omar Silva said")
    groups = [_Group([Mention(0, 2, "PERSON", group=0)], "PERSON"),
              _Group([Mention(3, 5, "PERSON", group=1)], "PERSON")]  # fmt: skip
    typed_org = Mention(6, 8, "ORG")
    _attach_surnames(doc, [typed_org], groups)
    assert (typed_org.group, typed_org.label) == (1, "PERSON")


def test_surnames_attach_in_linear_time() -> None:
    """Many people and many bare surnames: once a pass over every mention per surname."""
    words, mentions, groups = [], [], []
    for i in range(3000):
        surname = f"Name{i % 1500}"
        at = len(words)
        words += [f"First{i}", surname, "met", surname, "."]
        full = Mention(at, at + 2, "PERSON", group=len(groups))
        groups.append(_Group([full], "PERSON"))
        mentions += [full, Mention(at + 3, at + 4, "ORG")]
    doc = spacy.blank("en")(" ".join(words))
    start = time.process_time()
    _attach_surnames(doc, mentions, groups)
    assert time.process_time() - start < 2.0  # the quadratic pass took over 20 s here
    assert all(m.group >= 0 for m in mentions)


def test_extra_toponyms_skip_the_models_spans_and_find_the_rest() -> None:
    text = "Officials in Kabul met envoys from Norway . " * 12000
    doc = spacy.blank("en")(text)
    step = len("Officials in Kabul met envoys from Norway . ")
    taken = [(k * step + 13, k * step + 18) for k in range(12000)]  # every "Kabul"
    start = time.process_time()
    found = extra_toponyms(doc, gazetteer.load(), taken)
    assert time.process_time() - start < 4.0  # about 15 s with a pass over every span
    assert [name for _, name in found] == ["Norway"] * 12000
    assert found[0][0] == text.index("Norway")
