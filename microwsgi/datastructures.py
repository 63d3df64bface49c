"""Containers for HTTP data: several values per key, case-insensitive header names.

Werkzeug counterpart: ``werkzeug.datastructures`` (``MultiDict``,
``ImmutableMultiDict``, ``Headers``, ``EnvironHeaders``, ``MIMEAccept``,
``HeaderSet``).

The idea to take away: HTTP is not a dict. ``?tag=a&tag=b`` sends one key
twice, a response may carry two ``Set-Cookie`` headers, and ``content-type``
and ``Content-Type`` are the same header. Each class here is a small ordered
store with a dict-like face: indexing gives the *first* value, ``getlist``
gives them all.

Where we differ from Werkzeug, on purpose:

- A missing key in request data (``request.args['x']``, ``request.headers['X']``)
  raises ``BadRequestKeyError``: a ``KeyError`` (so ``except KeyError`` works)
  that answers 400. Flask answers 400 for args and form, but a missing
  *header* becomes a ``KeyError`` and so a 500; here it is a 400 too.
- ``Headers`` refuses a name or value that would break the response on the
  wire (any control character but the tab, CR and LF being header injection;
  a name that is not an HTTP token; text the server cannot encode as Latin-1)
  at the moment it is set, with a message naming the header, instead of
  failing later inside the server. The rules are ``wire.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableSet
from typing import Any, TypeVar

from .exceptions import BadRequestKeyError
from .wire import check_header_name as _check_name
from .wire import check_header_value

T = TypeVar("T")


def _convert(value: Any, type: Callable[[Any], T] | None) -> Any:
    return value if type is None else type(value)


def _converted_or_default(value: Any, default: Any, type: Callable[[Any], T] | None) -> Any:
    """``get``'s rule: a value that ``type`` rejects counts as missing."""
    try:
        return _convert(value, type)
    except (ValueError, TypeError):
        return default


# -- MultiDict ---------------------------------------------------------------


