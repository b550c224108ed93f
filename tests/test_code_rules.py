"""Project rules on the code itself that ruff cannot check: no function over 80 lines, and
the lower layers never import the higher ones."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_LINES = 80


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node.lineno, node.end_lineno - node.lineno + 1


def test_no_function_over_80_lines():
    long = [
        f"{path.relative_to(SRC)}:{line} {name} ({length} lines)"
        for path in sorted(SRC.rglob("*.py"))
        for name, line, length in _functions(path)
        if length > MAX_LINES
    ]
    assert not long, "functions over 80 lines: " + "; ".join(long)


def test_the_rule_sees_long_functions(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    path = tmp_path / "long.py"
    path.write_text(f"def long():\n{body}\n", encoding="utf-8")
    assert [length for _, _, length in _functions(path)] == [MAX_LINES + 1]


LOWER_LAYERS = {
    "io": ("ledger", "importers", "composite", "model", "sensitivity", "report", "cli"),
    "ledger": ("importers", "composite", "model", "sensitivity", "report", "cli"),
    "composite": ("ledger", "importers", "model", "sensitivity", "report", "cli"),
}
"""Layer -> the layers above it that it must not import (the data flow of the README)."""


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_lower_layers_never_import_higher_ones():
    package = SRC / "engagement_index"
    wrong = [
        f"{path.relative_to(SRC)} imports {name}"
        for layer, above in LOWER_LAYERS.items()
        for path in sorted((package / layer).rglob("*.py"))
        for name in _imported(path)
        if any(name.startswith(f"engagement_index.{higher}") for higher in above)
    ]
    assert not wrong, "; ".join(wrong)


def test_the_rule_sees_imports(tmp_path):
    path = tmp_path / "layer.py"
    path.write_text("import engagement_index.cli\nfrom engagement_index.model import x\n")
    assert _imported(path) == {"engagement_index.cli", "engagement_index.model"}
