"""Finish a podgen project: write the blueprint and render its manifests with podgen.

This file is static: no answer given to cookiecutter is ever written into it. The answers
arrive as data, in the JSON file the template wrote (with `jsonify`), and podgen's library
turns them into a blueprint and manifests, with the same checks as `podgen render`. It uses
no network. If anything is invalid it exits non-zero, and cookiecutter removes the project.
"""

import json
import pathlib
import sys

try:
    from podgen._errors import PodgenError
    from podgen._front.scaffold import CONTEXT_FILE, finish_project
except ImportError:
    sys.stderr.write("error: install podgen where cookiecutter runs: pip install podgen\n")
    sys.exit(1)

here = pathlib.Path.cwd()
answers = json.loads((here / CONTEXT_FILE).read_text(encoding="utf-8"))
(here / CONTEXT_FILE).unlink()
try:
    finish_project(here, answers)
except PodgenError as error:
    sys.stderr.write(f"error: {error}\n")
    sys.exit(1)
