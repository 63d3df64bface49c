"""JSON in and out: ``dumps``, ``loads``, ``dump``, ``load``, ``jsonify`` and the app's provider.

Flask counterpart: ``flask/json/__init__.py`` and ``flask/json/provider.py``.

The idea to take away: the standard library's ``json`` does the work; a web
framework only adds (1) a ``default`` function for the types views commonly
return (dates, decimals, UUIDs, dataclasses), (2) settings that belong to the
app, which is why the module-level functions look up ``current_app`` when
there is one, and (3) a guarantee that what goes out is JSON. The settings
and the functions that use them live on one object, the app's *JSON
provider* (``app.json``); an app swaps it for its own by setting
``App.json_provider_class`` or assigning ``app.json``, as in Flask::

    class OrjsonProvider(JSONProvider):
        def dumps(self, obj, **kwargs): ...
        def loads(self, s, **kwargs): ...

    app.json = OrjsonProvider(app)

Only JSON, in both directions (RFC 8259), whatever the data:

* ``NaN``, ``Infinity`` and ``-Infinity`` are not JSON. Writing one raises
  ``ValueError`` naming the problem; reading one (or a number too large for a
  float, such as ``1e999``) raises ``ValueError``, so a client that sends one
  gets a 400 from ``request.get_json()``. Python's ``json`` (and Flask) write
  and read them, and clients' parsers then reject the response.
* A lone surrogate (``"\\ud800"``, legal in JSON text, and what a client's
  ``{"\\ud800": 1}`` decodes to) cannot be encoded as UTF-8; it is written
  back as the escape ``\\ud800`` instead of failing with ``UnicodeEncodeError``.

Differences from Flask, on purpose (see ``docs/differences-from-flask.md``):

* dates and datetimes become ISO 8601 (``"2026-11-24T09:30:00+00:00"``), which
  JavaScript's ``Date`` and every JSON consumer parse; Flask writes HTTP dates.
* non-ASCII text stays readable UTF-8 (``"이름"``, not ``"\\uc774\\ub984"``)
  unless ``ensure_ascii`` (or ``JSON_AS_ASCII``) is set.
* keys keep the order the view built them in unless ``sort_keys`` (or
  ``JSON_SORT_KEYS``) is set.
"""

from __future__ import annotations

import json as _json
import re
from typing import IO, TYPE_CHECKING, Any

from ..globals import _context_var

if TYPE_CHECKING:
    from ..app import App
    from ..response import Response

# A character that UTF-8 cannot encode: half of a surrogate pair, alone.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _refuse_constant(name: str) -> Any:
    raise ValueError(
        f"{name} is not JSON (RFC 8259 has no NaN or Infinity); send a number, or null."
    )


def _finite_float(text: str) -> float:
    number = float(text)
    if number in (_INFINITY, -_INFINITY):
        raise ValueError(f"The number {text[:40]} is too large for a 64-bit float.")
    return number


_INFINITY = float("inf")
_NO_CONFIG: dict[str, Any] = {}


def _check_finite(error: ValueError) -> ValueError:
    """A clearer message for the encoder's refusal of NaN and Infinity."""
    if "Out of range float" in str(error):
        return ValueError(
            f"{error}. NaN and Infinity are not JSON (RFC 8259) and clients' parsers "
            "reject them: send None (null) or a string instead."
        )
    return error


