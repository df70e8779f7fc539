"""The resolve package imports in one direction only: no module imports one that imports it
back, counting imports made inside functions (issue 16: corpus.py and incremental.py did)."""

from __future__ import annotations

import ast
from pathlib import Path

import eventwire.resolve

PACKAGE = Path(eventwire.resolve.__file__).parent


def _imports(path: Path) -> set[str]:
    """Every eventwire.resolve module a file imports, at module level or in a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "eventwire.resolve":
                found |= {f"eventwire.resolve.{a.name}" for a in node.names}
            elif node.module.startswith("eventwire.resolve."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("eventwire.resolve.")}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {
        f"eventwire.resolve.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem != "__init__"
    }
    return {name: _imports(path) & set(modules) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, or [] (depth-first search with a path stack)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_cycle_finder_sees_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_resolve_modules_import_without_cycles() -> None:
    graph = _graph()
    assert "eventwire.resolve.incremental" in graph
    assert _cycle(graph) == []
