"""``Request`` and ``Response`` under Flask's module name.

Flask counterpart: ``flask/wrappers.py``, where Flask subclasses Werkzeug's
request and response. Here they are written from scratch in ``request.py``
and ``response.py``; this module lets ``from microwsgi.wrappers import
Response``, the line a Flask app writes to subclass them, work after
changing only ``flask`` to ``microwsgi``.
"""

from __future__ import annotations

from .request import Request
from .response import Response

__all__ = ["Request", "Response"]
