"""Request validation: checking a body and a query string against JSON Schema before the view.

Counterpart: none in Flask or Werkzeug; flask-smorest's ``@blp.arguments``
and Flask-RESTX's ``@api.expect(validate=True)`` do this job as extensions.

An operation that declares ``body=`` or ``query=`` (see ``openapi.py``) is
checked here, in this order, before its view runs:

1. **The media type.** A body whose ``Content-Type`` is not one the
   operation accepts is refused with **415** (and, for POST and PATCH, an
   ``Accept-Post`` or ``Accept-Patch`` header listing the accepted types).
2. **The query string.** ``?page=2&tag=a&tag=b`` arrives as text. Each
   parameter the schema declares is converted to the type it declares
   (``"2"`` -> ``2``; a repeated parameter -> a list) and the result is
   validated like a JSON object.
3. **The body.** JSON is validated as parsed. A form
   (``application/x-www-form-urlencoded``) or a ``multipart/form-data``
   upload is first turned into a dict the same way as a query string, with
   uploaded files under the properties declared ``{"type": "string",
   "format": "binary"}``.

The checking itself is done by ``jsonschema`` (draft 2020-12, the dialect of
OpenAPI 3.1), a well-kept library, with formats checked (``date-time``,
``uuid``, ``email``...). This module only prepares the data and turns the
library's errors into one **422** answer that names every field::

    {"code": 422, "name": "Unprocessable Content",
     "message": "The request body is invalid: see 'errors' for each field.",
     "errors": {"title": "is required", "labels.0": "must be a string"}}

A field path is dotted (``labels.0`` is the first label); the body itself,
when it is not the object the schema wants, is ``""``.

The view then finds the converted values in ``request.validated_args`` and
``request.validated_body``, with the defaults of top-level properties filled
in. Both are ``None`` for an operation that declares nothing.

The idea to take away: the text of a request is never trusted, and checking
it is *declared*, once, next to the view; the view's own code starts from
values that are already known to be right, and every client gets the same,
complete list of what was wrong instead of the first error a view tripped on.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .exceptions import BadRequest, HTTPException, UnprocessableEntity, UnsupportedMediaType
from .formparser import FORM_MIMETYPES
from .schemas import SchemaRegistry

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaValidationError
    from jsonschema.protocols import Validator

    from .datastructures import MultiDict
    from .request import Request

#: Methods whose request carries no body to validate (RFC 9110 gives a GET or
#: HEAD body no meaning); a ``body`` declared on a view that also answers GET
#: applies to its other methods.
METHODS_WITHOUT_BODY = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

#: How deep lists and objects may nest in a JSON body that is validated. jsonschema
#: checks a nested value by recursion, several Python frames per level; this keeps
#: the deepest body well inside the interpreter's stack (its recursion limit is
#: 1,000 frames, and a server's threads may have small stacks).
MAX_DEPTH = 64

_INTEGER = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_TRUE = frozenset({"true", "1", "on", "yes"})
_FALSE = frozenset({"false", "0", "off", "no"})
#: The longest text of a message taken from jsonschema (it can quote the whole value).
_MESSAGE_LIMIT = 200


# -- the errors ---------------------------------------------------------------


class _JSONErrorBody(HTTPException):
    """An HTTP error whose body is always JSON: code, name, message and errors by field.

    An API client sent this request, so it gets an answer it can parse,
    whatever its ``Accept`` header says.
    """

    def __init__(self, message: str, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        #: Field path -> what is wrong with it.
        self.errors: dict[str, str] = dict(errors or {})

    @property
    def message(self) -> str:
        return self.description

    def body_and_type(self, prefers_json: bool = False) -> tuple[str, str]:
        payload = {
            "code": self.code,
            "name": self.name,
            "message": self.description,
            "errors": self.errors,
        }
        return json.dumps(payload, ensure_ascii=False), "application/json"


class RequestValidationError(_JSONErrorBody, UnprocessableEntity):
    """422: the query string or the body does not match the operation's schema.

    ``errors`` maps each field path (``"labels.0"``) to what is wrong with it.
    An app can answer it its own way with ``@app.errorhandler(422)``.
    """

    @property
    def name(self) -> str:
        """``Unprocessable Content``, the status's name in RFC 9110 15.5.21."""
        return "Unprocessable Content"  # RFC 9110's name; older Pythons say "Entity"


