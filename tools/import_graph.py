"""The import graph of the package, wing by wing (issue 17's "Must show").

Prints the number of modules per wing, the floors (the longest chain of module-level
imports between yrdnet modules), the import circles and the upward imports (a module
importing a wing above its own in :data:`WINGS`)::

    python tools/import_graph.py            # a table
    python tools/import_graph.py --json     # the same as JSON
    python tools/import_graph.py --all      # imports inside functions counted too
    python tools/import_graph.py --root /old/checkout/yrdnet   # another tree

Only module-level imports count (those inside ``if TYPE_CHECKING:`` blocks and inside
functions are not run when a module is imported). An arrow joins a module to each module
it names: ``from yrdnet.a import b`` is an arrow to ``yrdnet.a.b`` when ``b`` is a module,
else to ``yrdnet.a``; a module's own packages (whose ``__init__`` Python runs first
anyway) are not arrows.
"""

from __future__ import annotations

import ast
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "yrdnet"

#: The wings from the bottom up (the import-linter contract in pyproject.toml, flattened).
WINGS = ("core", "region", "timetable", "network", "routing", "scenarios", "metrics", "analysis", "plans", "viz", "cli")
#: Wings that may not import each other either way (siblings on one floor of the contract).
SIBLINGS = {frozenset({"timetable", "network"})}


def module_name(path: Path, root: Path = ROOT) -> str:
    """``yrdnet/routing/compile.py`` -> ``yrdnet.routing.compile`` (a package's ``__init__`` -> the package)."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _top_level(tree: ast.Module) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.If):  # TYPE_CHECKING blocks
            continue
        out.extend(node.body if isinstance(node, ast.Try) else [node])
    return out


def _absolute(node: ast.ImportFrom, mod: str, is_package: bool) -> str:
    """The absolute module of ``from ... import`` (relative imports resolved against ``mod``)."""
    if not node.level:
        return node.module or ""
    package = mod.split(".") if is_package else mod.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path = ROOT, *, in_functions: bool = False) -> dict[str, set[str]]:
    """Module -> the yrdnet modules it imports at module level (and in functions too if asked)."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for mod, path in files.items():
        deps: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree) if in_functions else _top_level(tree):
            if isinstance(node, ast.ImportFrom):
                base = _absolute(node, mod, path.name == "__init__.py")
                if not base.startswith("yrdnet"):
                    continue
                subs = {f"{base}.{a.name}" for a in node.names} & set(files)
                plain = [a for a in node.names if f"{base}.{a.name}" not in files]
                deps |= subs | ({base} if plain and base in files else set())
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in files}
        ancestors = {".".join(mod.split(".")[:i]) for i in range(1, mod.count(".") + 1)}
        graph[mod] = deps - {mod} - ancestors
    return graph


def wing_of(mod: str) -> str | None:
    """The wing of a module, or None for the package face and its top-level modules."""
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in WINGS else None


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def upward(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports from a wing into a higher wing (or into a sibling on the same floor)."""
    bad = []
    for mod, deps in graph.items():
        a = wing_of(mod)
        for d in deps:
            b = wing_of(d)
            if a is None or b is None or a == b:
                continue
            if WINGS.index(b) > WINGS.index(a) or frozenset({a, b}) in SIBLINGS:
                bad.append((mod, d))
    return sorted(bad)


def floors(graph: dict[str, set[str]]) -> int:
    """Modules on the longest chain of imports (1 = a module importing no yrdnet module)."""
    memo: dict[str, int] = {}

    def depth(v: str, seen: frozenset[str]) -> int:
        if v in memo:
            return memo[v]
        d = 1 + max((depth(w, seen | {v}) for w in graph.get(v, ()) if w not in seen), default=0)
        memo[v] = d
        return d

    return max(depth(v, frozenset()) for v in graph)


def summary(root: Path = ROOT, *, in_functions: bool = False) -> dict[str, object]:
    """Modules per wing, arrows, floors, circles and upward imports."""
    graph = import_graph(root, in_functions=in_functions)
    per_wing = Counter(wing_of(m) or "(package face)" for m in graph)
    return {
        "modules": len(graph),
        "modules_per_wing": {w: per_wing[w] for w in (*WINGS, "(package face)")},
        "arrows": sum(len(v) for v in graph.values()),
        "floors": floors(graph),
        "circles": circles(graph),
        "upward_imports": upward(graph),
    }


def main(argv: list[str]) -> int:
    """Print the summary; exit 1 if there is a circle or an upward import."""
    s = summary(Path(argv[argv.index("--root") + 1]) if "--root" in argv else ROOT, in_functions="--all" in argv)
    if "--json" in argv:
        print(json.dumps(s, indent=2))
    else:
        print(f"modules: {s['modules']}  arrows: {s['arrows']}  floors: {s['floors']}")
        for w, n in s["modules_per_wing"].items():  # type: ignore[attr-defined]
            print(f"  {w:<16} {n}")
        print(f"circles: {len(s['circles'])}  upward imports: {len(s['upward_imports'])}")  # type: ignore[arg-type]
        for c in s["circles"]:  # type: ignore[attr-defined]
            print("  circle:", " -> ".join(c))
        for a, b in s["upward_imports"]:  # type: ignore[attr-defined]
            print(f"  upward: {a} -> {b}")
    return 1 if s["circles"] or s["upward_imports"] else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
