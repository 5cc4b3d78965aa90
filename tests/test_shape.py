"""The code's shape, checked on every run: no module over 450 lines outside migrations, and
no import circle among the project's modules."""

from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "config",
    "core",
    "portfolio",
    "gates",
    "governance",
    "inventory",
    "compliance",
    "signin",
    "reports",
    "integrations",
    "console",
    "components",
)
MAX_LINES = 450
# Modules allowed over the limit for now (none: keep it so).
OVER_THE_LIMIT_FOR_NOW: set[str] = set()


def _modules():
    for top in (*APPS, "bench", "tests"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path.relative_to(ROOT).as_posix(), path


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_450_lines():
    too_long = {
        name: lines
        for name, path in _modules()
        if (lines := _lines(path)) > MAX_LINES and name not in OVER_THE_LIMIT_FOR_NOW
    }
    assert too_long == {}


def test_the_allow_list_names_only_modules_still_too_long():
    # Once a module is split its name leaves the list, so the list cannot hide a relapse.
    lengths = dict((name, _lines(path)) for name, path in _modules())
    healed = {name for name in OVER_THE_LIMIT_FOR_NOW if lengths.get(name, 0) <= MAX_LINES}
    assert healed == set()


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a circle (Tarjan's
    algorithm, iterative so deep chains do not hit the recursion limit); singletons left out."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_the_circle_finder_finds_a_circle_and_only_circles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert strongly_connected(graph) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


@pytest.fixture(scope="module")
def import_graph() -> dict[str, set[str]]:
    # Every import counts, those inside functions too: a lazy import hides a circle, it does
    # not break it. Imports only for type checkers are left out.
    graph = grimp.build_graph(
        *APPS, include_external_packages=False, exclude_type_checking_imports=True, cache_dir=None
    )
    return {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}


def test_the_graph_is_read_from_this_tree(import_graph):
    assert "core.jobs" in import_graph
    assert "portfolio.jobs" not in import_graph


def test_no_import_circle_among_the_projects_modules(import_graph):
    assert strongly_connected(import_graph) == []
