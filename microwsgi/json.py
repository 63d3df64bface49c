"""JSON in and out: ``dumps``, ``loads``, ``jsonify`` and the app's JSON provider.

Flask counterpart: ``flask/json/__init__.py`` and ``flask/json/provider.py``.

The idea to take away: the standard library's ``json`` does the work; a web
framework only adds (1) a ``default`` function for the types views commonly
return (dates, decimals, UUIDs, dataclasses), and (2) settings that belong to
the app, which is why ``dumps`` looks up ``current_app`` when there is one.

Differences from Flask, on purpose:

* dates and datetimes become ISO 8601 (``"2026-11-24T09:30:00+00:00"``), which
  JavaScript's ``Date`` and every JSON consumer parse; Flask writes HTTP dates.
* non-ASCII text stays readable UTF-8 (``"이름"``, not ``"\\uc774\\ub984"``)
  unless ``JSON_AS_ASCII`` is set; seed 001 met the escaped form as a "bug".
* keys keep the order the view built them in unless ``JSON_SORT_KEYS`` is set.
"""

from __future__ import annotations

import json as _json
from typing import TYPE_CHECKING, Any

from .globals import _context_var

if TYPE_CHECKING:
    from .app import App
    from .response import Response


def _default(value: Any) -> Any:
    """Turn the types views commonly return into JSON types."""
    # Imported here, on the first value JSON cannot write by itself, to keep
    # ``import microwsgi`` fast.
    import dataclasses
    import decimal
    import uuid
    from datetime import date, datetime, time

    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    raise TypeError(
        f"Object of type {type(value).__name__} is not JSON serializable. "
        "Convert it to a dict, list, str, number or bool first."
    )


class JSONProvider:
    """The app's JSON settings and the functions that use them (``app.json``)."""

    mimetype = "application/json"

    def __init__(self, app: App) -> None:
        self._app = app
        self._encoders: dict[tuple[bool, bool], _json.JSONEncoder] = {}

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        config = self._app.config
        settings = (bool(config["JSON_AS_ASCII"]), bool(config["JSON_SORT_KEYS"]))
        if not kwargs:
            # json.dumps builds a new encoder whenever it is given any option; an
            # encoder holds no per-call state, so one per setting serves every request.
            encoder = self._encoders.get(settings)
            if encoder is None:
                encoder = self._encoders[settings] = _json.JSONEncoder(
                    ensure_ascii=settings[0],
                    sort_keys=settings[1],
                    default=_default,
                    separators=(",", ":"),
                )
            return encoder.encode(obj)
        kwargs.setdefault("ensure_ascii", settings[0])
        kwargs.setdefault("sort_keys", settings[1])
        kwargs.setdefault("default", _default)
        kwargs.setdefault("separators", (",", ":"))
        return _json.dumps(obj, **kwargs)

    def loads(self, text: str | bytes, **kwargs: Any) -> Any:
        return _json.loads(text, **kwargs)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """What ``jsonify`` builds: a JSON response of one value, a list, or keyword items."""
        body = self.dumps(_jsonify_value(args, kwargs)) + "\n"
        return self._app.response_class(body, mimetype=self.mimetype)


def _jsonify_value(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    if args and kwargs:
        raise TypeError("jsonify() takes positional arguments or keyword arguments, not both.")
    if len(args) == 1:
        return args[0]
    return list(args) if args else kwargs


def dumps(obj: Any, **kwargs: Any) -> str:
    """Serialize to a JSON string, with the current app's settings when there is one."""
    app_ctx = _context_var.get(None)
    if app_ctx is not None:
        return app_ctx.app.json.dumps(obj, **kwargs)
    kwargs.setdefault("ensure_ascii", False)
    kwargs.setdefault("default", _default)
    return _json.dumps(obj, **kwargs)


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """Parse JSON text (``str`` or UTF-8 ``bytes``)."""
    app_ctx = _context_var.get(None)
    if app_ctx is not None:
        return app_ctx.app.json.loads(text, **kwargs)
    return _json.loads(text, **kwargs)


def jsonify(*args: Any, **kwargs: Any) -> Response:
    """A JSON response: ``jsonify(user)``, ``jsonify([1, 2])`` or ``jsonify(ok=True)``.

    Views may also simply return a dict or a list; the app calls this for them.
    """
    app_ctx = _context_var.get(None)
    if app_ctx is not None:
        return app_ctx.app.json.response(*args, **kwargs)
    from .response import Response

    return Response(dumps(_jsonify_value(args, kwargs)) + "\n", mimetype="application/json")
