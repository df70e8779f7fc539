"""The import layers (#16): imports point down the pipeline, never up, and never in a cycle.

The layers, lowest first (a module may import its own layer and any lower one)::

    base      errors, record, schema, _iter, deadline, needed_strings, datafiles, examples,
              index_cache (versioned on-disk indexes), lifeline (workers die with their parent)
    ingest    eventwire.ingest.*                       raw inputs -> RawArticle
    annotate  gazetteer                                lexical resources the readers look up
    extract   eventwire.extract.*, nlp, reader,        one article -> ArticleRecord
              chunking
    engine    engine                                   the per-article step on workers
    resolve   eventwire.resolve.*                      cross-article actors and stories
    store     eventwire.store.*                        storage, migrations
    read      eventwire.query.*, export                the corpus read layer and its exports
    analyse   eventwire.analyse.*, summary             trends, alerts, watch
    serve     eventwire.serve.*                        the desk (HTTP, pages, caches)
    cli       eventwire.cli.*, eventwire.eval.*        commands

The package root (``eventwire/__init__``) is left out: every import of a submodule runs it, and
it imports only ``record`` eagerly (``read``/``read_many`` load on first use).

Imports made inside functions count, like module-level ones. Every import is found with the
standard library's ``ast``. ``KNOWN`` lists the upward imports that remain, each with why it is
left (a module another developer owns this session); an entry that no longer exists fails the
test too, so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "eventwire"

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("errors", "record", "schema", "_iter", "deadline", "needed_strings", "datafiles",
              "examples", "index_cache", "lifeline")),
    ("ingest", ("ingest",)),
    ("annotate", ("gazetteer",)),
    ("extract", ("extract", "nlp", "reader", "chunking")),
    ("engine", ("engine",)),
    ("resolve", ("resolve",)),
    ("store", ("store",)),
    ("read", ("query", "export")),
    ("analyse", ("analyse", "summary")),
    ("serve", ("serve",)),
    ("cli", ("cli", "eval")),
]  # fmt: skip

_RESOLVE = (
    "resolution reads codings from and writes actors and stories to the store's tables directly; "
    "left: split it into pure clustering over plain records (resolve) and a store-facing step "
    "above store that loads, calls and writes"
)
#: Upward imports left in place: (importer, imported module) -> why.
KNOWN: dict[tuple[str, str], str] = {
    ("eventwire.resolve", "eventwire.store.db"): _RESOLVE,
    ("eventwire.resolve.corpus", "eventwire.store.db"): _RESOLVE,
    ("eventwire.resolve.corpus", "eventwire.store.schema"): _RESOLVE,
    ("eventwire.resolve.incremental", "eventwire.store.db"): _RESOLVE,
    ("eventwire.resolve.incremental", "eventwire.store.schema"): _RESOLVE,
    ("eventwire.resolve.summaries", "eventwire.store.schema"): _RESOLVE,
    ("eventwire.resolve.result", "eventwire.store.schema"): _RESOLVE,
}
#: Import cycles left in place (as found, starting at the first module in name order) -> why.
KNOWN_CYCLES: dict[tuple[str, ...], str] = {
    ("eventwire.ingest", "eventwire.ingest.preparation", "eventwire.ingest"): "ingest/__init__ "
    "imports preparation inside a function; preparation.py is the clean developer's",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in SRC.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every eventwire module ``path`` imports, at module level or inside functions."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            named.add(module)
            named.update(f"{module}.{alias.name}" for alias in node.names)
    found = set()
    for target in named:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target not in (name, "eventwire"):
            found.add(target)
    return found


def _layer(module: str) -> int:
    first = module.split(".")[1]
    for rank, (_label, tops) in enumerate(LAYERS):
        if first in tops:
            return rank
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in {__file__}")


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {
        name: _imports(name, path, known) for name, path in modules.items() if name != "eventwire"
    }


def test_every_module_has_a_layer() -> None:
    for module in _graph():
        _layer(module)


def test_no_upward_imports() -> None:
    upward = {
        (module, target)
        for module, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(module)
    }
    assert sorted(upward - set(KNOWN)) == [], "imports that point up the layers"
    assert sorted(set(KNOWN) - upward) == [], "KNOWN lists imports that are gone: remove them"


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    found = {tuple(cycle) for cycle in cycles}
    assert sorted(found - set(KNOWN_CYCLES)) == [], "import cycles"
    assert sorted(set(KNOWN_CYCLES) - found) == [], "KNOWN_CYCLES lists cycles that are gone"


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    """The finder counts an import made inside a function, relative or absolute."""
    source = tmp_path / "probe.py"
    source.write_text(
        "def f():\n    from eventwire.cli import main\n    from . import x\n", encoding="utf-8"
    )
    known = {"eventwire.cli", "eventwire.store.x"}
    assert _imports("eventwire.store.probe", source, known) == {
        "eventwire.cli",
        "eventwire.store.x",
    }
