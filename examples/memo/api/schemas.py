"""The JSON Schemas of the API's inputs and outputs (OpenAPI 3.1 uses JSON Schema 2020-12).

The same dicts validate requests and describe the API in the generated
OpenAPI document, so the document cannot drift from what the API accepts.
"""

from __future__ import annotations

from typing import Any

from ..models import (
    LABEL_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    USER_ID_MAX_LENGTH,
    USER_NAME_MAX_LENGTH,
)

#: The largest id the database's INTEGER columns hold; larger ids cannot exist.
MAX_ID = 2**31 - 1

#: Keep's palette, or any colour as #rrggbb.
COLORS = (
    "default", "red", "orange", "yellow", "green", "teal",
    "blue", "darkblue", "purple", "pink", "brown", "gray",
)  # fmt: skip
COLOR_PATTERN = "^(" + "|".join(COLORS) + "|#[0-9a-fA-F]{6})$"

#: Text without NUL characters: PostgreSQL cannot store them, so no backend takes them.
NO_NUL = "^[^\\u0000]*$"


def text(**constraints: Any) -> dict[str, Any]:
    """A string schema that refuses NUL characters, with more constraints."""
    return {"type": "string", "pattern": NO_NUL, **constraints}


TIMESTAMP: dict[str, Any] = {"type": "string", "format": "date-time"}
ID: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

# -- outputs ---------------------------------------------------------------

LABEL_REF: dict[str, Any] = {
    "type": "object",
    "properties": {"id": ID, "content": {"type": "string"}},
    "required": ["id", "content"],
}

MEMO: dict[str, Any] = {
    "title": "Memo",
    "type": "object",
    "properties": {
        "id": ID,
        "user_id": ID,
        "title": {"type": "string", "maxLength": TITLE_MAX_LENGTH},
        "content": {"type": "string"},
        "linked_image": {
            "type": ["string", "null"],
            "description": "The URL of the memo's image, or null.",
        },
        "is_deleted": {"type": "boolean", "description": "In the trash."},
        "is_pinned": {"type": "boolean"},
        "color": {"type": "string", "pattern": COLOR_PATTERN},
        "labels": {"type": "array", "items": LABEL_REF},
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
    },
    "required": [
        "id", "user_id", "title", "content", "linked_image", "is_deleted",
        "is_pinned", "color", "labels", "created_at", "updated_at",
    ],
}  # fmt: skip

LABEL: dict[str, Any] = {
    "title": "Label",
    "type": "object",
    "properties": {
        "id": ID,
        "user_id": ID,
        "content": {"type": "string", "maxLength": LABEL_MAX_LENGTH},
        "created_at": TIMESTAMP,
    },
    "required": ["id", "user_id", "content", "created_at"],
}

USER: dict[str, Any] = {
    "title": "User",
    "type": "object",
    "properties": {
        "id": ID,
        "user_id": {"type": "string"},
        "user_name": {"type": "string"},
        "created_at": TIMESTAMP,
    },
    "required": ["id", "user_id", "user_name", "created_at"],
}

TOKEN: dict[str, Any] = {
    "title": "AccessToken",
    "type": "object",
    "properties": {"access_token": {"type": "string"}},
    "required": ["access_token"],
}

ERROR: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {
        "code": {"type": "integer"},
        "name": {"type": "string"},
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "What is wrong with each field, by its (dotted) name.",
        },
    },
    "required": ["code", "message"],
}

# -- inputs ----------------------------------------------------------------

#: A comma-separated string ("work,home,") or a list; empty items are ignored.
LABELS_INPUT: dict[str, Any] = {
    "anyOf": [
        text(maxLength=10_000),
        {"type": "array", "items": text(maxLength=10_000), "maxItems": 100},
    ],
    "description": 'Label names: "work,home" or ["work", "home"]. Unknown ones are created.',
}

_MEMO_FIELDS: dict[str, Any] = {
    "title": text(maxLength=TITLE_MAX_LENGTH),
    "content": text(maxLength=100_000),
    "is_deleted": {"type": "boolean", "description": "true moves the memo to the trash."},
    "is_pinned": {"type": "boolean"},
    "color": {"type": "string", "pattern": COLOR_PATTERN},
    "labels": LABELS_INPUT,
}

#: The image as each media type carries it: a file in a multipart form; in JSON only
#: null (no image, or: remove it); a URL-encoded form cannot carry one.
_IMAGE_FILE: dict[str, Any] = {
    "type": "string",
    "format": "binary",
    "description": "A PNG, JPEG, GIF or WebP image.",
}


def _memo_bodies(title: str, required: list[str], null_image: str) -> dict[str, dict[str, Any]]:
    """A memo's body for each media type the API takes, with ``linked_image`` as it can be."""

    def body(suffix: str, image: dict[str, Any] | None) -> dict[str, Any]:
        properties = dict(_MEMO_FIELDS)
        if image is not None:
            properties["linked_image"] = image
        schema: dict[str, Any] = {"title": title + suffix, "type": "object"}
        schema["properties"] = properties
        if required:
            schema["required"] = required
        return schema

    return {
        "application/json": body("", {"type": "null", "description": null_image}),
        "application/x-www-form-urlencoded": body("Form", None),
        "multipart/form-data": body("Form", _IMAGE_FILE),
    }


MEMO_CREATE = _memo_bodies(
    "MemoCreate",
    ["title", "content"],
    "No image. An image is sent as a file, in a multipart/form-data body.",
)

MEMO_UPDATE = _memo_bodies(
    "MemoUpdate",
    [],
    "Removes the memo's image. An image is sent as a file, in a multipart/form-data body.",
)

MEMO_QUERY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_ID, "default": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": 100, "default": 15},
        "needle": text(maxLength=200, description="Case-insensitive search in title and content."),
        "is_deleted": {
            "type": "boolean",
            "default": False,
            "description": "true lists the trash.",
        },
        "label": {**ID, "description": "Only memos with this label id."},
    },
}

LABEL_INPUT: dict[str, Any] = {
    "title": "LabelInput",
    "type": "object",
    "properties": {
        "content": {
            "type": "string",
            "minLength": 1,
            "maxLength": LABEL_MAX_LENGTH,
            "pattern": "^[^,\\u0000]*$",
            "description": (
                "A name without commas (commas separate names in a memo's labels); spaces "
                "around it are removed, and it must not be blank."
            ),
        }
    },
    "required": ["content"],
}


def user_create_schema(password_min_length: int) -> dict[str, Any]:
    """The body of ``POST /api/users``; the password's minimum is the app's setting."""
    return {
        "title": "UserCreate",
        "type": "object",
        "properties": {
            "user_id": {
                "type": "string",
                "minLength": 1,
                "maxLength": USER_ID_MAX_LENGTH,
                "pattern": r"^[^\s\u0000]+$",
            },
            "user_name": text(
                minLength=1,
                maxLength=USER_NAME_MAX_LENGTH,
                description="The name shown; spaces around it are removed; not blank.",
            ),
            "password": text(minLength=password_min_length, maxLength=1024),
        },
        "required": ["user_id", "user_name", "password"],
    }


def credentials_schema(username_key: str, password_key: str) -> dict[str, Any]:
    """The body of ``POST /api/auth``, with the field names the settings give."""
    return {
        "title": "Credentials",
        "type": "object",
        "properties": {
            username_key: text(maxLength=USER_ID_MAX_LENGTH),
            password_key: text(maxLength=1024),
        },
        "required": [username_key, password_key],
    }
