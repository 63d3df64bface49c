"""Python types as JSON Schema: what a dataclass says about the JSON it stands for.

Counterpart: none in Flask or Werkzeug. Flask extensions each bring their own
way to describe data (marshmallow schemas in flask-smorest, ``fields.*`` models
in Flask-RESTX); FastAPI reads Pydantic models. This module reads plain
dataclasses and type hints, which Python already has.

JSON Schema (https://json-schema.org, draft 2020-12, the dialect of OpenAPI
3.1) describes a JSON value with a JSON object: ``{"type": "string",
"maxLength": 200}`` is "a string of at most 200 characters". An API
description (``openapi.py``) and a request validator (``validation.py``) both
need such schemas; writing them by hand for every body is tedious, and Python
already says most of it in a class:

    @dataclass
    class MemoIn:
        title: Annotated[str, {"minLength": 1, "maxLength": 200}]
        body: str = ""
        labels: list[str] = field(default_factory=list)

becomes, under the name ``MemoIn``::

    {"type": "object",
     "properties": {"title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "body": {"type": "string", "default": ""},
                    "labels": {"type": "array", "items": {"type": "string"}}},
     "required": ["title"],
     "additionalProperties": false}

The rules, one per kind of type hint:

=====================================  ==========================================
``str``, ``int``, ``float``, ``bool``  ``string``, ``integer``, ``number``, ``boolean``
``None``                               ``null``
``X | None``, ``Optional[X]``          ``{"type": [X, "null"]}`` (``anyOf`` when X is not
                                       a plain type)
``X | Y``                              ``anyOf``
``list[X]``, ``Sequence[X]``,          ``array`` of X (``set``: ``uniqueItems``)
``set[X]``, ``tuple[X, ...]``
``tuple[X, Y]``                        ``array`` with ``prefixItems``, exactly 2 items
``dict[str, X]``, ``Mapping[str, X]``  ``object`` whose values are X
``Literal["a", "b"]``, an ``Enum``     ``enum`` (an ``Enum`` by its values)
``datetime``, ``date``, ``time``,      ``string`` with ``format`` ``date-time``,
``UUID``                               ``date``, ``time``, ``uuid``
``UploadedFile``, ``bytes``            ``string`` with ``format: binary`` (a file in a form)
``Any``                                ``{}``: anything
``Annotated[X, {...}]``                X's schema with the dict's keywords added
a dataclass, a ``TypedDict``           ``{"$ref": ".../Name"}``, the object described once
=====================================  ==========================================

A dataclass field with a default (or a ``default_factory``) is not required,
and a default that JSON can write is shown as ``default``. A dataclass takes
no other fields (``additionalProperties: false``): ``MemoIn(**body)`` must not
fail on a key the class does not have. Its docstring, if it has one, is the
schema's ``description``.

The idea to take away: a named type becomes a *reference*. Each dataclass is
written out once, in a table of definitions (OpenAPI's
``components/schemas``), and every use of it is ``{"$ref":
"#/components/schemas/MemoIn"}``. That keeps the document small, lets a class
refer to itself (a tree of comments), and gives clients one name per type.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import enum
import inspect
import json
import types
import typing
import uuid
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from .formparser import UploadedFile

#: A schema as the API accepts it: a JSON Schema dict (which may hold types
#: among its values, e.g. ``{"type": "array", "items": MemoOut}``), a
#: dataclass, or any type hint the table above lists.
Schema = dict[str, Any] | type

#: Where OpenAPI keeps named schemas, and so where references point.
COMPONENTS_PREFIX = "#/components/schemas/"

_SIMPLE_TYPES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    type(None): {"type": "null"},
    datetime.datetime: {"type": "string", "format": "date-time"},
    datetime.date: {"type": "string", "format": "date"},
    datetime.time: {"type": "string", "format": "time"},
    uuid.UUID: {"type": "string", "format": "uuid"},
    bytes: {"type": "string", "format": "binary"},
    UploadedFile: {"type": "string", "format": "binary"},
}
_ARRAYS = (list, tuple, Sequence, MutableSequence)
_SETS = (set, frozenset, AbstractSet)
_MAPPINGS = (dict, Mapping, MutableMapping)


class SchemaRegistry:
    """Turns schemas into JSON Schema, collecting named ones as definitions.

    ``schema(MemoIn)`` returns ``{"$ref": prefix + "MemoIn"}`` and puts the
    object itself in ``definitions["MemoIn"]``; the same class used again
    adds nothing. Two different classes with one name raise ``ValueError``
    (clients would see one type where there are two).
    """

    def __init__(self, ref_prefix: str = COMPONENTS_PREFIX) -> None:
        self.ref_prefix = ref_prefix
        #: Name -> JSON Schema of every named type met so far, in the order met.
        self.definitions: dict[str, dict[str, Any]] = {}
        self._owners: dict[str, Any] = {}

    def schema(self, value: Any) -> dict[str, Any]:
        """The JSON Schema for ``value``: a dict (copied, types inside it converted) or a type.

        Raises ``TypeError`` for a type hint that has no JSON form (a class
        that is not a dataclass, ``Decimal``...), naming the way out.
        """
        if isinstance(value, Mapping):
            return {key: self._value(item) for key, item in value.items()}
        return self._type(value)

    def object_schema(self, value: Any) -> dict[str, Any]:
        """Like ``schema``, but a named type is given inline rather than as a reference.

        Query parameters and form fields are listed one by one from an object's
        ``properties``, so the object itself is needed, not a pointer to it.
        """
        if isinstance(value, type) and dataclasses.is_dataclass(value):
            return self._dataclass(value)  # the classes it uses are still named
        if isinstance(value, type) and typing.is_typeddict(value):
            return self._typeddict(value)
        return self.resolve(self.schema(value))

    def resolve(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """Follow a reference to one of this registry's definitions; other schemas unchanged."""
        reference = schema.get("$ref")
        if isinstance(reference, str) and reference.startswith(self.ref_prefix):
            target = self.definitions.get(reference[len(self.ref_prefix) :])
            if target is not None:
                extra = {key: item for key, item in schema.items() if key != "$ref"}
                return {**copy.deepcopy(target), **extra}
        return dict(schema)

    def register(self, name: str, owner: Any, schema: Mapping[str, Any]) -> dict[str, Any]:
        """Add a named schema written by hand (``owner`` tells two same-named schemas apart)."""
        reference = {"$ref": self.ref_prefix + name}
        if self._claim(name, owner):
            self.definitions[name] = self.schema(schema)
        return reference

    # -- one value of a dict schema ---------------------------------------

    def _value(self, item: Any) -> Any:
        if isinstance(item, Mapping):
            return {key: self._value(inner) for key, inner in item.items()}
        if isinstance(item, list | tuple):
            return [self._value(inner) for inner in item]
        if _is_type_hint(item):
            return self._type(item)
        return copy.deepcopy(item)

    # -- type hints ----------------------------------------------------------

    def _type(self, hint: Any) -> dict[str, Any]:
        if hint is None:
            return {"type": "null"}
        if isinstance(hint, type) and hint in _SIMPLE_TYPES:  # some hints cannot be hashed
            return dict(_SIMPLE_TYPES[hint])
        if hint is Any or hint is object:
            return {}
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin is typing.Annotated:
            schema = self._type(args[0])
            for extra in args[1:]:
                if isinstance(extra, Mapping):
                    schema.update(self.schema(extra))
            return schema
        if origin is typing.Union or origin is types.UnionType:
            return self._union(args)
        if origin is typing.Literal:
            return _enum_schema(list(args))
        if origin in _ARRAYS or origin in _SETS:
            return self._array(origin, args)
        if origin in _MAPPINGS:
            values = self._type(args[1]) if len(args) == 2 else {}
            return (
                {"type": "object", "additionalProperties": values} if values else {"type": "object"}
            )
        if isinstance(hint, type):
            if issubclass(hint, enum.Enum):
                return _enum_schema([member.value for member in hint])
            if dataclasses.is_dataclass(hint):
                return self._named(hint, self._dataclass)
            if typing.is_typeddict(hint):
                return self._named(hint, self._typeddict)
            if hint in _ARRAYS or hint in _SETS:
                return self._array(hint, ())
            if hint in _MAPPINGS:
                return {"type": "object"}
            for known, schema in _SIMPLE_TYPES.items():  # a subclass of str, int, date...
                if isinstance(known, type) and issubclass(hint, known) and known is not bool:
                    return dict(schema)
        raise TypeError(
            f"Cannot describe {_name_of(hint)} as JSON Schema. Use a dataclass, a built-in "
            "type (str, int, float, bool, list[...], dict[str, ...]), or give the schema "
            f"yourself: Annotated[{_name_of(hint)}, {{'type': 'string', ...}}] or a dict."
        )

    def _union(self, args: tuple[Any, ...]) -> dict[str, Any]:
        nullable = type(None) in args
        choices = [self._type(arg) for arg in args if arg is not type(None)]
        if len(choices) == 1 and nullable:
            only = choices[0]
            kind = only.get("type")
            if isinstance(kind, str) and "enum" not in only and "const" not in only:
                return {**only, "type": [kind, "null"]}
            return {"anyOf": [only, {"type": "null"}]}
        if nullable:
            choices.append({"type": "null"})
        return {"anyOf": choices}

    def _array(self, origin: Any, args: tuple[Any, ...]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array"}
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            if args == ((),):  # tuple[()]: the empty tuple
                return {"type": "array", "maxItems": 0}
            schema["prefixItems"] = [self._type(arg) for arg in args]
            schema["minItems"] = schema["maxItems"] = len(args)
            return schema
        if args:
            schema["items"] = self._type(args[0])
        if origin in _SETS:
            schema["uniqueItems"] = True
        return schema

    # -- named types ------------------------------------------------------

    def _named(self, cls: type, describe: Any) -> dict[str, Any]:
        name = cls.__name__
        reference = {"$ref": self.ref_prefix + name}
        if self._claim(name, cls):
            self.definitions[name] = {}  # claimed first, so that the class may refer to itself
            self.definitions[name] = describe(cls)
        return reference

    def owner(self, name: str) -> Any:
        """What ``name`` describes so far (a class, or the owner given to ``register``), or None."""
        return self._owners.get(name)

    def _claim(self, name: str, owner: Any) -> bool:
        """True if ``name`` is new (now owned by ``owner``); False if ``owner`` has it already."""
        current = self._owners.get(name)
        if current is None:
            self._owners[name] = owner
            return True
        if current is owner:
            return False
        raise ValueError(
            f"Two schemas are named {name!r}: {_name_of(current)} and {_name_of(owner)}. "
            "A client would see one type where there are two; rename one of them."
        )

    def _dataclass(self, cls: type) -> dict[str, Any]:
        hints = _type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in dataclasses.fields(cls):
            if not field.init:  # computed in __post_init__: a client cannot send it
                continue
            schema = self._type(hints.get(field.name, Any))
            if field.default is not dataclasses.MISSING:
                default = (
                    field.default.value if isinstance(field.default, enum.Enum) else field.default
                )
                if _is_json(default):
                    # As JSON writes it: a tuple default is the array a client would send.
                    schema["default"] = json.loads(json.dumps(default))
            elif field.default_factory is dataclasses.MISSING:
                required.append(field.name)
            properties[field.name] = schema
        return _object(cls, properties, required, closed=True)

    def _typeddict(self, cls: Any) -> dict[str, Any]:
        hints = _type_hints(cls)
        # Required[...] and NotRequired[...] (PEP 655) say whether a key is required; the
        # value's type is inside. Read from the hints, not only from __required_keys__,
        # which misses them when annotations are strings (``from __future__ import
        # annotations``) on Python 3.11.
        properties = {name: self._type(_key_value_type(hint)) for name, hint in hints.items()}
        required = [name for name, hint in hints.items() if _key_is_required(cls, name, hint)]
        return _object(cls, properties, required, closed=False)


def _object(
    cls: type, properties: dict[str, Any], required: list[str], closed: bool
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    description = _own_docstring(cls)
    if description:
        schema["description"] = description
    schema["properties"] = properties
    if required:
        schema["required"] = required
    if closed:
        schema["additionalProperties"] = False
    return schema


_KEY_QUALIFIERS = frozenset(
    qualifier
    for qualifier in (typing.Required, typing.NotRequired, getattr(typing, "ReadOnly", None))
    if qualifier is not None
)


def _key_value_type(hint: Any) -> Any:
    """A TypedDict key's type without its qualifiers: ``NotRequired[str]`` is ``str``."""
    while typing.get_origin(hint) in _KEY_QUALIFIERS:
        hint = typing.get_args(hint)[0]
    return hint


def _key_is_required(cls: Any, name: str, hint: Any) -> bool:
    """Whether TypedDict ``cls`` requires key ``name``: its qualifier, else its class's totality."""
    qualifier = typing.get_origin(hint)
    if qualifier is typing.Required:
        return True
    if qualifier is typing.NotRequired:
        return False
    return name in cls.__required_keys__


def _type_hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except NameError as error:
        raise TypeError(
            f"Cannot read the type hints of {_name_of(cls)}: {error}. A type named in a hint "
            "must be importable from the class's module (define it at module level)."
        ) from None


def _own_docstring(cls: type) -> str | None:
    """The class's docstring, but not the signature ``@dataclass`` writes when there is none."""
    doc = cls.__dict__.get("__doc__")
    if not doc or (dataclasses.is_dataclass(cls) and doc.startswith(cls.__name__ + "(")):
        return None
    return inspect.cleandoc(doc)


def _enum_schema(values: list[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = {"enum": values}
    kinds = {_json_type(value) for value in values}
    if len(kinds) == 1 and None not in kinds:
        schema = {"type": kinds.pop(), **schema}
    return schema


def _json_type(value: Any) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


def _is_json(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _is_type_hint(value: Any) -> bool:
    return isinstance(value, type) or typing.get_origin(value) is not None or value is Any


def _name_of(value: Any) -> str:
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)
