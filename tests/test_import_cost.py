"""``import microwsgi`` loads only what every request needs.

Libraries and standard modules that only some requests use (templates,
multipart uploads, sessions, logging an error) are imported on first use, so
that a worker starts fast and ``import microwsgi`` stays a fraction of
``import flask`` (see benchmarks/). This test names what must stay lazy.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

LAZY_MODULES = [
    "jinja2",  # templates
    "werkzeug",  # multipart decoding, the development server
    "logging",  # App.logger
    "email",  # parsing HTTP dates
    "hashlib",  # sessions and CSRF signatures
    "tempfile",  # uploaded files
    "inspect",  # routing error messages
    "difflib",  # "did you mean" in routing errors
    "uuid",  # the uuid converter, JSON of UUIDs
    "decimal",  # JSON of decimals, float converter's to_url
    "jsonschema",  # request validation (microwsgi.openapi), an optional extra
    "swagger_ui",  # the API docs page's files, an optional extra
    "click",  # the command line
    "dotenv",  # .env files, read by the command line
]


@pytest.fixture(scope="module")
def loaded_by_import() -> set[str]:
    code = "import sys, microwsgi; print('\\n'.join(sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return {name.split(".")[0] for name in output.split()}


@pytest.mark.parametrize("module", LAZY_MODULES)
def test_import_microwsgi_does_not_load(loaded_by_import, module):
    assert module not in loaded_by_import
