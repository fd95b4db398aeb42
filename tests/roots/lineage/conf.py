"""A small Sphinx project for testing the report's extension without a full build.

A document that runs code gets its inputs recorded by its kernel before Sphinx
reads it; here a hook plays the kernel's part, recording the file the test names
for every document with code that is about to be read.
"""

import json
import os
from pathlib import Path

from telcoai.build import execute, sphinx_ext

project = "lineage test"
extensions = []
exclude_patterns = ["_build"]


def pretend_kernels(app, env, docnames):
    for docname in docnames:
        if "{code-cell}" in Path(env.doc2path(docname)).read_text(encoding="utf-8"):
            record = execute.record_path(app, docname)
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(json.dumps({"files": [os.environ["LINEAGE_TEST_INPUT"]]}))


def setup(app):
    app.connect("env-get-outdated", sphinx_ext.explain_outdated)
    app.connect("doctree-read", sphinx_ext.note_recorded_dependencies)
    app.connect("env-before-read-docs", sphinx_ext.skip_unchanged)
    app.connect("env-before-read-docs", pretend_kernels, priority=900)