def _mapping_pairs(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """A mapping's items as pairs; a list or tuple value gives one pair per item."""
    for key, value in data.items():
        if isinstance(value, list | tuple):
            for item in value:
                yield key, item
        else:
            yield key, value


class MultiDict(Mapping[str, Any]):
    """A dict that keeps every value given for a key, in order.

    ``md[key]`` and ``md.get(key)`` give the first value; ``md.getlist(key)``
    gives all of them. Iterating, ``keys()``, ``values()`` and ``items()``
    behave like a dict whose values are the first values;
    ``items(multi=True)`` yields every pair.
    """

    def __init__(self, data: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None) -> None:
        self._lists: dict[str, list[Any]] = {}
        if data is not None:
            self._add_all(data)

    def _add_all(self, data: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        if type(data) is list:  # pairs, as the parsers give them: checked first, it is cheap
            pairs: Iterable[tuple[str, Any]] = data
        elif isinstance(data, MultiDict):
            pairs = data.items(multi=True)
        elif isinstance(data, Mapping):
            pairs = _mapping_pairs(data)
        else:
            pairs = data
        lists = self._lists
        for key, value in pairs:
            if key in lists:
                lists[key].append(value)
            else:
                lists[key] = [value]

    # Reading

    def __getitem__(self, key: str) -> Any:
        try:
            return self._lists[key][0]
        except KeyError:
            raise BadRequestKeyError(key) from None

    def get(self, key: str, default: Any = None, type: Callable[[Any], T] | None = None) -> Any:
        """The first value for ``key``, converted by ``type`` if given.

        A value that ``type`` rejects (``ValueError`` or ``TypeError``) counts
        as missing: ``args.get("page", 1, type=int)`` is 1 for ``?page=abc``.
        """
        try:
            value = self._lists[key][0]
        except KeyError:
            return default
        return _converted_or_default(value, default, type)

    def getlist(self, key: str, type: Callable[[Any], T] | None = None) -> list[Any]:
        """Every value for ``key`` (``[]`` if none); values ``type`` rejects are left out."""
        values = self._lists.get(key, [])
        if type is None:
            return list(values)
        converted = []
        for value in values:
            try:
                converted.append(type(value))
            except (ValueError, TypeError):
                continue
        return converted

    def __iter__(self) -> Iterator[str]:
        return iter(self._lists)

    def __len__(self) -> int:
        return len(self._lists)

    def __contains__(self, key: object) -> bool:
        return key in self._lists

    def keys(self) -> Any:
        return self._lists.keys()

    def values(self) -> Iterator[Any]:  # type: ignore[override]
        """The first value of each key."""
        return (values[0] for values in self._lists.values())

    def items(self, multi: bool = False) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        """``(key, first value)`` pairs, or every ``(key, value)`` pair with ``multi=True``."""
        if multi:
            return ((key, value) for key, values in self._lists.items() for value in values)
        return ((key, values[0]) for key, values in self._lists.items())

    def lists(self) -> Iterator[tuple[str, list[Any]]]:
        """``(key, [all values])`` pairs."""
        return ((key, list(values)) for key, values in self._lists.items())

    def to_dict(self, flat: bool = True) -> dict[str, Any]:
        """A plain dict: first values, or lists of all values with ``flat=False``."""
        if flat:
            return dict(self.items())
        return dict(self.lists())

    def copy(self) -> MultiDict:
        """A mutable copy (also of an immutable one)."""
        return MultiDict(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, MultiDict):
            return self._lists == other._lists
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self.items(multi=True))!r})"

    # Changing

    def __setitem__(self, key: str, value: Any) -> None:
        """Replace all values of ``key`` with this one."""
        self._lists[key] = [value]

    def __delitem__(self, key: str) -> None:
        del self._lists[key]

    def add(self, key: str, value: Any) -> None:
        """Add a value to ``key``, keeping the ones it has."""
        self._lists.setdefault(key, []).append(value)

    def setlist(self, key: str, values: Iterable[Any]) -> None:
        """Replace all values of ``key``; an empty list removes the key."""
        values = list(values)
        if values:
            self._lists[key] = values
        else:
            self._lists.pop(key, None)

    def setdefault(self, key: str, default: Any = None) -> Any:
        if key not in self._lists:
            self._lists[key] = [default]
        return self._lists[key][0]

    def pop(self, key: str, *default: Any) -> Any:
        """Remove ``key`` and return its first value (or ``default`` if missing)."""
        try:
            return self._lists.pop(key)[0]
        except KeyError:
            if default:
                return default[0]
            raise BadRequestKeyError(key) from None

    def update(self, data: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        """Add the values of ``data`` (like ``add``, not replacing; Werkzeug does the same)."""
        self._add_all(data)

    def clear(self) -> None:
        self._lists.clear()


class ImmutableMultiDict(MultiDict):
    """A ``MultiDict`` that refuses changes: ``request.args``, ``form``, ``files``.

    The request data is what the client sent; changing it in place would let one
    part of the app see something the client did not send. ``copy()`` gives a
    mutable ``MultiDict`` when you need one.
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            f"{type(self).__name__} is read-only: request data is what the client sent. "
            "Use .copy() to get a MultiDict you can change."
        )

    __setitem__ = __delitem__ = add = setlist = setdefault = pop = update = clear = _refuse


# -- Headers -----------------------------------------------------------------


def _check_value(name: str, value: Any) -> str:
    """The value as the ``str`` that is sent; refused (``ValueError``) when it may not be."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    elif not isinstance(value, str):
        value = str(value)
    return check_header_value(name, value)


class Headers:
    """Response headers: an ordered list of ``(name, value)`` pairs.

    Names are matched without regard to case and keep the case they were given
    in. A name may appear several times (``Set-Cookie``). ``headers[name]``
    gives the first value; ``headers[name] = value`` replaces all values of
    that name; ``add`` appends one more. Values may be given as ``int`` and
    the like and are stored as ``str``.
    """

    def __init__(
        self, data: Mapping[str, Any] | Iterable[tuple[str, Any]] | Headers | None = None
    ) -> None:
        self._list: list[tuple[str, str]] = []
        if data is not None:
            self.extend(data)

    # Reading

    def __getitem__(self, name: str) -> str:
        lowered = name.lower()
        for key, value in self._list:
            if key.lower() == lowered:
                return value
        raise KeyError(name)

    def get(self, name: str, default: Any = None, type: Callable[[str], T] | None = None) -> Any:
        """The first value of ``name``, converted by ``type``; ``default`` when missing or
        when ``type`` raises ``ValueError``/``TypeError``."""
        try:
            value = self[name]
        except KeyError:
            return default
        return _converted_or_default(value, default, type)

    def getlist(self, name: str, type: Callable[[str], T] | None = None) -> list[Any]:
        """Every value of ``name`` in order; values ``type`` rejects are left out."""
        lowered = name.lower()
        values = []
        for key, value in self._list:
            if key.lower() == lowered:
                try:
                    values.append(_convert(value, type))
                except (ValueError, TypeError):
                    continue
        return values

    def get_all(self, name: str) -> list[str]:
        """Every value of ``name`` in order (the name ``wsgiref.headers`` and Werkzeug use)."""
        return self.getlist(name)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        lowered = name.lower()
        return any(key.lower() == lowered for key, _ in self._list)

    def __len__(self) -> int:
        return len(self._list)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Yields ``(name, value)`` pairs, as Werkzeug's ``Headers`` does (not names)."""
        return iter(list(self._list))

    def items(self) -> list[tuple[str, str]]:
        return list(self._list)

    def keys(self) -> list[str]:
        """Every name in order; a name set twice appears twice."""
        return [key for key, _ in self._list]

    def values(self) -> list[str]:
        return [value for _, value in self._list]

    def to_wsgi_list(self) -> list[tuple[str, str]]:
        """The list ``start_response`` takes."""
        return list(self._list)

    def copy(self) -> Headers:
        new = Headers()
        new._list = list(self._list)
        return new

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Headers):
            return self._list == other._list
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._list!r})"

    # Changing

    def add(self, name: str, value: Any) -> None:
        """Append a header, keeping any others of the same name."""
        name = _check_name(name)
        self._list.append((name, _check_value(name, value)))

    @classmethod
    def _trusted(cls, pairs: list[tuple[str, str]]) -> Headers:
        """Headers from pairs the framework built and knows to be valid (no checks)."""
        headers = cls.__new__(cls)
        headers._list = pairs
        return headers

    def set(self, name: str, value: Any) -> None:
        """Replace every header of this name by one; it takes the place of the first."""
        name = _check_name(name)
        self._set_checked(name, _check_value(name, value))

    def _set_checked(self, name: str, value: str) -> None:
        """``set`` for a name and value already known to be valid."""
        lowered = name.lower()
        if not any(key.lower() == lowered for key, _ in self._list):
            self._list.append((name, value))
            return
        replaced = False
        kept = []
        for pair in self._list:
            if pair[0].lower() != lowered:
                kept.append(pair)
            elif not replaced:
                kept.append((name, value))
                replaced = True
        self._list = kept

    __setitem__ = set

    def setdefault(self, name: str, default: Any) -> str:
        """The first value of ``name``; if there is none, add ``default`` and return it."""
        try:
            return self[name]
        except KeyError:
            self.add(name, default)
            return self._list[-1][1]

    def remove(self, name: str) -> None:
        """Remove every header of this name; a missing name is not an error (as in Werkzeug)."""
        lowered = name.lower()
        self._list = [pair for pair in self._list if pair[0].lower() != lowered]

    __delitem__ = remove

    def pop(self, name: str, default: Any = None) -> Any:
        """Remove every header of this name and return the first value (or ``default``)."""
        value = self.get(name, default)
        self.remove(name)
        return value

    def extend(self, data: Mapping[str, Any] | Iterable[tuple[str, Any]] | Headers) -> None:
        """Add headers from a mapping or from ``(name, value)`` pairs, keeping existing ones.

        A mapping value that is a list or tuple adds one header per item.
        """
        if isinstance(data, Headers):
            pairs: Iterable[tuple[str, Any]] = data.items()
        elif isinstance(data, Mapping):
            pairs = _mapping_pairs(data)
        else:
            pairs = data
        for name, value in pairs:
            self.add(name, value)

    def update(self, data: Mapping[str, Any] | Iterable[tuple[str, Any]] | Headers) -> None:
        """Set headers from ``data``, replacing existing headers of the same names."""
        incoming = Headers(data)
        for name in dict.fromkeys(key.lower() for key, _ in incoming):
            self.remove(name)
        self._list.extend(incoming._list)

    def clear(self) -> None:
        self._list.clear()


