"""Small functions for the grammar of HTTP headers: options, Accept, cookies, dates.

Werkzeug counterpart: ``werkzeug.http`` (``parse_options_header``,
``parse_accept_header``, ``parse_cookie``, ``dump_cookie``, ``http_date``,
``parse_date``).

The idea to take away: a header value is a tiny language of its own.
``text/html; charset="utf-8"`` is a value with options, ``Accept`` is a
list ranked by ``q``, a ``Cookie`` header is ``name=value`` pairs separated
by ``;``. Each function here reads or writes one of those languages and
nothing else, so it can be tested with plain strings.

Reading is lenient where the data comes from elsewhere (a browser sends every
cookie of the domain, including ones other apps set badly, so a broken cookie
is skipped rather than failing the request). Writing is strict: ``dump_cookie``
refuses a name or attribute that would produce a broken or injected header.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from .datastructures import ImmutableMultiDict, MIMEAccept
from .wire import PATH_SAFE, TOKEN_RE, has_control_character

# -- options headers (Content-Type, Content-Disposition) ---------------------

# "; key=value" where the value is a quoted string (with \-escapes) or runs to the next ";".
_OPTION_RE = re.compile(
    r"""
    ;\s*
    (?P<key>[^\s;=]+)\s*
    (?: = \s* (?: "(?P<quoted>(?:[^"\\]|\\.)*)" | (?P<plain>[^;]*) ) )?
    """,
    re.VERBOSE,
)
_QUOTED_PAIR_RE = re.compile(r"\\(.)")


def parse_options_header(value: str | None) -> tuple[str, dict[str, str]]:
    """Split ``'text/html; charset="utf-8"'`` into ``("text/html", {"charset": "utf-8"})``.

    Option names are lower-cased; quoted values are unquoted; an option
    without ``=`` gets the value ``""``. The main value is returned as sent
    (stripped); lower-case it yourself when comparing media types.
    """
    if not value:
        return "", {}
    if ";" not in value:
        return value.strip(), {}
    main, semicolon, rest = value.partition(";")
    options: dict[str, str] = {}
    for match in _OPTION_RE.finditer(semicolon + rest):
        quoted = match.group("quoted")
        if quoted is not None:
            option = _QUOTED_PAIR_RE.sub(r"\1", quoted)
        else:
            option = (match.group("plain") or "").strip()
        options[match.group("key").lower()] = option
    return main.strip(), options


def parse_accept(value: str | None) -> MIMEAccept:
    """Parse an ``Accept``-style header into ``(value, quality)`` pairs, best first.

    ``"text/html, application/json;q=0.9, */*;q=0.1"`` gives
    ``[("text/html", 1.0), ("application/json", 0.9), ("*/*", 0.1)]``.
    Values are lower-cased. An item with an unreadable ``q`` is skipped; ``q``
    is clamped to 0..1. Equal qualities keep the client's order.
    """
    items: list[tuple[str, float]] = []
    for item in (value or "").split(","):
        media, options = parse_options_header(item)
        if not media:
            continue
        try:
            quality = float(options.get("q", "1"))
        except ValueError:
            continue
        if quality != quality:  # NaN
            continue
        items.append((media.lower(), min(max(quality, 0.0), 1.0)))
    items.sort(key=lambda pair: pair[1], reverse=True)  # sort is stable: ties keep order
    return MIMEAccept(items)


# -- cookies ------------------------------------------------------------------

# RFC 6265 cookie-octet: printable ASCII except space, " , ; and backslash.
_COOKIE_OCTETS = frozenset(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '",;\\')
_COOKIE_ESCAPE_RE = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))")
_SAMESITE_VALUES = {"strict": "Strict", "lax": "Lax", "none": "None"}
# What may stay unescaped in a cookie's Path: a URL path's characters and "%"
# (for a path already escaped), but never ";", which would end the attribute.
_COOKIE_PATH_SAFE = PATH_SAFE.replace(";", "") + "%"


def _quote_cookie_value(value: str) -> str:
    """The value as sent in ``Set-Cookie``: unchanged when every character is allowed,
    else in double quotes with the other bytes written as ``\\ooo`` (octal), the
    form Python's ``http.cookies`` and Werkzeug use, which ``parse_cookie`` reverses."""
    if all(char in _COOKIE_OCTETS for char in value):
        return value
    escaped = []
    for byte in value.encode("utf-8"):
        char = chr(byte)
        escaped.append(char if char in _COOKIE_OCTETS else f"\\{byte:03o}")
    return '"' + "".join(escaped) + '"'