class JSONProvider:
    """The JSON functions of one app: subclass it to use another JSON library.

    A subclass implements ``dumps`` and ``loads``; ``dump``, ``load`` and
    ``response`` (what ``jsonify`` returns) are built on them.
    """

    def __init__(self, app: App | None) -> None:
        # A plain reference (Flask keeps a weak proxy): the app and its provider live
        # and die together, and a proxy would cost an indirection on every response.
        self._app = app

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """``obj`` as JSON text."""
        raise NotImplementedError

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """The value of JSON text (``str``, or UTF-8 ``bytes``)."""
        raise NotImplementedError

    def dump(self, obj: Any, fp: IO[str], **kwargs: Any) -> None:
        """Write ``obj`` as JSON to the text file ``fp``."""
        fp.write(self.dumps(obj, **kwargs))

    def load(self, fp: IO[Any], **kwargs: Any) -> Any:
        """The value of the JSON in the file ``fp`` (text or binary)."""
        return self.loads(fp.read(), **kwargs)

    def _prepare_response_obj(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if args and kwargs:
            raise TypeError(
                "jsonify() takes either args or kwargs (positional or keyword arguments), "
                "not both: jsonify([1, 2]) or jsonify(ok=True)."
            )
        if not args and not kwargs:
            return None  # jsonify() is JSON's null, as in Flask
        if len(args) == 1:
            return args[0]
        return list(args) if args else kwargs

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """What ``jsonify`` builds: a JSON response of one value, a list, or keyword items."""
        body = self.dumps(self._prepare_response_obj(args, kwargs)) + "\n"
        return _response_class(self._app)(body, mimetype="application/json")


class DefaultJSONProvider(JSONProvider):
    """The standard library's ``json`` with the settings below (Flask's names).

    - ``default``: turns other types into JSON types (see ``default``); assign
      a function to an instance to extend it.
    - ``ensure_ascii``: escape non-ASCII text as ``\\uXXXX``. Default: the
      app's ``JSON_AS_ASCII`` (``False``; Flask's default is ``True``).
    - ``sort_keys``: sort object keys. Default: the app's ``JSON_SORT_KEYS``
      (``False``; Flask's default is ``True``).
    - ``compact``: how ``response`` writes: ``True`` without spaces, ``False``
      indented, ``None`` (default) indented in debug mode only. ``dumps``
      itself writes with the standard ``", "`` and ``": "`` separators.
    - ``mimetype``: the ``Content-Type`` of ``response`` (``application/json``).

    Each may be set on an instance (``app.json.sort_keys = True``) or on a
    subclass (``class P(DefaultJSONProvider): ensure_ascii = True``).
    """

    compact: bool | None = None
    mimetype = "application/json"
    _ensure_ascii: bool | None = None
    _sort_keys: bool | None = None

    def __init__(self, app: App | None) -> None:
        super().__init__(app)
        # json.dumps and json.loads build a new encoder or decoder whenever they are
        # given any option; neither holds per-call state, so one per combination of
        # settings serves every call.
        self._encoders: dict[tuple[Any, ...], _json.JSONEncoder] = {}
        self._decoder = _json.JSONDecoder(
            parse_constant=_refuse_constant, parse_float=_finite_float
        )

    @staticmethod
    def default(o: Any) -> Any:
        """Turn the types views commonly return into JSON types: ``date``, ``datetime``
        and ``time`` as ISO 8601, ``Decimal`` and ``UUID`` as strings, a dataclass
        as an object, anything with ``__html__`` as its markup. Anything else is a
        ``TypeError``."""
        # Imported here, on the first value JSON cannot write by itself, to keep
        # ``import microwsgi`` fast.
        import dataclasses
        import decimal
        import uuid
        from datetime import date, datetime, time

        if isinstance(o, date | datetime | time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        if hasattr(o, "__html__"):
            return str(o.__html__())
        raise TypeError(
            f"Object of type {type(o).__name__} is not JSON serializable. "
            "Convert it to a dict, list, str, number or bool first."
        )

    @property
    def ensure_ascii(self) -> bool:
        """Write non-ASCII text as ``\\uXXXX``: the value set on this provider, else the
        app's ``JSON_AS_ASCII`` (off by default)."""
        if self._ensure_ascii is not None:
            return self._ensure_ascii
        return self._app is not None and bool(self._app.config.get("JSON_AS_ASCII"))

    @ensure_ascii.setter
    def ensure_ascii(self, value: bool) -> None:
        self._ensure_ascii = value

    @property
    def sort_keys(self) -> bool:
        """Sort the keys of objects: the value set on this provider, else the app's
        ``JSON_SORT_KEYS`` (off by default)."""
        if self._sort_keys is not None:
            return self._sort_keys
        return self._app is not None and bool(self._app.config.get("JSON_SORT_KEYS"))

    @sort_keys.setter
    def sort_keys(self, value: bool) -> None:
        self._sort_keys = value

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A subclass may set ``ensure_ascii = True`` as a plain class attribute; it is
        kept where the property keeps instance settings, so that ``_encoder`` reads one
        place, without calling the properties (it runs for every JSON response)."""
        super().__init_subclass__(**kwargs)
        for name in ("ensure_ascii", "sort_keys"):
            value = cls.__dict__.get(name)
            if value is not None and not isinstance(value, property):
                setattr(cls, f"_{name}", bool(value))
                setattr(cls, name, DefaultJSONProvider.__dict__[name])

    def _encoder(self, compact: bool) -> _json.JSONEncoder:
        ensure_ascii, sort_keys = self._ensure_ascii, self._sort_keys
        if ensure_ascii is None or sort_keys is None:  # not set: the app's config decides
            config = self._app.config if self._app is not None else _NO_CONFIG
            if ensure_ascii is None:
                ensure_ascii = bool(config.get("JSON_AS_ASCII"))
            if sort_keys is None:
                sort_keys = bool(config.get("JSON_SORT_KEYS"))
        default = self.default
        key = (ensure_ascii, sort_keys, default, compact)
        encoder = self._encoders.get(key)
        if encoder is None:
            encoder = self._encoders[key] = _json.JSONEncoder(
                ensure_ascii=ensure_ascii,
                sort_keys=sort_keys,
                default=default,
                allow_nan=False,
                separators=(",", ":") if compact else None,
            )
        return encoder

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """``obj`` as JSON text, with this provider's settings; ``kwargs`` go to
        ``json.dumps`` and win over them. ``ValueError`` for NaN or Infinity."""
        try:
            if not kwargs:
                text = self._encoder(compact=False).encode(obj)
            else:
                kwargs.setdefault("default", self.default)
                kwargs.setdefault("ensure_ascii", self.ensure_ascii)
                kwargs.setdefault("sort_keys", self.sort_keys)
                kwargs.setdefault("allow_nan", False)
                text = _json.dumps(obj, **kwargs)
        except ValueError as error:
            raise _check_finite(error) from None
        return _valid_text(text)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """The value of JSON text. ``ValueError`` (``json.JSONDecodeError`` for a
        syntax error) for text that is not JSON, including NaN, Infinity and
        numbers beyond a float's range; ``RecursionError`` for nesting deeper
        than Python's recursion limit."""
        if not kwargs and type(s) is str:
            return self._decoder.decode(s)
        kwargs.setdefault("parse_constant", _refuse_constant)
        kwargs.setdefault("parse_float", _finite_float)
        return _json.loads(s, **kwargs)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """A JSON response: one value, several values as a list, or keyword items
        as an object; written compact unless ``compact`` says otherwise."""
        obj = args[0] if len(args) == 1 and not kwargs else self._prepare_response_obj(args, kwargs)
        app = self._app
        compact = self.compact
        if compact is None:
            compact = app is None or not app.config["DEBUG"]
        if not compact:
            text = self.dumps(obj, indent=2)
        else:
            try:
                text = _valid_text(self._encoder(compact=True).encode(obj))
            except ValueError as error:
                raise _check_finite(error) from None
        return _response_class(app)(text + "\n", mimetype=self.mimetype)


def _valid_text(text: str) -> str:
    """``text`` with any lone surrogate written as its ``\\uXXXX`` escape, so it encodes."""
    if text.isascii() or _SURROGATE_RE.search(text) is None:
        return text
    return _SURROGATE_RE.sub(_escape_surrogate, text)


def _response_class(app: App | None) -> type[Response]:
    if app is not None:
        return app.response_class
    from ..response import Response

    return Response


# The provider used outside an application context.
_standalone = DefaultJSONProvider(None)


def _provider() -> JSONProvider:
    app_ctx = _context_var.get(None)
    return app_ctx.app.json if app_ctx is not None else _standalone


def dumps(obj: Any, **kwargs: Any) -> str:
    """``obj`` as JSON text, with the current app's provider when there is one."""
    return _provider().dumps(obj, **kwargs)


def dump(obj: Any, fp: IO[str], **kwargs: Any) -> None:
    """Write ``obj`` as JSON to the text file ``fp``."""
    _provider().dump(obj, fp, **kwargs)


def loads(s: str | bytes, **kwargs: Any) -> Any:
    """The value of JSON text (``str`` or UTF-8 ``bytes``)."""
    return _provider().loads(s, **kwargs)


def load(fp: IO[Any], **kwargs: Any) -> Any:
    """The value of the JSON in the file ``fp``."""
    return _provider().load(fp, **kwargs)


def jsonify(*args: Any, **kwargs: Any) -> Response:
    """A JSON response: ``jsonify(user)``, ``jsonify([1, 2])`` or ``jsonify(ok=True)``.

    Views may also simply return a dict or a list: ``App.make_response`` turns
    it into the same response, through ``app.json.response`` as this does.
    """
    return _provider().response(*args, **kwargs)
