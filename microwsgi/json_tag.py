"""Tagged JSON: JSON that gives back tuples, bytes, datetimes, UUIDs and ``Markup``.

Flask counterpart: ``flask/json/tag.py`` (``flask.json.tag``).

The idea to take away: JSON knows six types (object, array, string, number,
true/false, null), so ``json.loads(json.dumps((1, 2)))`` is the list
``[1, 2]``, and bytes or a datetime cannot be written at all. The session
cookie needs the value back exactly as it was stored, so each value of
another type is written as a one-key object whose key names the type, a
*tag*::

    (1, 2)                  ->  {" t": [1, 2]}
    b"\\xff"                 ->  {" b": "/w=="}
    uuid.UUID("12...")      ->  {" u": "12..."}
    datetime(2026, 1, 2)    ->  {" d": "2026-01-02T00:00:00"}
    Markup("<b>hi</b>")     ->  {" m": "<b>hi</b>"}

Reading turns every such object back into its value. The keys start with a
space, which real keys rarely do; a dict that happens to look like a tag
(``{" t": "text"}``) is itself wrapped, as ``{" di": {" t__": "text"}}``, so
no stored value is ever mistaken for another.

A ``TaggedJSONSerializer`` holds the tags in the order they are tried; an
app can ``register`` a tag of its own for another type (a subclass of
``JSONTag`` with a ``key`` and ``check``/``to_json``/``to_python``).

Differences from Flask, on purpose: a datetime is written in ISO 8601 with
its microseconds and its offset (Flask writes an HTTP date, which keeps
whole seconds only and turns every datetime into an aware UTC one), so it
comes back equal and of the same kind, naive or aware.
"""

from __future__ import annotations

import json
import sys
from base64 import b64decode, b64encode
from datetime import datetime
from typing import Any


class JSONTag:
    """How one type is written to JSON and read back.

    Subclasses set ``key`` (a string starting with a space, by convention)
    and write ``check`` (is this value mine?), ``to_json`` (the value as JSON
    types; call ``self.serializer.tag`` on values inside it) and
    ``to_python`` (the inverse). A tag with an empty ``key`` only rewrites
    what is inside a value (see ``PassDict``) and is never looked up when
    reading.
    """

    __slots__ = ("serializer",)

    #: The tag's key in the JSON object; empty for a tag that writes no object.
    key: str = ""

    def __init__(self, serializer: TaggedJSONSerializer | None) -> None:
        self.serializer: Any = serializer

    def check(self, value: Any) -> bool:
        """Whether this tag writes ``value``."""
        raise NotImplementedError

    def to_json(self, value: Any) -> Any:
        """``value`` as JSON types (without the tag itself)."""
        raise NotImplementedError

    def to_python(self, value: Any) -> Any:
        """The value that ``to_json`` wrote as ``value``."""
        raise NotImplementedError

    def tag(self, value: Any) -> Any:
        """``value`` as JSON types, wrapped in ``{key: ...}``."""
        return {self.key: self.to_json(value)}


class TagDict(JSONTag):
    """A one-key dict whose key is a tag's: wrapped, so it is not read as that tag.

    ``{" t": "text"}`` is written as ``{" di": {" t__": "text"}}``; reading
    drops the two underscores again.
    """

    __slots__ = ()
    key = " di"

    def check(self, value: Any) -> bool:
        return (
            isinstance(value, dict)
            and len(value) == 1
            and next(iter(value)) in self.serializer.tags
        )

    def to_json(self, value: Any) -> Any:
        (key,) = value
        return {f"{key}__": self.serializer.tag(value[key])}

    def to_python(self, value: Any) -> Any:
        (key,) = value
        return {key[:-2]: value[key]}


class PassDict(JSONTag):
    """Any other dict: stays a JSON object, with its values tagged."""

    __slots__ = ()

    def check(self, value: Any) -> bool:
        return isinstance(value, dict)

    def to_json(self, value: Any) -> Any:
        # JSON object keys are strings, so only the values can need a tag.
        tag = self.serializer.tag
        return {key: tag(item) for key, item in value.items()}

    tag = to_json


class TagTuple(JSONTag):
    """A tuple: a JSON array under ``" t"``, so it comes back as a tuple."""

    __slots__ = ()
    key = " t"

    def check(self, value: Any) -> bool:
        return isinstance(value, tuple)

    def to_json(self, value: Any) -> Any:
        tag = self.serializer.tag
        return [tag(item) for item in value]

    def to_python(self, value: Any) -> Any:
        return tuple(value)


class PassList(JSONTag):
    """A list: stays a JSON array, with its items tagged."""

    __slots__ = ()

    def check(self, value: Any) -> bool:
        return isinstance(value, list)

    def to_json(self, value: Any) -> Any:
        tag = self.serializer.tag
        return [tag(item) for item in value]

    tag = to_json


