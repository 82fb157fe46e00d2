"""Every number a rule uses comes from the data file (the house issue, point 3).

- Every parameter key the code reads with `.get("group.key")` exists in each city data file, so a
  typo fails here rather than in the month it is first read, and `sim sensitivity` can sample it.
- The numeric literals left in rule modules (sim/rules/, sim/agents/) are structural (0, 1, -1,
  12 months a year, a module-level named constant such as the skill ladder) or on `ALLOWED` with
  their reason.
- The package has no import circle, not even through imports inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sim.params import load_city

SIM = Path(__file__).resolve().parent.parent / "sim"
CITY_FILES = sorted((SIM / "data").glob("*.yaml")) + sorted((SIM / "data" / "examples").glob("*.yaml"))
STRUCTURAL = {0, 1, -1, 12}
ALLOWED = {
    ("rules/demography.py", 40): "the age at which demography.mortality_at_40 is defined (the Gompertz reference age)",
    ("rules/outside.py", 0.5): "mobility_age_scale is a half-life: the propensity halves every scale years",
}
RULE_MODULES = sorted(SIM.glob("rules/*.py")) + sorted(SIM.glob("agents/*.py"))


def keys_read(path: Path) -> set[str]:
    """Constant dotted keys passed to a `.get(...)` call in `path`."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and "." in node.args[0].value and " " not in node.args[0].value):
            keys.add(node.args[0].value)
    return keys


def all_keys_read() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted(SIM.rglob("*.py")):
        for key in keys_read(path):
            out.setdefault(key, set()).add(str(path.relative_to(SIM)))
    return out


@pytest.mark.parametrize("city_file", CITY_FILES, ids=lambda p: p.name)
def test_every_parameter_key_the_code_reads_exists_in_the_city_file(city_file):
    data = load_city(str(city_file))
    read = all_keys_read()
    assert len(read) > 100, "the scan found too few keys: has the way rules read parameters changed?"
    missing = {key: sorted(where) for key, where in read.items() if key not in data.params}
    assert not missing, f"keys read by the code but not in {city_file.name}: {missing}"


def literals(path: Path) -> list[tuple[int, float]]:
    """(line, value) of numeric literals outside module-level UPPER_CASE constant definitions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constant_lines = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and all(isinstance(t, (ast.Name, ast.Tuple)) for t in node.targets):
            names = [n.id for t in node.targets for n in ([t] if isinstance(t, ast.Name) else t.elts)
                     if isinstance(n, ast.Name)]
            if names and all(n.isupper() for n in names):
                constant_lines.update(range(node.lineno, node.end_lineno + 1))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool)
            and n.lineno not in constant_lines]


def test_rule_modules_hold_no_numbers_but_structural_ones_and_the_allowed():
    found = []
    for path in RULE_MODULES:
        rel = str(path.relative_to(SIM))
        for line, value in literals(path):
            if value not in STRUCTURAL and (rel, value) not in ALLOWED:
                found.append(f"{rel}:{line}: {value!r}")
    assert not found, "numbers in rules that belong in the data file (with provenance):\n" + "\n".join(found)


def test_the_allow_list_is_used():
    """Each allowed literal still occurs, so the list does not outlive the code."""
    present = {(str(p.relative_to(SIM)), v) for p in RULE_MODULES for _, v in literals(p)}
    assert set(ALLOWED) <= present, set(ALLOWED) - present


def test_the_literal_scan_finds_a_number_in_a_rule(tmp_path):
    """The scan itself works: a rule with a hidden 0.7 is caught, a named constant is not."""
    rule = tmp_path / "rule.py"
    rule.write_text("LADDER = (0, 3, 5)\n\ndef rule(model, rng):\n    return rng.random() < 0.7\n", encoding="utf-8")
    assert literals(rule) == [(4, 0.7)]


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """Modules of `sim` that `path` imports, at the top or inside a function (`from . import x`
    imports the module x, not its package)."""
    rel = path.relative_to(SIM.parent).with_suffix("")
    package = list(rel.parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            base = ".".join(base + ([node.module] if node.module else []))
            out.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def import_graph():
    import networkx as nx

    paths = {}
    for path in SIM.rglob("*.py"):
        rel = path.relative_to(SIM.parent).with_suffix("")
        paths[".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)] = path
    graph = nx.DiGraph()
    for name, path in paths.items():
        graph.add_edges_from((name, other) for other in imports_of(path, set(paths)) if other in paths and other != name)
    return graph


def test_the_package_has_no_import_circle():
    """No module of sim/ imports, even lazily inside a function, one that imports it back (a circle
    is a sign that two rooms hold one thing; the house issue broke policies <-> scenario and
    model <-> runner)."""
    import networkx as nx

    graph = import_graph()
    assert graph.number_of_edges() > 100 and graph.has_edge("sim.model", "sim.inputs")
    assert not list(nx.simple_cycles(graph))
    graph.add_edge("sim.inputs", "sim.model")              # the check itself: a circle is found
    assert list(nx.simple_cycles(graph))