# -- EnvironHeaders ----------------------------------------------------------

# PEP 3333 keeps these two without the HTTP_ prefix.
_UNPREFIXED = {"CONTENT_TYPE": "Content-Type", "CONTENT_LENGTH": "Content-Length"}


def _environ_key(name: str) -> str:
    key = name.upper().replace("-", "_")
    return key if key in _UNPREFIXED else "HTTP_" + key


class HeaderSet(MutableSet[str]):
    """A header whose value is a list of tokens, as a set: ``Allow: GET, HEAD``.

    Members keep their order and compare without regard to case. When the
    set changes, ``on_update(header_set)`` is called, so a response's
    ``allow`` rewrites its ``Allow`` header. ``str(header_set)`` is the
    header value.
    """

    def __init__(
        self,
        items: Iterable[str] = (),
        on_update: Callable[[HeaderSet], None] | None = None,
    ) -> None:
        self._items: list[str] = []
        for item in items:
            if item not in self:
                self._items.append(item)
        self.on_update = on_update

    @classmethod
    def from_header(
        cls, value: str | None, on_update: Callable[[HeaderSet], None] | None = None
    ) -> HeaderSet:
        """``"GET, HEAD"`` -> ``HeaderSet(["GET", "HEAD"])``; ``None`` gives an empty set."""
        tokens = (token.strip() for token in (value or "").split(","))
        return cls([token for token in tokens if token], on_update)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str):
            return False
        wanted = item.lower()
        return any(member.lower() == wanted for member in self._items)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def add(self, value: str) -> None:
        self.update((value,))

    def discard(self, value: str) -> None:
        wanted = value.lower()
        kept = [member for member in self._items if member.lower() != wanted]
        if len(kept) != len(self._items):
            self._items = kept
            self._changed()

    def update(self, values: Iterable[str]) -> None:
        """Add each of ``values`` not already present (one ``on_update`` call)."""
        added = False
        for value in values:
            if value not in self:
                self._items.append(value)
                added = True
        if added:
            self._changed()

    def clear(self) -> None:
        if self._items:
            self._items = []
            self._changed()

    def to_header(self) -> str:
        return ", ".join(self._items)

    def _changed(self) -> None:
        if self.on_update is not None:
            self.on_update(self)

    def __str__(self) -> str:
        return self.to_header()

    def __repr__(self) -> str:
        return f"HeaderSet({self._items!r})"