def _unquote_cookie_value(value: str) -> str:
    """Undo ``_quote_cookie_value``; also turn raw UTF-8 bytes (seen as Latin-1) into text."""
    if value.isascii() and not value.startswith('"'):
        return value  # the usual case
    if len(value) >= 2 and value[0] == value[-1] == '"':
        # \ooo escapes are single UTF-8 bytes, so decode only once all bytes are together.
        data = bytearray()
        inner = value[1:-1]
        position = 0
        for match in _COOKIE_ESCAPE_RE.finditer(inner):
            data += inner[position : match.start()].encode("latin-1", "replace")
            octal, char = match.groups()
            data += bytes([int(octal, 8)]) if octal else char.encode("latin-1", "replace")
            position = match.end()
        data += inner[position:].encode("latin-1", "replace")
    else:
        data = bytearray(value.encode("latin-1", "replace"))
    return data.decode("utf-8", "replace")


def parse_cookie(header: str | None) -> ImmutableMultiDict:
    """Parse a ``Cookie`` request header into an ``ImmutableMultiDict``.

    ``"a=1; b=2"`` gives ``{"a": "1", "b": "2"}``. A name sent twice keeps
    both values, first the one the browser sent first (the one with the longest
    path). A piece without ``=`` or with an empty name is skipped, and bytes
    that are not UTF-8 become U+FFFD: cookies of other apps on the same domain
    arrive too, and one broken cookie must not break every request.
    """
    pairs = []
    # PEP 3333 hands header bytes over as Latin-1 text; cookie values are UTF-8 bytes.
    for piece in (header or "").split(";"):
        name, equals, value = piece.partition("=")
        name = name.strip()
        if not equals or not name:
            continue
        pairs.append((name, _unquote_cookie_value(value.strip())))
    return ImmutableMultiDict(pairs)


def _check_cookie_attribute(what: str, value: str) -> str:
    if ";" in value or has_control_character(value):
        raise ValueError(
            f"Invalid cookie {what} {value!r}: it may not contain ';' or a control "
            "character (CR, LF, NUL, ...), which would end the attribute and let the rest "
            "inject other attributes or headers."
        )
    return value


