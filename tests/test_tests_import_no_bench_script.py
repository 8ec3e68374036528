"""No test loads a bench script: what a test and a bench share is an importable module
(linkhome/testing/), and bench/ stays a set of thin command lines that print JSON.

Tests used to load bench/extract_quality.py and bench/recommend_quality.py by file path
(importlib's spec_from_file_location, with sys.modules tricks for process pools)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Ways to run a file as a module without importing it by name.
PATH_LOADERS = {"spec_from_file_location", "SourceFileLoader", "run_path", "load_source"}


def bench_loads(source: str) -> list[str]:
    """What in this Python source imports bench or loads a module from a file path."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "bench"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "bench":
            found.append(f"from {node.module}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in PATH_LOADERS:
                found.append(f"{name}() on line {node.lineno}")
    return found


def test_no_file_under_tests_imports_or_loads_a_bench_script():
    offenders = {
        str(path.relative_to(TESTS)): loads
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()
        and (loads := bench_loads(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_sees_each_way_of_loading_a_bench_script():
    loaders = {
        "import importlib.util\n"
        "spec = importlib.util.spec_from_file_location('q', 'bench/extract_quality.py')": 1,
        "from importlib.util import spec_from_file_location\n"
        "spec_from_file_location('q', 'bench/q.py')": 1,
        "import runpy\nrunpy.run_path('bench/search.py')": 1,
        "import bench.extract_quality": 1,
        "from bench import search": 1,
        "from bench.search import load": 1,
        "from importlib.machinery import SourceFileLoader\nSourceFileLoader('q', 'b.py')": 1,
    }
    for source, count in loaders.items():
        assert len(bench_loads(source)) == count, source
    assert bench_loads("from linkhome.testing import extract_quality\nimport benchmark") == []
