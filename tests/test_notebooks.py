"""Every analyst notebook in notebooks/ runs top to bottom without errors, with small parameters.

Notebooks are committed without outputs. A notebook's cell tagged `parameters` holds its defaults;
as papermill does, the test adds a cell tagged `injected-parameters` right after it that sets the
names below that the notebook defines (scale, replicates, ...), so each runs in seconds. A new
notebook is picked up automatically; it only needs a `parameters` cell using these names to be fast.
Each runs in its own temporary working directory (nothing is written into the repository).
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
TEST_PARAMETERS = {"SCALE": 800, "REPLICATES": 1, "SEED": 1, "SAMPLES": 2, "WORKERS": 0}


def inject_parameters(nb, values: dict) -> dict:
    """Add an `injected-parameters` cell after the `parameters` cell (papermill's convention) setting
    those of `values` the notebook defines there; returns what was injected."""
    index = next((i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if index is None:
        return {}
    defined = {t.id for node in ast.parse(nb.cells[index].source).body if isinstance(node, ast.Assign)
               for t in node.targets if isinstance(t, ast.Name)}
    chosen = {k: v for k, v in values.items() if k in defined}
    cell = nbformat.v4.new_code_cell("\n".join(f"{k} = {v!r}" for k, v in chosen.items()))
    cell.metadata["tags"] = ["injected-parameters"]
    nb.cells.insert(index + 1, cell)
    return chosen


def test_there_are_notebooks_and_each_has_a_parameters_cell():
    assert NOTEBOOKS
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert any("parameters" in c.metadata.get("tags", []) for c in nb.cells), f"{path.name}: no `parameters` cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks without outputs"
    inject_parameters(nb, TEST_PARAMETERS)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