class EnvironHeaders:
    """The request's headers, read from the WSGI environ: read-only, case-insensitive.

    The server stores header ``X-Api-Key`` as ``environ["HTTP_X_API_KEY"]``
    (and ``Content-Type``/``Content-Length`` without the prefix); this view
    translates names both ways. Values are the ``str`` the server put in the
    environ (PEP 3333 decodes header bytes as Latin-1). The server joins a
    header sent several times into one comma-separated value, so ``getlist``
    gives at most one item. An empty ``Content-Type`` or ``Content-Length``
    counts as absent.

    ``headers["Missing"]`` raises ``BadRequestKeyError`` and so answers 400
    when not caught. Flask raises a bare ``KeyError`` there, which becomes a
    500: but a client that leaves out a header the app needs sent a bad
    request, so the status should say so.
    """

    def __init__(self, environ: Mapping[str, Any]) -> None:
        self.environ = environ

    def __getitem__(self, name: str) -> str:
        key = _environ_key(name)
        value = self.environ.get(key)
        # Servers often set CONTENT_TYPE/CONTENT_LENGTH to "" when the client sent neither.
        if value is None or (value == "" and key in _UNPREFIXED):
            raise BadRequestKeyError(name)
        return str(value)

    def get(self, name: str, default: Any = None, type: Callable[[str], T] | None = None) -> Any:
        try:
            value = self[name]
        except KeyError:
            return default
        return _converted_or_default(value, default, type)

    def getlist(self, name: str, type: Callable[[str], T] | None = None) -> list[Any]:
        value = self.get(name)
        if value is None:
            return []
        try:
            return [_convert(value, type)]
        except (ValueError, TypeError):
            return []

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[tuple[str, str]]:
        """Yields ``(Title-Case-Name, value)`` pairs, like ``Headers``."""
        for key, value in self.environ.items():
            if key.startswith("HTTP_"):
                yield key[5:].replace("_", "-").title(), str(value)
            elif key in _UNPREFIXED and value:
                yield _UNPREFIXED[key], str(value)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def keys(self) -> list[str]:
        return [name for name, _ in self]

    def items(self) -> list[tuple[str, str]]:
        return list(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.items()!r})"


