"""Another city is a data file: no id of the Shanwei file is written into the code.

Every string literal in `sim/` (docstrings aside: prose may say where a rule comes from) is checked
against the ids of `sim/data/shanwei.yaml` (places, sectors, age bands, key enterprises, technical
schools, education groups) and against the names of the city and of its outside market. The one
exception is `params.DEFAULT_CITY`, the packaged city a scenario runs when it names none; the
plans' measures in `sim/policies/` keep their plan names (e.g. `shenzhen_cooperation`, 深汕劳务协作),
which are measure ids, not ids of the city's places or sectors.
"""

from __future__ import annotations

import ast
from pathlib import Path

from sim.params import DEFAULT_CITY, load_city

SIM = Path(__file__).resolve().parent.parent / "sim"
ID_TABLES = ("places", "sectors", "age_bands", "key_enterprises", "technical_schools", "education_by_age")


def city_ids() -> set[str]:
    data = load_city(DEFAULT_CITY)
    ids = {row for table in ID_TABLES for row in data.table(table)}
    return ids | {data.meta["city"], data.meta["name_zh"], *data.meta["outside_market"].values()}


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes of the module, its classes and functions."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                out.add(id(first.value))
    return out


def strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in skip]


def offending(path: Path, ids: set[str]) -> list[str]:
    rel = str(path.relative_to(SIM))
    names = {i for i in ids if not i.isascii() or i[0].isupper()}        # the city's and market's names
    found = []
    for line, text in strings(path):
        if rel == "params.py" and text == DEFAULT_CITY:
            continue
        if text in ids or text.lower() == DEFAULT_CITY or any(name in text for name in names):
            found.append(f"{rel}:{line}: {text!r}")
    return found


def test_no_id_of_the_shanwei_file_is_written_into_the_code():
    ids = city_ids()
    assert {"chengqu_core", "public_services", "a16_19", "Shenzhen", "汕尾市"} <= ids
    found = [hit for path in sorted(SIM.rglob("*.py")) if "policies" not in path.parts
             for hit in offending(path, ids)]
    assert not found, "Shanwei ids in the code (they belong in the city file):\n" + "\n".join(found)


def test_the_policies_name_no_place_or_sector_of_the_city():
    ids = {i for i in city_ids() if i.isascii() and not i[0].isupper()}
    found = [hit for path in sorted((SIM / "policies").glob("*.py")) for hit in offending(path, ids)]
    assert not found, found


def test_the_scan_finds_an_id(tmp_path):
    """The scan works: a rule naming a sector id is caught; the same id in a docstring is not."""
    rule = tmp_path / "rule.py"
    rule.write_text('"""Catering (catering) is a sector."""\n\ndef f(w):\n    return w.sector_index["catering"]\n',
                    encoding="utf-8")
    assert [text for _, text in strings(rule)] == ["catering"]
