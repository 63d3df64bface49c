"""The same application written five times: once per framework, each in its own idiom.

Every module defines ``app``, a WSGI callable answering the routes of
``benchmarks/scenarios.py``:

==========================  ===============================================
route                       answer
==========================  ===============================================
``GET /``                   ``Hello, World!``
``GET /user/<int:id>``      ``user <id>``
``GET /json``               a small JSON object
``POST /form``              ``<name> likes <lang>`` from a urlencoded form
``POST /items``             ``<name> x<count>`` from a JSON body
``GET /r<i>/<int:id>``      ``r<i> <id>``, for 1,000 values of ``i``
``POST /upload``            the size of the uploaded file ``file``, streamed
anything else               404 ``nothing here``, from the app's 404 handler
==========================  ===============================================

``bare_app`` is the floor: a plain function with no framework at all.
Read the modules side by side to see what each framework asks of its user.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Application name -> module, in the order tables show them.
APP_MODULES = {
    "bare": "benchmarks.apps.bare_app",
    "microwsgi": "benchmarks.apps.microwsgi_app",
    "flask": "benchmarks.apps.flask_app",
    "bottle": "benchmarks.apps.bottle_app",
    "falcon": "benchmarks.apps.falcon_app",
}

#: The package each application needs, as pip knows it.
REQUIRED_PACKAGES = {"flask": "flask", "bottle": "bottle", "falcon": "falcon"}


def load_app_module(name: str) -> ModuleType:
    """Import the module of application ``name``; ``ImportError`` says what to install."""
    try:
        return importlib.import_module(APP_MODULES[name])
    except ImportError as error:
        raise ImportError(
            f"The {name} benchmark app needs the package {REQUIRED_PACKAGES.get(name, name)!r} "
            f"({error}). Install the peers with: .venv/bin/pip install -e '.[bench]'"
        ) from error
