"""Recorded lineage: a chapter's kernel notes exactly the repository files it reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT


def record_of(code: str, tmp_path) -> list[str]:
    record = tmp_path / "record.json"
    env = dict(os.environ, TELCOAI_LINEAGE_RECORD=str(record), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-c", code], cwd=ROOT / "chapters", env=env, check=True)
    return json.loads(record.read_text())["files"]


def test_a_table_read_through_an_undeclared_helper_is_recorded(tmp_path):
    # Nothing declares this read: it is found because the file was opened.
    files = record_of("import telcoai, pandas\npandas.read_csv('../data/gpu_rental_prices.csv')", tmp_path)
    assert "data/gpu_rental_prices.csv" in files
    assert "data/financials.csv" not in files


def test_loading_a_table_records_it_and_what_it_refers_to_only(tmp_path):
    files = record_of("import telcoai\ntelcoai.load('financials')", tmp_path)
    assert {"data/financials.csv", "data/entities.csv", "data/datapackage.json"} <= set(files)
    assert "data/project_events.csv" not in files and "data/claims.csv" not in files


def test_the_package_modules_imported_are_recorded_and_build_side_ones_are_not(tmp_path):
    files = record_of("import telcoai\nfrom telcoai.kernel import capex\ncapex.capex_panel()", tmp_path)
    assert {"telcoai/__init__.py", "telcoai/kernel/capex.py", "telcoai/kernel/currency.py"} <= set(files)
    assert not {"telcoai/build/sphinx_ext.py", "telcoai/build/pdf.py", "telcoai/build/downloads.py"} & set(files)


def test_the_citation_file_is_recorded_when_read(tmp_path):
    files = record_of("import telcoai\nopen('../CITATION.cff').read()", tmp_path)
    assert "CITATION.cff" in files


def test_a_folder_the_chapter_lists_is_recorded_and_one_python_searches_for_modules_is_not(tmp_path):
    # Python lists a package's folder again when its caches are cleared and it looks for a module there.
    files = record_of("import importlib, telcoai\nimportlib.invalidate_caches()\n"
                      "from telcoai.kernel import editions, scenarios\neditions.editions()", tmp_path)
    assert "editions/" in files and "editions/0.1.0/CITATION.cff" in files
    assert not {"telcoai/", "telcoai/kernel/", "chapters/"} & set(files)


def test_a_listed_folder_is_digested_by_its_entries(tmp_path):
    from telcoai.build.sphinx_ext import _digest

    (tmp_path / "0.1.0").mkdir()
    first = _digest(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    assert _digest(tmp_path) == first   # a cache is not an entry
    (tmp_path / "0.2.0").mkdir()
    assert _digest(tmp_path) != first


def test_without_the_variable_nothing_is_recorded(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TELCOAI_LINEAGE_RECORD"}
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run([sys.executable, "-c", "import telcoai; telcoai.load('entities')"], cwd=ROOT, env=env, check=True)
    assert not any(tmp_path.iterdir())


def test_the_kernel_side_never_imports_the_build_side():
    import ast

    offenders = []
    for path in sorted((ROOT / "telcoai" / "kernel").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {name}" for name in names if name.startswith("telcoai.build")]
    assert offenders == []
