"""The character-level rules of HTTP and URLs, each written once, and the I/O block size.

Werkzeug counterpart: the patterns spread over ``werkzeug.http``,
``werkzeug.urls``, ``werkzeug.sansio.utils`` (``host_is_trusted``) and
``werkzeug.datastructures`` (header value checks).

The idea to take away: a rule that two modules need must live in one place.
Which characters a header name may hold, what a ``Host`` looks like, when a
``%`` is a valid escape, which characters a URL keeps unencoded: each of these
was once written twice in this code base, and the copies drifted (one copy
accepted what the other refused). Every module that reads or writes those
things imports them from here, and ``tests/test_wire.py`` tests each rule once.

Sources: RFC 9110 (HTTP semantics: ``token``, ``field-value``, ``Host``),
RFC 3986 (URI: ``pchar``, ``query``, percent-encoding), PEP 3333 (WSGI
hands bytes over as Latin-1 text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from .exceptions import BadRequest

#: How many bytes are read or written at a time: request bodies, multipart
#: parsing, file responses and uploads saved to disk. 64 KiB is large enough
#: that the per-call overhead is negligible and small enough to stay in the
#: CPU cache.
CHUNK_SIZE = 64 * 1024

# -- header fields (RFC 9110 5.1, 5.5) ---------------------------------------

#: RFC 9110 ``token``: the characters of a header name (and of a cookie name).
TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# RFC 9110 5.5: a field value is visible characters, spaces, HTABs and obs-text
# (0x80-0xFF). Every other control character is refused: CR and LF would end
# the header (header injection), NUL truncates it in C servers, and the rest
# are forbidden on the wire and handled differently by each client.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def check_header_name(name: object) -> str:
    """``name`` if it is a valid header name (an RFC 9110 token); else ``ValueError``
    (``TypeError`` for a non-``str``)."""
    if not isinstance(name, str):
        raise TypeError(f"Header names must be str, not {type(name).__name__} ({name!r}).")
    if not TOKEN_RE.fullmatch(name):
        raise ValueError(
            f"Invalid header name {name!r}: a name may only contain letters, digits and "
            "!#$%&'*+-.^_`|~ (no spaces, colons or line breaks)."
        )
    return name


def check_header_value(name: str, value: str) -> str:
    """``value`` if it may be sent as the value of header ``name``; else ``ValueError``.

    Refused (RFC 9110 5.5): every control character except HTAB, and any
    character outside Latin-1 (PEP 3333 servers send header text as Latin-1
    bytes). The error names the header and the character.
    """
    bad = _CONTROL_RE.search(value)
    if bad:
        raise ValueError(
            f"Invalid value for header {name!r}: it contains the control character "
            f"{bad.group()!r}. RFC 9110 allows no control character in a header value but "
            "the tab; a CR or LF would end the header and let the rest inject new headers "
            "(header injection). Remove it, or encode the value."
        )
    if not value.isascii():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise ValueError(
                f"Invalid value for header {name!r}: {value!r} has characters outside "
                "Latin-1, which a WSGI server cannot send. Percent-encode it (e.g. with "
                "urllib.parse.quote) or use the RFC 8187 form such as filename*=UTF-8''..."
            ) from None
    return value


def has_control_character(text: str) -> bool:
    """True when ``text`` holds a character no header value may hold (see above)."""
    return _CONTROL_RE.search(text) is not None


# -- Host (RFC 9110 7.2, RFC 3986 3.2.2) -------------------------------------

#: A host name or IPv4 address, or a bracketed IPv6 address, then an optional
#: ``:port`` of at most five digits. Underscores are allowed (they occur in
#: internal names such as Docker service names) though DNS names have none.
HOST_RE = re.compile(r"(?:[A-Za-z0-9._\-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{0,5})?")


def split_host(host: str) -> tuple[str, str]:
    """``"example.com:8443"`` -> ``("example.com", "8443")``; ``"[::1]"`` -> ``("[::1]", "")``."""
    name, colon, port = host.rpartition(":")
    if not colon or "]" in port:
        return host, ""
    return name, port


def host_is_trusted(host: str, trusted_hosts: Iterable[str]) -> bool:
    """Whether ``host`` (a ``Host`` value, port ignored) is one of ``trusted_hosts``.

    ``"example.com"`` matches that name only; ``".example.com"`` matches it
    and every subdomain (``"api.example.com"``). Names compare without case
    (Flask's ``TRUSTED_HOSTS``, Werkzeug's ``host_is_trusted``).
    """
    name = split_host(host)[0].lower()
    if not name:
        return False
    for trusted in trusted_hosts:
        any_subdomain = trusted.startswith(".")
        trusted = split_host(trusted.removeprefix("."))[0].lower()
        if name == trusted or (any_subdomain and name.endswith("." + trusted)):
            return True
    return False


# -- percent-encoding (RFC 3986 2.1) ----------------------------------------

_BAD_PERCENT_RE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def check_percent_escapes(raw: bytes, where: str) -> None:
    """Raise ``BadRequest`` if a ``%`` in ``raw`` is not followed by two hex digits.

    ``where`` names the part of the request (``"path"``, ``"query string"``)
    for the message.
    """
    bad = _BAD_PERCENT_RE.search(raw)
    if bad:
        raise BadRequest(
            f"The {where} has a malformed percent-escape "
            f"{raw[bad.start() : bad.start() + 3]!r} in {raw[:80]!r}: every '%' must be "
            "followed by two hexadecimal digits. Send a literal '%' as '%25'."
        )


# Characters a URL keeps unencoded, by where they stand (RFC 3986 ``pchar``
# and ``query``; the WHATWG "path percent-encode set" agrees). Letters, digits
# and ``-._~`` are never encoded by ``quote``.

#: Inside one path segment: ``/`` is not among them, so a ``/`` inside a value
#: is encoded and stays distinguishable from a separator.
SEGMENT_SAFE = "!$&'()*+,:;=@"
#: A path of several segments.
PATH_SAFE = SEGMENT_SAFE + "/"
#: One key or value of a query string: ``&``, ``=``, ``+`` and ``%`` are encoded
#: because they are the query's own delimiters.
QUERY_VALUE_SAFE = "!$'()*,/:;?@"
#: A whole query string written back into a URL: its delimiters and existing
#: escapes stay as they are.
QUERY_SAFE = "/?:@!$&'()*+,;=%[]"
#: A whole URL (a redirect's ``Location``): every delimiter and escape stays.
URL_SAFE = "/:?#[]@!$&'()*+,;=%"


def display_text(value: object) -> str:
    """Environ text (PEP 3333: Latin-1 characters standing for bytes) as the UTF-8
    it usually is, for a log line, an error page or a ``repr``; bytes that are
    not UTF-8 are shown as ``\\xff`` escapes. Never raises."""
    text = str(value)
    try:
        return text.encode("latin-1").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # already decoded text (a test harness): keep it
        return text


def quote_query_bytes(query: bytes) -> str:
    """A raw query string (bytes, as the client sent them) as URL text.

    Each byte that a URL may not carry is percent-encoded on its own, so the
    UTF-8 bytes of ``é`` become ``%C3%A9``: the query is never decoded as
    Latin-1 text and encoded again (which would give ``%C3%83%C2%A9``).
    """
    return quote(query, safe=QUERY_SAFE)
