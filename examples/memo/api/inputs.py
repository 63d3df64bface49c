"""Reading a request's body and query into a validated dict.

Every route takes JSON, form-encoded and multipart bodies alike: a form's
text fields are converted to the types the schema declares, uploaded files
land under the properties declared ``format: binary``, and the result is
validated with ``jsonschema`` (Draft 2020-12). A failure is a 422 naming each
field; a media type the route does not take is a 415.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from jsonschema import Draft202012Validator

from microwsgi import request

from .errors import fail

F = TypeVar("F", bound=Callable[..., Any])

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_TRUE = {"true", "1", "on", "yes"}
_FALSE = {"false", "0", "off", "no"}


def accepts(
    *, body: dict[str, Any] | None = None, query: dict[str, Any] | None = None
) -> Callable[[F], F]:
    """Validate the body and/or query before the view; the view reads
    ``request.validated_body`` and ``request.validated_args``."""
    body_validator = Draft202012Validator(body) if body is not None else None
    query_validator = Draft202012Validator(query) if query is not None else None

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            request.validated_args = None  # type: ignore[attr-defined]
            request.validated_body = None  # type: ignore[attr-defined]
            if query is not None and query_validator is not None:
                values = _from_multidict(request.args, query, {})
                _validate(query_validator, values, "The query string is not valid.")
                request.validated_args = values  # type: ignore[attr-defined]
            if body is not None and body_validator is not None:
                values = _read_body(body)
                checked = values
                if isinstance(values, dict):  # an uploaded file passes as a binary string
                    checked = {k: ("" if hasattr(v, "read") else v) for k, v in values.items()}
                _validate(body_validator, checked, "The request body is not valid.")
                request.validated_body = values  # type: ignore[attr-defined]
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _read_body(schema: dict[str, Any]) -> Any:
    mimetype = request.mimetype
    if mimetype == "application/json" or mimetype.endswith("+json"):
        return request.get_json()
    if mimetype in FORM_TYPES:
        return _from_multidict(request.form, schema, request.files)
    fail(
        415,
        f"This route takes application/json, {' or '.join(FORM_TYPES)} bodies, "
        f"not {mimetype or 'a body without a Content-Type'}.",
    )


def _from_multidict(fields: Any, schema: dict[str, Any], files: Any) -> dict[str, Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    values: dict[str, Any] = {}
    for name, prop in properties.items():
        if prop.get("format") == "binary":
            if name in files:
                values[name] = files[name]
            elif name in fields:
                values[name] = fields[name]
            continue
        if name not in fields:
            continue
        raw = fields.getlist(name)
        kind = prop.get("type")
        if kind == "array":
            values[name] = [_convert(item, prop.get("items", {})) for item in raw]
        elif "anyOf" in prop and len(raw) > 1:
            values[name] = raw
        else:
            values[name] = _convert(raw[-1], prop)
    return values


def _convert(text: str, prop: dict[str, Any]) -> Any:
    kind = prop.get("type")
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "boolean":
        lowered = text.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return text


def _validate(validator: Draft202012Validator, value: Any, message: str) -> None:
    errors: dict[str, str] = {}
    for error in validator.iter_errors(value):
        if error.validator == "required":
            missing = error.message.split("'")[1]
            errors.setdefault(missing, "is required")
            continue
        path = ".".join(str(part) for part in error.absolute_path)
        errors.setdefault(path, error.message)
    if errors:
        fail(422, message, errors)
