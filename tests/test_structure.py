"""The package's import graph: dependencies run one way, with no import hidden in a function
to break a cycle (the CLI and web modules may defer heavy imports for start-up time)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "detente"
DEFERRING = {"detente.cli", "detente.web.app", "detente.web.jobs",  # start-up time only
             "detente.web.names"}


def _imports() -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Module -> detente modules it imports, and (module, target) of imports in functions."""
    graph: dict[str, set[str]] = {}
    nested: list[tuple[str, str]] = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = list(parts[:-1])
        deps = graph.setdefault(module, set())
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            base = package[:len(package) - node.level + 1]
            targets = [".".join([*base, node.module])] if node.module else [
                ".".join([*base, a.name]) for a in node.names]
            for target in targets:
                deps.add(target)
                if node.col_offset:
                    nested.append((module, target))
    return graph, nested


def test_no_import_is_hidden_in_a_function_outside_cli_and_web():
    _, nested = _imports()
    assert [n for n in nested if n[0] not in DEFERRING] == []


def test_no_import_cycles_between_modules():
    graph, _ = _imports()
    graph = {m: {d for d in deps if d in graph and d != m and not m.startswith(d + ".")}
             for m, deps in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*path[path.index(dep):], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
