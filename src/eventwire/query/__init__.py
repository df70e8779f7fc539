"""The corpus read layer: one model of what the store says, for every consumer.

Actors, events, stories, the network, search and trends are read here, with one filter type
(:class:`eventwire.query.filters.EventFilter`) and one set of semantics, analysts' corrections
always applied (:mod:`eventwire.query.corrections`) and superseded article versions never
counted. The command line, exports, analyses and the desk call it; ``serve`` keeps only HTTP,
pages and its caches. It sits above ``store`` and below ``analyse``, ``serve`` and ``cli``
(the "read" layer of the project's layer order).

The package is named ``query``, not ``read``: ``eventwire.read`` is the public function that
reads one article, and importing a subpackage of that name would replace it.
"""