class UnsupportedBodyMediaType(_JSONErrorBody, UnsupportedMediaType):
    """415: the body's ``Content-Type`` is not one the operation accepts."""

    def __init__(self, message: str, accepted: Iterable[str], method: str) -> None:
        super().__init__(message)
        self.accepted = list(accepted)
        self.method = method

    def get_headers(
        self, environ: dict[str, Any] | None = None, scope: Any = None
    ) -> list[tuple[str, str]]:
        """``Accept-Post`` or ``Accept-Patch`` (for POST, PATCH): the accepted media types."""
        # RFC 5789 (PATCH) and the W3C Linked Data Platform (POST) name these headers.
        header = {"POST": "Accept-Post", "PATCH": "Accept-Patch"}.get(self.method)
        return [(header, ", ".join(self.accepted))] if header else []


class MalformedBody(_JSONErrorBody, BadRequest):
    """400: the body says it is JSON but cannot be parsed."""


# -- the checks of one operation --------------------------------------------


class RequestValidator:
    """The checks one operation declares, compiled on first use.

    ``query`` is an object schema whose properties are the query parameters;
    ``bodies`` maps each accepted media type to its schema (media types may
    end in ``/*``). Schemas may be dicts, dataclasses or type hints.
    """

    def __init__(
        self,
        query: Any | None,
        bodies: Mapping[str, Any] | None,
        body_required: bool = True,
    ) -> None:
        self.query = query
        self.bodies = dict(bodies) if bodies is not None else None
        self.body_required = body_required
        self._compiled: _Compiled | None = None

    def validate(self, request: Request) -> None:
        """Check ``request``; set ``validated_args``/``validated_body`` or raise 415/422/400."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = _Compiled(self.query, self.bodies)
        try:
            if compiled.query is not None:
                request.validated_args = _validate_query(compiled.query, request.args)
            if compiled.bodies is not None and request.method not in METHODS_WITHOUT_BODY:
                request.validated_body = _validate_body(compiled, request, self.body_required)
        except HTTPException as error:
            # Reading the input can fail before any schema is consulted: a malformed
            # percent-escape in the query string (400), a multipart body without a
            # boundary (400), a body over MAX_CONTENT_LENGTH (413). The client of an
            # operation with a schema gets those in the same JSON shape as a 422 too.
            # Only the page changes: the exception keeps its class, so the app's
            # error handlers (by code or by class) still receive it.
            if not isinstance(error, _JSONErrorBody):
                error.body_and_type = functools.partial(_json_error_page, error)  # type: ignore[method-assign]
            raise


def _json_error_page(error: HTTPException, prefers_json: bool = False) -> tuple[str, str]:
    """``error``'s page as JSON (code, name, message, empty ``errors``), whatever
    the client prefers: ``HTTPException.body_and_type`` for an operation's client."""
    payload = {"code": error.code, "name": error.name, "message": error.description, "errors": {}}
    return json.dumps(payload, ensure_ascii=False), "application/json"


