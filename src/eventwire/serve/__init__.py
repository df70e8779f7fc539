"""eventwire.serve: the analyst's desk (FastAPI app, pages, static assets) over a store.

Import :func:`create_app` from :mod:`eventwire.serve.app` and :func:`serve_demo` from
:mod:`eventwire.serve.demo`; this package imports nothing heavy itself, so that the CLI stays
fast when the ``web`` extra is not installed.
"""

#: Route handlers that run at once in one server process (``eventwire serve --threads``).
THREADS = 1
