"""The runtime package stays readable: no function too complex or too long to hold in one's head."""

from __future__ import annotations

import ast

from radon.complexity import cc_visit

from pipeline.config import PACKAGE_DIR

MAX_COMPLEXITY = 15
MAX_LINES = 60


def _sources():
    return sorted(PACKAGE_DIR.rglob("*.py"))


def test_no_function_above_complexity_15() -> None:
    too_complex = [
        f"{path.relative_to(PACKAGE_DIR)}:{block.lineno} {block.name} ({block.complexity})"
        for path in _sources()
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > MAX_COMPLEXITY
    ]
    assert too_complex == []


def test_no_function_above_60_lines() -> None:
    too_long = [
        f"{path.relative_to(PACKAGE_DIR)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in _sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > MAX_LINES
    ]
    assert too_long == []


def test_development_tools_are_outside_the_runtime_package() -> None:
    imports = {
        node.module
        for path in _sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not {m for m in imports if m.startswith("tests")}
    assert not (PACKAGE_DIR / "bench.py").exists() and not (PACKAGE_DIR / "evaluate.py").exists()


def test_ruff_finds_nothing() -> None:
    import subprocess
    import sys
    from pathlib import Path

    ruff = Path(sys.executable).parent / "ruff"
    project = PACKAGE_DIR.parent
    done = subprocess.run([str(ruff), "check", "pipeline", "devtools", "dags", "tests"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
