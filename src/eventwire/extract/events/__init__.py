"""Events: PLOVER-coded who-did-what-to-whom, one module per step.

- :mod:`.triggers`: dictionary words that can name an event, coded with the PLOVER lexicon
  (:mod:`.lexicon`, built by :mod:`.lexicon_build`);
- :mod:`.arguments`: source and target from the parse;
- :mod:`.gate`: the event-ness gate (a specific occurrence, not a description, a condition, a
  purpose or a question);
- :mod:`.context`: date, place and quantities of each event;
- :mod:`.learned`: the learned type model and filter (category in context; ``confidence``);
- :mod:`.merge`: one event per occurrence per article;
- :mod:`.stage`: the ``eventwire_events`` spaCy component that runs them in that order.
Modality and attribution are read by :mod:`eventwire.extract.modality`, shared with quotes.
"""

from __future__ import annotations

from eventwire.extract.events.stage import EventsStage, make_events

__all__ = ["EventsStage", "make_events"]