class _Checker:
    """One schema, ready to validate: the jsonschema validator and the resolved object."""

    def __init__(self, schema: Any, registry: SchemaRegistry) -> None:
        converted = registry.schema(schema)
        #: The schema with references followed once: the object whose properties are fields.
        self.object = registry.resolve(converted)
        self.registry = registry
        self.converted = converted
        self._validator: Validator | None = None
        self._fields: dict[str, _Field] | None = None
        self._empty_is_null: dict[str, bool] = {}

    def finish(self) -> None:
        """Build the validator once every definition it may point to is known."""
        from jsonschema import Draft202012Validator

        # The object itself rather than a reference to it: one lookup fewer per request.
        root = dict(self.object)
        if self.registry.definitions:
            # References are "#/components/schemas/Name", as in the OpenAPI
            # document, so the schema checked is exactly the schema shown.
            root["components"] = {"schemas": self.registry.definitions}
        Draft202012Validator.check_schema(root)
        # jsonschema matches patterns with Python's re: rewritten so that they mean
        # what JSON Schema says they mean (ECMA-262), see ecma_pattern.
        root = _with_ecma_patterns(root)
        self._validator = Draft202012Validator(
            root, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    def errors(self, instance: Any) -> dict[str, str]:
        assert self._validator is not None
        found: dict[str, str] = {}
        try:
            for error in self._validator.iter_errors(instance):
                for path, message in _describe(error):
                    found.setdefault(path, message)
        except RecursionError:  # MAX_DEPTH keeps bodies away from this; a last guard
            return {"": "is nested too deeply to be checked"}
        return found

    def empty_text_is_null(self, name: str) -> bool:
        """Whether the empty text is no value of field ``name`` while null is one.

        So for ``datetime | None`` (a string with a format, or null) an empty input
        is null, while for ``str | None`` it stays the empty string. Asked of the
        schema itself, once per field.
        """
        known = self._empty_is_null
        if name not in known:
            assert self._validator is not None

            def refused(value: Any) -> bool:
                errors = self._validator.iter_errors({name: value})  # type: ignore[union-attr]
                return any(list(error.absolute_path)[:1] == [name] for error in errors)

            known[name] = refused("") and not refused(None)
        return known[name]

    def field(self, name: str) -> _Field | None:
        """What the schema says about the text field ``name``, or None if it is not declared."""
        fields = self._fields
        if fields is None:
            properties = self.object.get("properties")
            fields = self._fields = {
                field_name: _Field(self.registry.resolve(schema), self.registry)
                for field_name, schema in (properties or {}).items()
                if isinstance(schema, Mapping)
            }
        return fields.get(name)


class _Field:
    """One declared property, as text fields need it: its JSON types, and whether it is a file."""

    __slots__ = ("array", "file", "files", "item_types", "schema", "types")

    def __init__(self, schema: dict[str, Any], registry: SchemaRegistry) -> None:
        self.schema = schema
        self.types = _json_types(schema, registry)
        items = _items(schema)
        self.item_types = _json_types(items, registry)
        self.file = _is_file_schema(schema)
        self.files = _is_file_schema(items)  # an array of files
        self.array = "array" in self.types


class _Compiled:
    def __init__(self, query: Any | None, bodies: Mapping[str, Any] | None) -> None:
        registry = SchemaRegistry()
        self.query = _Checker(query, registry) if query is not None else None
        self.bodies = (
            {
                media_type.lower(): _Checker(schema, registry)
                for media_type, schema in bodies.items()
            }
            if bodies is not None
            else None
        )
        for checker in self._checkers():
            checker.finish()

    def _checkers(self) -> list[_Checker]:
        checkers = [self.query] if self.query is not None else []
        return checkers + list((self.bodies or {}).values())


# -- patterns: JSON Schema's regular expressions in Python's re ---------------

#: What ECMA-262's classes mean (JSON Schema patterns are ECMA-262 regular
#: expressions): ASCII digits and word characters, and "." stops at any line
#: terminator. Python's re gives \d and \w every Unicode digit and letter ("١٢٣"
#: matched ^\d{3}$), and its "$" also matches before a final "\n" ("abc\n"
#: matched ^[a-z]+$).
_ECMA_ESCAPES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[0-9A-Za-z_]",
    "W": "[^0-9A-Za-z_]",
    "b": "(?a:\\b)",
    "B": "(?a:\\B)",
}
_ECMA_CLASS_ESCAPES = {"d": "0-9", "w": "0-9A-Za-z_"}
_ECMA_DOT = "[^\\n\\r\\u2028\\u2029]"
#: The Python patterns made from schema patterns, to quote the schema's own in errors.
_ORIGINAL_PATTERNS: dict[str, str] = {}


