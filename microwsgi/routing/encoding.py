"""How text inside a URL path is written, for matching and for building.

Werkzeug counterpart: the ``quote`` calls spread over ``werkzeug.routing.rules``
and ``converters``, and ``werkzeug.urls._urlencode``.

The router matches a path that the application has already percent-decoded,
with two exceptions that it agreed on with the application: an encoded slash
inside a segment arrives as the three characters ``%2F``, and a literal percent
sign as ``%25``. So in a path given to the router every ``/`` separates two
segments and ``%`` only ever starts one of those two escapes. This file holds
the few functions that translate between that "matched form" and plain text,
and the percent-encoding used when building URLs.

The idea to take away: a ``/`` inside a value and a ``/`` between segments are
different things, and only percent-encoding keeps them apart. Building encodes
a slash inside a ``string`` value as ``%2F`` (Flask leaves it bare, so
``url_for("user", name="a/b")`` builds ``/user/a/b``, which no longer matches
``/user/<name>``); matching keeps ``%2F`` until the segment is cut out, then
turns it back into ``/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode

# Which characters stay unencoded where: one home for the whole package (wire.py).
from ..wire import PATH_SAFE as _PATH_SAFE
from ..wire import QUERY_VALUE_SAFE as _QUERY_SAFE
from ..wire import SEGMENT_SAFE as _SEGMENT_SAFE


def literal_as_matched(text: str) -> str:
    """Write literal rule text the way it appears in a path given to the router.

    ``"100%"`` becomes ``"100%25"``, and a slash that is *part of a value* (an
    ``any`` item such as ``"a/b"``) becomes ``"%2F"``.
    """
    return text.replace("%", "%25").replace("/", "%2F")


def unescape_value(raw: str) -> str:
    """Turn a captured value from matched form back into plain text.

    ``%2F`` is replaced first: ``%252F`` (a literal ``%2F`` in the value) then
    correctly becomes ``%2F`` rather than ``/``.
    """
    return raw.replace("%2F", "/").replace("%25", "%")


def quote_segment(value: str) -> str:
    """Percent-encode one path segment value, slashes included (``a/b`` -> ``a%2Fb``)."""
    return quote(value, safe=_SEGMENT_SAFE)


def quote_path(value: str) -> str:
    """Percent-encode a value that may span segments, keeping its slashes."""
    return quote(value, safe=_PATH_SAFE)


def quote_matched_path(path: str) -> str:
    """Percent-encode a path in matched form, ready for a ``Location`` header.

    ``%`` is left alone because in matched form it only starts ``%2F`` or
    ``%25``, which are already encoded.
    """
    return quote(path, safe=_PATH_SAFE + "%")


def encode_query(items: Iterable[tuple[str, Any]]) -> str:
    """Encode ``(key, value)`` pairs as a query string, in the order given.

    A list or tuple value becomes one ``key=value`` pair per item; ``None``
    values are dropped; spaces become ``+`` as in an HTML form.
    """
    pairs: list[tuple[str, Any]] = []
    for key, value in items:
        if isinstance(value, list | tuple):
            pairs.extend((key, item) for item in value if item is not None)
        elif value is not None:
            pairs.append((key, value))
    return urlencode(pairs, safe=_QUERY_SAFE)
