"""``JSONProvider`` and ``DefaultJSONProvider`` under Flask's module name.

Flask counterpart: ``flask/json/provider.py``. The classes live in
``microwsgi/json/__init__.py`` beside the functions that use them; this
module lets ``from microwsgi.json.provider import DefaultJSONProvider``, the
line a Flask app writes, work after changing only ``flask`` to ``microwsgi``.
"""

from __future__ import annotations

from . import DefaultJSONProvider, JSONProvider

__all__ = ["DefaultJSONProvider", "JSONProvider"]