class TagBytes(JSONTag):
    """Bytes: base64 text under ``" b"``."""

    __slots__ = ()
    key = " b"

    def check(self, value: Any) -> bool:
        return isinstance(value, bytes)

    def to_json(self, value: Any) -> Any:
        return b64encode(value).decode("ascii")

    def to_python(self, value: Any) -> Any:
        return b64decode(value, validate=True)


class TagMarkup(JSONTag):
    """Text already safe for HTML (anything with ``__html__``, such as
    ``Markup``): its HTML under ``" m"``, read back as ``Markup`` so that
    templates do not escape it a second time."""

    __slots__ = ()
    key = " m"

    def check(self, value: Any) -> bool:
        return callable(getattr(value, "__html__", None))

    def to_json(self, value: Any) -> Any:
        return str(value.__html__())

    def to_python(self, value: Any) -> Any:
        from markupsafe import Markup  # Jinja2's; imported only when a Markup is read

        return Markup(value)


class TagUUID(JSONTag):
    """A UUID: its 32 hex digits under ``" u"``."""

    __slots__ = ()
    key = " u"

    def check(self, value: Any) -> bool:
        # A UUID can only exist once the uuid module is loaded: looking it up
        # rather than importing it keeps ``import microwsgi`` from loading it.
        uuid = sys.modules.get("uuid")
        return uuid is not None and isinstance(value, uuid.UUID)

    def to_json(self, value: Any) -> Any:
        return value.hex

    def to_python(self, value: Any) -> Any:
        from uuid import UUID

        return UUID(value)


class TagDateTime(JSONTag):
    """A datetime: ISO 8601 under ``" d"``, with microseconds and offset, so the
    value read back is equal to the one written, naive or aware alike."""

    __slots__ = ()
    key = " d"

    def check(self, value: Any) -> bool:
        return isinstance(value, datetime)

    def to_json(self, value: Any) -> Any:
        return value.isoformat()

    def to_python(self, value: Any) -> Any:
        return datetime.fromisoformat(value)


class TaggedJSONSerializer:
    """Writes values to JSON text with tags, and reads them back.

    ``dumps`` and ``loads`` are what the session uses; ``tag`` and ``untag``
    do one value. Raises ``TypeError`` from ``dumps`` for a value that no tag
    and no JSON type covers (the message of the app's JSON provider, which
    also writes dates, decimals and dataclasses, one way).
    """

    #: The tags every serializer starts with, in the order they are tried.
    #: ``TagDict`` comes before ``PassDict``, which would take every dict.
    default_tags: list[type[JSONTag]] = [
        TagDict,
        PassDict,
        TagTuple,
        PassList,
        TagBytes,
        TagMarkup,
        TagUUID,
        TagDateTime,
    ]

    def __init__(self) -> None:
        #: Tags by key, for reading.
        self.tags: dict[str, JSONTag] = {}
        #: Tags in the order ``tag`` tries them, for writing.
        self.order: list[JSONTag] = []
        for tag_class in self.default_tags:
            self.register(tag_class)

    def register(
        self, tag_class: type[JSONTag], force: bool = False, index: int | None = None
    ) -> None:
        """Add a tag: at the end of the order, or at ``index`` (``0`` to try it first).

        Raises ``KeyError`` if another tag has the same key, unless ``force``
        (which replaces it).
        """
        tag = tag_class(self)
        key = tag.key
        if key:
            if key in self.tags and not force:
                raise KeyError(
                    f"Tag {key!r} is already registered (by {type(self.tags[key]).__name__}); "
                    "pass force=True to replace it."
                )
            self.tags[key] = tag
        if index is None:
            self.order.append(tag)
        else:
            self.order.insert(index, tag)

    def tag(self, value: Any) -> Any:
        """``value`` as JSON types, tagged where JSON alone would lose its type."""
        for tag in self.order:
            if tag.check(value):
                return tag.tag(value)
        return value

    def untag(self, value: dict[str, Any]) -> Any:
        """The value a tagged JSON object stands for; any other object unchanged."""
        if len(value) != 1:
            return value
        (key,) = value
        tag = self.tags.get(key)
        if tag is None:
            return value
        return tag.to_python(value[key])

    def dumps(self, value: Any) -> str:
        """``value`` as compact tagged JSON text."""
        from .json import dumps  # the app's JSON settings when there is an app

        return dumps(self.tag(value), separators=(",", ":"))

    def loads(self, value: str | bytes) -> Any:
        """The value ``dumps`` wrote as ``value``.

        ``json`` calls ``untag`` on each object as soon as it is read, the
        innermost first, so a tag's ``to_python`` always gets values that are
        already Python ones.
        """
        return json.loads(value, object_hook=self.untag)