def ecma_pattern(pattern: str) -> str:
    r"""A Python ``re`` pattern that matches what the ECMA-262 ``pattern`` matches.

    JSON Schema (2020-12, section 6.4) says a ``pattern`` is an ECMA-262
    regular expression, without flags; jsonschema runs it with Python's
    ``re.search``, which differs where it matters for validation: ``$`` also
    matches before a final newline, ``\d`` and ``\w`` match any Unicode digit
    and letter, ``.`` matches ``\r``. So ``$`` becomes ``\Z``, ``\d``/``\w``
    (and their negations, and ``\b``) their ASCII sets, ``.`` "any but a line
    terminator", and a named group ``(?<name>...)`` (and ``\k<name>``) Python's
    ``(?P<name>...)`` (and ``(?P=name)``).
    ``\D`` and ``\W`` inside ``[...]`` keep Python's meaning (rarely written).
    """
    out: list[str] = []
    in_class = False
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\" and index + 1 < length:
            escaped = pattern[index + 1]
            end = pattern.find(">", index)
            if escaped == "k" and not in_class and pattern.startswith("<", index + 2) and end > 0:
                out.append(f"(?P={pattern[index + 3 : end]})")
                index = end + 1
                continue
            table = _ECMA_CLASS_ESCAPES if in_class else _ECMA_ESCAPES
            out.append(table.get(escaped, char + escaped))
            index += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            # A "]" right after "[" or "[^" is a literal one in Python's syntax.
            if pattern.startswith("^", index + 1):
                out.append("^")
                index += 1
            if pattern.startswith("]", index + 1):
                out.append("\\]")
                index += 1
        elif char == "$":
            out.append("\\Z")
        elif char == ".":
            out.append(_ECMA_DOT)
        elif pattern.startswith("(?<", index) and pattern[index + 3 : index + 4] not in ("=", "!"):
            out.append("(?P<")
            index += 3
            continue
        else:
            out.append(char)
        index += 1
    translated = "".join(out)
    _ORIGINAL_PATTERNS.setdefault(translated, pattern)
    return translated


#: Keywords whose value is a schema, a list of schemas, or a dict of schemas by name.
_SCHEMA_KEYWORDS = frozenset(
    {"additionalProperties", "items", "contains", "not", "if", "then", "else",
     "propertyNames", "unevaluatedItems", "unevaluatedProperties"}
)  # fmt: skip
_SCHEMA_LIST_KEYWORDS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
_SCHEMA_DICT_KEYWORDS = frozenset({"properties", "dependentSchemas", "$defs", "definitions"})


def _with_ecma_patterns(schema: Any) -> Any:
    """A copy of ``schema`` whose ``pattern``s and ``patternProperties`` are Python's
    equivalents of their ECMA-262 text (see ``ecma_pattern``). Only places that hold
    schemas are visited: a ``const``, ``enum`` or ``default`` is data, left as it is."""
    if not isinstance(schema, Mapping):
        return schema
    result: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword == "pattern" and isinstance(value, str):
            value = ecma_pattern(value)
        elif keyword == "patternProperties" and isinstance(value, Mapping):
            value = {ecma_pattern(key): _with_ecma_patterns(item) for key, item in value.items()}
        elif keyword in _SCHEMA_KEYWORDS:
            value = _with_ecma_patterns(value)
        elif keyword in _SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            value = [_with_ecma_patterns(item) for item in value]
        elif keyword in _SCHEMA_DICT_KEYWORDS and isinstance(value, Mapping):
            value = {name: _with_ecma_patterns(item) for name, item in value.items()}
        elif keyword == "components" and isinstance(value, Mapping):
            value = {**value, "schemas": _with_ecma_patterns_by_name(value.get("schemas"))}
        result[keyword] = value
    return result


def _with_ecma_patterns_by_name(schemas: Any) -> Any:
    if not isinstance(schemas, Mapping):
        return schemas
    return {name: _with_ecma_patterns(item) for name, item in schemas.items()}