def dump_cookie(
    key: str,
    value: str = "",
    max_age: int | timedelta | None = None,
    expires: datetime | date | int | float | str | None = None,
    path: str | None = "/",
    domain: str | None = None,
    secure: bool = False,
    httponly: bool = False,
    sync_expires: bool = False,
    max_size: int = 4093,
    samesite: str | None = None,
    partitioned: bool = False,
) -> str:
    """Build the value of a ``Set-Cookie`` header (RFC 6265 section 4.1).

    ``dump_cookie("theme", "dark", max_age=3600, httponly=True)`` gives
    ``"theme=dark; Max-Age=3600; Path=/; HttpOnly"``.

    - ``value`` is quoted (``"..."`` with octal escapes) only when it has
      characters a cookie value may not hold (space, ``;``, ``,``, ``"``, ``\\``,
      non-ASCII); ``parse_cookie`` undoes that.
    - ``max_age`` in seconds or as a ``timedelta``. Werkzeug also writes an
      ``Expires`` computed from it; here only ``sync_expires=True`` does:
      every browser in use honours ``Max-Age``, and the output stays the same
      from one second to the next.
    - ``expires`` as a ``datetime`` (naive means UTC), a Unix timestamp, or a
      ready-made date string. ``expires=0`` means "already expired".
    - ``path`` is percent-encoded where it holds characters a URL path may
      not (a ``;`` too, so it cannot end the attribute); ``domain`` loses a port and a
      leading dot (which RFC 6265 says user agents ignore) and is written in
      its IDNA (``xn--``) form.
    - ``samesite`` is ``"Strict"``, ``"Lax"`` or ``"None"`` in any case.
      Browsers ignore ``SameSite=None`` unless ``secure=True`` is set too.
    - ``partitioned=True`` adds ``Partitioned`` (CHIPS: the browser keeps a
      separate copy of the cookie for each top-level site) and implies
      ``Secure``, which browsers require of a partitioned cookie.
    - A header longer than ``max_size`` bytes (0: no limit) is still
      returned, with a ``UserWarning``: browsers silently drop cookies
      larger than about 4 kB, a bug that is otherwise hard to see.

    Raises ``ValueError`` for a key that is not an HTTP token, an invalid
    ``samesite``, a path containing a control character, or a domain or
    ``expires`` string containing ``;`` or a control character.
    """
    if not isinstance(key, str) or not TOKEN_RE.fullmatch(key):
        raise ValueError(
            f"Invalid cookie name {key!r}: a name may only contain letters, digits and "
            "!#$%&'*+-.^_`|~ (no spaces, '=', ';' or quotes)."
        )
    quoted_value = _quote_cookie_value(str(value))
    parts = [f"{key}={quoted_value}"]
    if domain:
        domain = domain.partition(":")[0].lstrip(".")
        domain = _check_cookie_attribute("domain", domain.encode("idna").decode("ascii"))
        parts.append(f"Domain={domain}")
    if isinstance(max_age, timedelta):
        max_age = int(max_age.total_seconds())
    if expires is None and max_age is not None and sync_expires:
        expires = datetime.now(UTC).timestamp() + max_age
    if expires is not None:
        if not isinstance(expires, str):
            expires = http_date(expires)
        parts.append(f"Expires={_check_cookie_attribute('expires', expires)}")
    if max_age is not None:
        parts.append(f"Max-Age={int(max_age)}")
    if path is not None:
        path = _check_cookie_attribute("path", path.replace(";", "%3B"))
        parts.append(f"Path={quote(path, safe=_COOKIE_PATH_SAFE)}")
    if secure or partitioned:
        parts.append("Secure")
    if httponly:
        parts.append("HttpOnly")
    if samesite is not None:
        canonical = _SAMESITE_VALUES.get(samesite.lower())
        if canonical is None:
            raise ValueError(
                f"Invalid samesite {samesite!r}: use 'Strict', 'Lax' or 'None' (or leave it out)."
            )
        parts.append(f"SameSite={canonical}")
    if partitioned:
        parts.append("Partitioned")
    header = "; ".join(parts)
    if max_size and len(header) > max_size:
        import warnings

        warnings.warn(
            f"The {key!r} cookie is too large: the value was {len(quoted_value)} bytes and "
            f"the whole Set-Cookie header is {len(header)} bytes, over the limit of "
            f"{max_size} bytes. Browsers may silently ignore cookies larger than this; "
            "store less in the cookie (keep large data on the server).",
            stacklevel=3,
        )
    return header


# -- dates --------------------------------------------------------------------


def http_date(moment: datetime | date | int | float | None = None) -> str:
    """Format a moment as an HTTP date: ``"Sun, 06 Nov 1994 08:49:37 GMT"`` (IMF-fixdate).

    Takes a ``datetime`` (naive means UTC), a ``date`` (midnight UTC), a Unix
    timestamp, or ``None`` for now. Day and month names are always English,
    whatever the process locale (``strftime`` would follow the locale).
    """
    if moment is None:
        moment = datetime.now(UTC)
    elif isinstance(moment, int | float):
        moment = datetime.fromtimestamp(moment, UTC)
    elif not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    # Written out by hand: the names are fixed English ones whatever the locale, and
    # importing email.utils for this would slow down `import microwsgi`.
    return (
        f"{_WEEKDAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
        f"{moment.year:04d} {moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} GMT"
    )


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_http_date(value: str | None) -> datetime | None:
    """Read an HTTP date into an aware UTC ``datetime``; ``None`` if it is not a date.

    Accepts the IMF-fixdate format and the older forms the email date parser
    understands. A date without a zone is taken as UTC.
    """
    if not value:
        return None
    from email.utils import parsedate_to_datetime  # imported on first use (import time)

    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# -- conditional requests (RFC 9110 13) ---------------------------------------

_ETAG_RE = re.compile(r'(?:W/)?"[^"]*"|\*')
# One range: "500-999", "500-" or "-500". Nineteen digits keep int() cheap and bounded.
_RANGE_RE = re.compile(r"^\s*(\d{0,19})\s*-\s*(\d{0,19})\s*$")