# -- Accept ------------------------------------------------------------------


class MIMEAccept(list[tuple[str, float]]):
    """A parsed ``Accept`` header: ``(media type, quality)`` pairs, best first.

    ``"application/json" in accept`` is true when the client accepts JSON (also
    through ``*/*`` or ``application/*``); ``accept.best_match(["text/html",
    "application/json"])`` picks what to send.
    """

    def quality(self, mimetype: str) -> float:
        """How much the client wants ``mimetype``: the quality of the most specific match."""
        return self._rank(mimetype)[0]

    def _rank(self, mimetype: str) -> tuple[float, int]:
        """``(quality, specificity)`` of the most specific pattern that covers ``mimetype``
        (RFC 9110 12.5.1: ``text/html`` over ``text/*`` over ``*/*``); ``(0.0, -1)``
        when none does."""
        mimetype = mimetype.lower()
        best_specificity, best_quality = -1, 0.0
        for pattern, quality in self:
            specificity = _mime_match_specificity(pattern, mimetype)
            if specificity > best_specificity:
                best_specificity, best_quality = specificity, quality
        return best_quality, best_specificity

    def __contains__(self, mimetype: object) -> bool:
        return isinstance(mimetype, str) and self.quality(mimetype) > 0

    def best_match(self, candidates: Iterable[str], default: str | None = None) -> str | None:
        """The candidate the client prefers; ``default`` when it accepts none.

        Highest quality first; on equal quality, the candidate the client named
        more specifically (RFC 9110 12.5.1: with ``Accept: text/html, */*``,
        ``text/html`` wins over ``application/json``, which only ``*/*``
        covers); then the earlier candidate (the server's order).
        """
        best, best_rank = default, (0.0, -1)
        for candidate in candidates:
            rank = self._rank(candidate)
            if rank[0] > 0 and rank > best_rank:
                best, best_rank = candidate, rank
        return best

    @property
    def best(self) -> str | None:
        """The media type the client prefers most (the list is sorted best first); None
        when the header lists none."""
        return self[0][0] if self else None

    @property
    def accept_json(self) -> bool:
        """Whether ``application/json`` is acceptable, itself or through ``*/*`` or
        ``application/*``."""
        return "application/json" in self

    @property
    def accept_html(self) -> bool:
        """Whether ``text/html`` is acceptable, directly or through ``*/*`` or ``text/*``."""
        return "text/html" in self


def _mime_match_specificity(pattern: str, mimetype: str) -> int:
    """-1 when ``pattern`` does not cover ``mimetype``; else 0 (``*/*``), 1 (``text/*``), 2."""
    if pattern in ("*", "*/*"):
        return 0
    pattern_type, _, pattern_subtype = pattern.partition("/")
    mime_type, _, mime_subtype = mimetype.partition("/")
    if pattern_type != mime_type:
        return -1
    if pattern_subtype == "*":
        return 1
    return 2 if pattern_subtype == mime_subtype else -1
