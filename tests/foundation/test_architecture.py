"""The import rules of docs/architecture.md, checked on the source: layers point downward, packages form no cycle.

Every ``import`` and ``from ... import`` in every module under src/moneyprinter counts, including
those inside functions and under ``if TYPE_CHECKING:``. A "unit" is a top-level package
(``moneyprinter.store``) or module (``moneyprinter.config``).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

import moneyprinter

ROOT = Path(moneyprinter.__file__).resolve().parent

# Lower layers never import higher ones. A new package must be placed here before its tests pass.
FOUNDATION = {"store", "settings", "config", "http_client", "netguard", "errors", "redact", "paths", "registry",
              "check_result", "logging_setup", "app", "__init__"}
DOMAIN = {"platforms", "shorts", "publishers", "scheduler", "outreach", "media", "providers", "text", "products",
          "health", "tasks"}
INTERFACE = {"cli", "menu", "web", "mcp_server", "terminal", "__main__"}
LAYER = {**{u: 0 for u in FOUNDATION}, **{u: 1 for u in DOMAIN}, **{u: 2 for u in INTERFACE}}
LAYER_NAMES = ("foundation", "domain", "interface")

# Between interfaces: the CLI opens the menu, and both print through terminal; nothing else.
FORBIDDEN_SIDEWAYS = {("menu", "cli"), ("terminal", "cli"), ("terminal", "menu"), ("web", "cli"), ("web", "menu"),
                      ("mcp_server", "cli"), ("mcp_server", "menu"), ("terminal", "web"), ("terminal", "mcp_server")}

# Known violations, each with what removes it. This list only shrinks: an entry whose import is
# gone fails the test, so that it is deleted with the code that fixed it.
ALLOWED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True)
class Import:
    source: str  # unit that imports
    target: str  # unit imported
    where: str  # file:line


def unit_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_unit(name: str) -> bool:
    return (ROOT / name).is_dir() or (ROOT / f"{name}.py").is_file()


def imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if node.module == "moneyprinter":  # ``from moneyprinter import paths`` names a unit; ``__version__`` does not
            return [f"moneyprinter.{a.name}" if is_unit(a.name) else "moneyprinter" for a in node.names]
        return [node.module]
    if isinstance(node, ast.ImportFrom) and node.level:
        raise AssertionError(f"relative import at line {node.lineno}: write the absolute moneyprinter.* path")
    return []


def all_imports() -> list[Import]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        source = unit_of(module_name(path))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            for module in imported_modules(node):
                if module.split(".")[0] != "moneyprinter":
                    continue
                target = unit_of(module)
                if target != source:
                    found.append(Import(source, target, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return found


IMPORTS = all_imports()


def upward(imp: Import) -> bool:
    return LAYER[imp.target] > LAYER[imp.source] or (imp.source, imp.target) in FORBIDDEN_SIDEWAYS


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components with more than one unit (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_unit_has_a_layer():
    units = {p.stem if p.suffix == ".py" else p.name for p in ROOT.iterdir()
             if p.suffix == ".py" or (p / "__init__.py").exists()}
    missing = sorted(units - set(LAYER))
    assert not missing, f"place {missing} in FOUNDATION, DOMAIN or INTERFACE (tests/foundation/test_architecture.py)"


def test_imports_point_downward():
    bad = [imp for imp in IMPORTS if upward(imp) and (imp.source, imp.target) not in ALLOWED]
    lines = [f"{imp.where}: {imp.source} ({LAYER_NAMES[LAYER[imp.source]]}) imports {imp.target} "
             f"({LAYER_NAMES[LAYER[imp.target]]})" if LAYER[imp.target] > LAYER[imp.source]
             else f"{imp.where}: {imp.source} must not import {imp.target}" for imp in bad]
    assert not lines, "upward imports:\n" + "\n".join(lines)


def test_packages_import_each_other_in_no_cycle():
    edges = {(imp.source, imp.target) for imp in IMPORTS} - set(ALLOWED)
    found = cycles(edges)
    detail = []
    for component in found:
        members = set(component)
        detail += [f"  {imp.where}: {imp.source} -> {imp.target}" for imp in IMPORTS
                   if imp.source in members and imp.target in members]
    assert not found, f"import cycles between packages: {found}\n" + "\n".join(detail)


@pytest.mark.parametrize("edge", sorted(ALLOWED))
def test_each_allowed_violation_still_exists(edge):
    assert any((imp.source, imp.target) == edge for imp in IMPORTS), (
        f"{edge[0]} no longer imports {edge[1]}: delete its entry from ALLOWED")


def test_the_checker_sees_imports_inside_functions():
    # cli/__init__.py imports the menu inside main(), not at the top: it must still be seen.
    assert any(imp.where.startswith("cli/__init__.py") and imp.target == "menu" for imp in IMPORTS)
    assert cycles({("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")}) == [["a", "b", "c"]]
