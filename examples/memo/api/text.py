"""User text in one Unicode form, NFC, so that text that looks the same is the same.

The same word can reach the app as different code points: macOS keeps Korean
and accented letters decomposed (NFD: 우 as ᄋ + ᅮ, é as e + U+0301), while
browsers and most systems send them composed (NFC). Compared as they come, a
label "우유" typed in the page and the same name pasted from a file on a Mac are
two labels that look alike, and searching for 우유 misses a memo written in
NFD. So every text the API stores or compares (titles, contents, label names,
user ids and names, search needles) is brought to NFC on its way in, as the
W3C's Character Model for the Web recommends. Passwords are left as sent: a
hash made from other code points would no longer match.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from microwsgi import request


def nfc(value: Any) -> Any:
    """``value`` with every text in it (in lists and dicts too) in Unicode's NFC form."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(item) for item in value]
    if isinstance(value, dict):
        return {name: nfc(item) for name, item in value.items()}
    return value  # numbers, booleans, None, uploaded files


def validated_body(*, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """The request's checked body (``@operation(body=...)``), its texts in NFC but for the
    fields named in ``keep`` (a password)."""
    body: dict[str, Any] = request.validated_body  # type: ignore[attr-defined]
    return {name: value if name in keep else nfc(value) for name, value in body.items()}


def validated_args() -> dict[str, Any]:
    """The request's checked query arguments (``@operation(query=...)``), texts in NFC."""
    args: dict[str, Any] = request.validated_args  # type: ignore[attr-defined]
    return nfc(dict(args))  # type: ignore[no-any-return]
