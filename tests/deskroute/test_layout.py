"""The package boundaries the code relies on: the graph is an implementation detail of the
runtime; everything else in deskroute/ works through the service layer."""

from __future__ import annotations

import ast

from deskroute.settings import PROJECT_ROOT


def _graph_imports(path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0] == "graph"
        ):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "graph"]
    return found


def test_only_the_runtime_imports_the_graph_and_only_its_public_package() -> None:
    importers = {
        str(path.relative_to(PROJECT_ROOT)): modules
        for path in sorted((PROJECT_ROOT / "deskroute").rglob("*.py"))
        if (modules := _graph_imports(path))
    }
    assert importers == {"deskroute/runtime.py": ["graph"]}