def _etag_listed(header: str, etag: str | None, strong: bool) -> bool:
    """Whether ``etag`` is in the ``If-Match``/``If-None-Match`` list ``header``.

    ``*`` matches any current representation. The strong comparison (for
    ``If-Match``) never matches a weak tag; the weak one (for
    ``If-None-Match``) ignores ``W/`` on both sides (RFC 9110 8.8.3.2).
    """
    tags = _ETAG_RE.findall(header)
    if "*" in tags:
        return True
    if etag is None:
        return False
    if strong:
        return not etag.startswith("W/") and etag in tags
    plain = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == plain for tag in tags)


def _whole_seconds(moment: datetime | None) -> datetime | None:
    return moment.replace(microsecond=0) if moment is not None else None


def evaluate_preconditions(
    environ: dict[str, Any], etag: str | None, last_modified: datetime | None
) -> int | None:
    """The status the request's preconditions call for: ``412``, ``304`` or ``None`` (go on).

    RFC 9110 13.2.2, in its order: ``If-Match`` (strong comparison; a failure
    is 412), else ``If-Unmodified-Since`` (412 if modified since); then
    ``If-None-Match`` (a match is 304 for GET and HEAD, 412 for other
    methods), else, for GET and HEAD, ``If-Modified-Since`` (304 if not
    modified since). ``etag`` is the representation's tag as sent
    (``'"abc"'`` or ``'W/"abc"'``); ``last_modified`` an aware datetime. An
    unreadable date is ignored, as the RFC says. ``If-Range`` is for
    ``requested_range``.
    """
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    modified = _whole_seconds(last_modified)  # HTTP dates have whole seconds
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        if not _etag_listed(if_match, etag, strong=True):
            return 412
    else:
        since = parse_http_date(environ.get("HTTP_IF_UNMODIFIED_SINCE"))
        if since is not None and modified is not None and modified > since:
            return 412
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        if _etag_listed(if_none_match, etag, strong=False):
            return 304 if method in ("GET", "HEAD") else 412
    elif method in ("GET", "HEAD"):
        since = parse_http_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
        if since is not None and modified is not None and modified <= since:
            return 304
    return None


def requested_range(
    environ: dict[str, Any], size: int, etag: str | None, last_modified: str | None
) -> tuple[int, int] | None:
    """The ``(start, end)`` (end exclusive) a ``Range`` header asks of ``size`` bytes, or
    ``None`` for the whole representation.

    RFC 9110 14.2: one byte range (``0-99``, ``100-``, or the suffix ``-100``,
    which is the whole of a shorter representation). The whole representation
    is sent (which the RFC allows) for several ranges, a header that is not a
    byte range or has a last position before its first, a stale ``If-Range``
    (a tag must match strongly, a date must equal ``last_modified``, the
    ``Last-Modified`` header's text), and an empty representation (``bytes=0-``
    of an empty file is a 200 with the empty body, as clients such as nginx's
    slice module expect). A range that starts at or past the end, or ``-0``,
    raises ``RequestedRangeNotSatisfiable`` (416, with ``Content-Range:
    bytes */size``).
    """
    header = environ.get("HTTP_RANGE")
    if not header or size == 0:
        return None
    unit, _, ranges = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in ranges:
        return None
    if_range = environ.get("HTTP_IF_RANGE")
    if if_range is not None and not _if_range_matches(if_range.strip(), etag, last_modified):
        return None
    match = _RANGE_RE.match(ranges)
    if match is None:
        return None
    first, last = match.groups()
    if first:
        start = int(first)
        if last and int(last) < start:
            return None  # "500-100" is not a range: ignore it
        end = min(int(last) + 1, size) if last else size
    elif last:
        start, end = max(size - int(last), 0), size
        if int(last) == 0:
            start = size  # "-0": zero bytes, unsatisfiable
    else:
        return None
    if start >= size:
        from .exceptions import RequestedRangeNotSatisfiable

        raise RequestedRangeNotSatisfiable(length=size)
    return start, end


def _if_range_matches(if_range: str, etag: str | None, last_modified: str | None) -> bool:
    """``If-Range``: send the range only if the representation is still the client's."""
    if if_range.startswith(('"', "W/")):
        return etag is not None and not etag.startswith("W/") and etag == if_range
    return last_modified is not None and last_modified == if_range
