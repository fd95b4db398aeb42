"""A small Sphinx project for testing the report's extension without a full build.

A document that runs code gets its inputs recorded by its kernel; here a
source-read hook plays the kernel's part, recording the file the test names.
"""

import json
import os
from pathlib import Path

from telcoai import lineage
from telcoai.build import sphinx_ext

project = "lineage test"
extensions = []
exclude_patterns = ["_build"]


def pretend_kernel(app, docname, source):
    record = os.environ.get(lineage.ENV_VAR)
    if record and "{code-cell}" in source[0]:
        Path(record).parent.mkdir(parents=True, exist_ok=True)
        Path(record).write_text(json.dumps({"files": [os.environ["LINEAGE_TEST_INPUT"]]}))


def setup(app):
    app.connect("env-get-outdated", sphinx_ext.explain_outdated)
    app.connect("source-read", sphinx_ext.start_recording)
    app.connect("source-read", pretend_kernel, priority=900)
    app.connect("doctree-read", sphinx_ext.note_recorded_dependencies)
    app.connect("env-before-read-docs", sphinx_ext.skip_unchanged)