# -- the query string --------------------------------------------------------


def _validate_query(checker: _Checker, args: MultiDict) -> dict[str, Any]:
    data, early_errors = _from_text_fields(checker, args, files=None)
    _raise_if_invalid(checker, data, early_errors, "query string")
    return _with_defaults(checker, data)


# -- the body -------------------------------------------------------------------


def _validate_body(compiled: _Compiled, request: Request, required: bool) -> Any:
    assert compiled.bodies is not None
    mimetype = request.mimetype
    if not mimetype and not request.content_length and not _has_chunked_body(request):
        if not required:
            return None
        raise RequestValidationError(
            "The request has no body; send one as " + _or_list(compiled.bodies) + ".",
            {"": "is required"},
        )
    declared = _matching_media_type(mimetype, compiled.bodies)
    if declared is None:
        sent = f"{mimetype!r}" if mimetype else "a body without a Content-Type"
        raise UnsupportedBodyMediaType(
            f"The body must be sent as {_or_list(compiled.bodies)}, not as {sent}.",
            compiled.bodies,
            request.method,
        )
    checker = compiled.bodies[declared]
    if _is_json_media_type(declared if "*" not in declared else mimetype):
        instance = _parse_json(request)
        if _deeper_than(instance, MAX_DEPTH):
            raise RequestValidationError(
                f"The request body is nested more than {MAX_DEPTH} levels deep; "
                "send a flatter structure.",
                {"": f"is nested more than {MAX_DEPTH} levels deep"},
            )
        _raise_if_invalid(checker, instance, {}, "body")
        if _contains_float(instance):
            instance = _whole_floats_as_int(instance, checker.object, checker.registry)
        return _with_defaults(checker, instance)
    if mimetype in FORM_MIMETYPES:
        data, early_errors = _from_text_fields(checker, request.form, files=request.files)
        _raise_if_invalid(checker, data, early_errors, "form")
        return _with_defaults(checker, data)
    return None  # another media type (an image, plain text): only its type is checked


def _contains_float(value: Any) -> bool:
    """Whether a parsed JSON value holds a float anywhere (counted without recursion)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float):
            return True
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _whole_floats_as_int(value: Any, schema: Any, registry: SchemaRegistry) -> Any:
    """``value``, valid against ``schema``, with each float the schema calls an integer an int.

    JSON Schema counts ``1.0`` as an integer, so it passes ``"type": "integer"``,
    but ``json`` reads it as a float; the view of a field declared ``int`` gets
    the int ``1`` (as from Marshmallow or pydantic), never a float it did not
    expect. Only a float with no fractional part can pass as an integer.
    """
    if not isinstance(schema, Mapping):
        return value
    if isinstance(value, float):
        types = _json_types(schema, registry)
        return int(value) if "integer" in types and "number" not in types else value
    if not isinstance(value, dict | list):
        return value
    schema = registry.resolve(schema)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(keyword, ()):
            value = _whole_floats_as_int(value, branch, registry)
    if isinstance(value, dict):
        properties = schema.get("properties")
        properties = properties if isinstance(properties, Mapping) else {}
        others = schema.get("additionalProperties")
        return {
            key: _whole_floats_as_int(item, properties.get(key, others), registry)
            for key, item in value.items()
        }
    leading = schema.get("prefixItems")
    leading = leading if isinstance(leading, list) else []
    items = schema.get("items")
    return [
        _whole_floats_as_int(item, leading[index] if index < len(leading) else items, registry)
        for index, item in enumerate(value)
    ]


def _has_chunked_body(request: Request) -> bool:
    return "chunked" in request.environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether lists and objects in ``value`` nest more than ``limit`` levels deep.

    Counted without recursion, so that no body can exhaust the stack here.
    """
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                pending.append((child, depth + 1))
    return False


def _parse_json(request: Request) -> Any:
    try:
        return request.get_json(force=True)
    except BadRequest as error:
        raise MalformedBody(error.description) from None


def _matching_media_type(mimetype: str, accepted: Iterable[str]) -> str | None:
    """The declared media type ``mimetype`` satisfies: exact first, then ``type/*``, ``*/*``."""
    candidates = list(accepted)
    if mimetype in candidates:
        return mimetype
    if not mimetype:
        return None
    major = mimetype.split("/", 1)[0]
    for pattern in (f"{major}/*", "*/*"):
        if pattern in candidates:
            return pattern
    return None


def _is_json_media_type(media_type: str) -> bool:
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


# -- text fields (query strings and forms) to typed values ---------------------


class _File:
    """An uploaded file in the dict that is validated, standing for its file name."""

    __slots__ = ("upload",)

    def __init__(self, upload: Any) -> None:
        self.upload = upload


def _from_text_fields(
    checker: _Checker, fields: MultiDict, files: MultiDict | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn text fields (and uploaded files) into a dict of typed values.

    Each field the schema declares is converted to the type it declares;
    a field it does not declare is kept as text (a list if repeated), so
    that ``additionalProperties: false`` can refuse it. An empty field that
    is not a string counts as missing (a browser sends empty inputs), or as
    ``null`` where the schema allows null; so does an empty field the schema
    allows as a string or null when the empty string itself is refused (a
    date-time or null). Returns the dict and the errors
    found while converting, by field.
    """
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in fields:
        texts = fields.getlist(name)
        declared = checker.field(name)
        if declared is None:
            data[name] = texts[0] if len(texts) == 1 else texts
        elif declared.file or declared.files:
            errors[name] = "must be an uploaded file, not a text value"
        elif declared.array:
            values = [_from_text(text, declared.item_types) for text in texts]
            data[name] = [value for value in values if value is not _ABSENT]
        elif len(texts) > 1:
            errors[name] = f"must be given once, not {len(texts)} times"
        elif texts[0] == "" and {"string", "null"} <= declared.types:
            data[name] = None if checker.empty_text_is_null(name) else ""
        else:
            value = _from_text(texts[0], declared.types)
            if value is not _ABSENT:
                data[name] = value
    for name in files or ():
        uploads = [upload for upload in files.getlist(name) if upload]  # type: ignore[union-attr]
        if not uploads:
            continue  # an empty file input: nothing was chosen
        declared = checker.field(name)
        if declared is not None and declared.file:
            data[name] = _File(uploads[0]) if len(uploads) == 1 else [_File(u) for u in uploads]
            if len(uploads) > 1:
                errors[name] = f"must be one file, not {len(uploads)}"
        elif declared is not None and declared.files:
            data[name] = [_File(upload) for upload in uploads]
        elif declared is not None:
            errors[name] = "must be a text value, not an uploaded file"
        else:
            data[name] = _File(uploads[0]) if len(uploads) == 1 else [_File(u) for u in uploads]
        if declared is not None:
            errors.update(_file_type_errors(name, data.get(name), declared.schema))
    return data, errors


_ABSENT: Any = object()


def _from_text(text: str, types: frozenset[str]) -> Any:
    """One text value as the JSON type the schema wants, or the text if it cannot be."""
    if text == "" and "string" not in types and types:
        return None if "null" in types else _ABSENT
    if not types or "string" in types:
        return text
    if "integer" in types and _INTEGER.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts: let the schema say "integer"
            return text
    if "number" in types and _NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return int(number) if _INTEGER.fullmatch(text) else number
    if "boolean" in types:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return text  # the validator will say what type it should have been


def _json_types(schema: Mapping[str, Any], registry: SchemaRegistry) -> frozenset[str]:
    """The JSON types a schema allows, looking into ``anyOf``/``oneOf`` and references."""
    schema = registry.resolve(schema)
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset((declared,))
    if isinstance(declared, list):
        return frozenset(declared)
    types: set[str] = set()
    for keyword in ("anyOf", "oneOf"):
        for branch in schema.get(keyword, ()):
            if isinstance(branch, Mapping):
                types |= _json_types(branch, registry)
    for value in schema.get("enum", ()):
        types.add(_type_of_value(value))
    if "const" in schema:
        types.add(_type_of_value(schema["const"]))
    return frozenset(types)


def _type_of_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


def _items(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    items = schema.get("items")
    return items if isinstance(items, Mapping) else {}


def _is_file_schema(schema: Mapping[str, Any]) -> bool:
    """``{"type": "string", "format": "binary"}`` (OpenAPI 3.0's way) or ``contentMediaType``."""
    return schema.get("format") == "binary" or (
        "contentMediaType" in schema and schema.get("type", "string") == "string"
    )


def _file_type_errors(name: str, value: Any, schema: Mapping[str, Any]) -> dict[str, str]:
    """Uploads whose own ``Content-Type`` is not the property's ``contentMediaType``."""
    item_schema = schema if _is_file_schema(schema) else _items(schema)
    wanted = item_schema.get("contentMediaType")
    if not isinstance(wanted, str):
        return {}
    uploads = value if isinstance(value, list) else [value]
    for upload in uploads:
        if isinstance(upload, _File) and _matching_media_type(upload.upload.mimetype, [wanted]):
            continue
        if isinstance(upload, _File):
            return {name: f"must be a file of type {wanted}"}
    return {}


def _as_instance(data: dict[str, Any]) -> dict[str, Any]:
    """The dict jsonschema sees: each uploaded file stands as its file name (a string)."""

    def plain(value: Any) -> Any:
        if isinstance(value, _File):
            return value.upload.filename
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return {name: plain(value) for name, value in data.items()}


def _as_view_data(data: dict[str, Any]) -> dict[str, Any]:
    """The dict the view gets: each uploaded file as the file object itself."""

    def real(value: Any) -> Any:
        if isinstance(value, _File):
            return value.upload
        if isinstance(value, list):
            return [real(item) for item in value]
        return value

    return {name: real(value) for name, value in data.items()}


# -- checking, and saying what is wrong ----------------------------------------


def _raise_if_invalid(
    checker: _Checker, data: Any, early_errors: Mapping[str, str], where: str
) -> None:
    errors = dict(early_errors)
    instance = _as_instance(data) if isinstance(data, dict) else data
    for path, message in checker.errors(instance).items():
        errors.setdefault(path, message)
    if errors:
        raise RequestValidationError(
            f"The request {where} is invalid: see 'errors' for each field.", errors
        )


def _with_defaults(checker: _Checker, data: Any) -> Any:
    """The validated value for the view: files as objects, top-level defaults filled in."""
    if not isinstance(data, dict):
        return data
    result = _as_view_data(data)
    properties = checker.object.get("properties")
    if isinstance(properties, Mapping):
        for name, schema in properties.items():
            if name not in result and isinstance(schema, Mapping) and "default" in schema:
                result[name] = copy.deepcopy(schema["default"])
    return result


def _describe(error: SchemaValidationError) -> list[tuple[str, str]]:
    """``(field path, what is wrong)`` for one jsonschema error; several for ``required``."""
    path = [str(part) for part in error.absolute_path]
    keyword = error.validator
    value: Any = error.validator_value
    instance = error.instance
    if keyword == "required" and isinstance(instance, Mapping):
        return [(_join(path, name), "is required") for name in value if name not in instance]
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(
        instance, Mapping
    ):
        extras = _unexpected_names(instance, error.schema)
        if extras:
            return [(_join(path, name), "is not allowed") for name in extras]
    if keyword in ("anyOf", "oneOf") and error.context:
        return _describe_choice(error, path)
    return [(".".join(path), _message(keyword, value, error))]


def _describe_choice(error: SchemaValidationError, path: list[str]) -> list[tuple[str, str]]:
    """``X | None`` and other unions: "must be an integer or null", not "is not valid under..."."""
    from jsonschema.exceptions import best_match

    context = list(error.context or ())
    level = list(error.absolute_path)
    if context and all(
        item.validator == "type" and list(item.absolute_path) == level for item in context
    ):
        # Every branch refused the value's type: name the types they accept.
        wanted: list[str] = []
        for item in context:
            kind = item.validator_value
            wanted.extend([kind] if isinstance(kind, str) else list(kind))
        return [(".".join(path), "must be " + _type_phrase(wanted))]
    # A branch that took the value's type and refused something inside it is the one the
    # client meant: ["a", 7] for "a string, or a list of strings" is wrong at its item 1,
    # not "must be a string" (the other branch's complaint about the whole list).
    inside = [item for item in context if len(item.absolute_path) > len(level)]
    closest = (
        best_match(inside)
        or best_match(item for item in context if item.validator != "type")
        or best_match(context)
    )
    if closest is None:
        return [(".".join(path), "is not valid")]
    # Every problem of that branch, not only the closest one: a nested object in
    # "Size | None" with two bad fields names both, as it would without the None.
    branch = list(closest.relative_schema_path)[:1]
    found: list[tuple[str, str]] = []
    for item in context:
        if list(item.relative_schema_path)[:1] == branch:
            found.extend(_describe(item))
    return found


def _unexpected_names(instance: Mapping[str, Any], schema: Any) -> list[str]:
    if not isinstance(schema, Mapping):
        return list(instance)
    declared = schema.get("properties", {})
    patterns = [re.compile(pattern) for pattern in schema.get("patternProperties", {})]
    return [
        name
        for name in instance
        if name not in declared and not any(pattern.search(name) for pattern in patterns)
    ]


def _message(keyword: str | None, value: Any, error: SchemaValidationError) -> str:
    """What is wrong, in words a client developer reads without knowing JSON Schema."""
    count = value if isinstance(value, int) else 0
    plural = "" if count == 1 else "s"
    words: dict[str, Callable[[], str]] = {
        "type": lambda: "must be " + _type_phrase(value if isinstance(value, list) else [value]),
        "enum": lambda: "must be one of " + ", ".join(json.dumps(item) for item in value),
        "const": lambda: f"must be {json.dumps(value)}",
        "minLength": lambda: f"must be at least {value} character{plural} long",
        "maxLength": lambda: f"must be at most {value} character{plural} long",
        "minimum": lambda: f"must be at least {value}",
        "maximum": lambda: f"must be at most {value}",
        "exclusiveMinimum": lambda: f"must be greater than {value}",
        "exclusiveMaximum": lambda: f"must be less than {value}",
        "multipleOf": lambda: f"must be a multiple of {value}",
        "minItems": lambda: f"must have at least {value} item{plural}",
        "maxItems": lambda: f"must have at most {value} item{plural}",
        "uniqueItems": lambda: "must not contain the same item twice",
        "minProperties": lambda: f"must have at least {value} field{plural}",
        "maxProperties": lambda: f"must have at most {value} field{plural}",
        "pattern": lambda: f"must match the pattern {_ORIGINAL_PATTERNS.get(value, value)}",
        "format": lambda: f"must be a valid {value}",
        "dependentRequired": lambda: "is incomplete: " + error.message,
        "not": lambda: f"must not match {json.dumps(value)}",
        "false": lambda: "is not allowed",
    }
    say = words.get(keyword or "false")
    if say is not None:
        return say()
    text = error.message
    return text if len(text) <= _MESSAGE_LIMIT else text[: _MESSAGE_LIMIT - 3] + "..."


_ARTICLES = {"integer": "an integer", "object": "an object", "array": "an array"}


def _type_phrase(types: Iterable[str]) -> str:
    """``["integer", "null"]`` -> ``"an integer or null"``."""
    names = list(dict.fromkeys(types))
    words = [
        name if name == "null" else _ARTICLES.get(name, f"a {name}")
        for name in names
        if name != "null"
    ]
    if "null" in names:
        words.append("null")
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _join(path: list[str], name: str) -> str:
    return ".".join([*path, name])


def _or_list(media_types: Iterable[str]) -> str:
    names = list(media_types)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
