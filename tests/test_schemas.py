"""Python types as JSON Schema (``microwsgi.schemas``): one test per row of the module's table."""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Optional, TypedDict

import pytest
from jsonschema import Draft202012Validator

from microwsgi.formparser import UploadedFile
from microwsgi.schemas import SchemaRegistry


def schema_of(hint: Any) -> dict[str, Any]:
    return SchemaRegistry().schema(hint)


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        (str, {"type": "string"}),
        (int, {"type": "integer"}),
        (float, {"type": "number"}),
        (bool, {"type": "boolean"}),
        (None, {"type": "null"}),
        (type(None), {"type": "null"}),
        (Any, {}),
        (datetime.datetime, {"type": "string", "format": "date-time"}),
        (datetime.date, {"type": "string", "format": "date"}),
        (datetime.time, {"type": "string", "format": "time"}),
        (uuid.UUID, {"type": "string", "format": "uuid"}),
        (UploadedFile, {"type": "string", "format": "binary"}),
        (bytes, {"type": "string", "format": "binary"}),
        (int | None, {"type": ["integer", "null"]}),
        (Optional[str], {"type": ["string", "null"]}),  # noqa: UP045 - the spelling under test
        (int | str, {"anyOf": [{"type": "integer"}, {"type": "string"}]}),
        (
            int | str | None,
            {"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}]},
        ),
        (list[int], {"type": "array", "items": {"type": "integer"}}),
        (list, {"type": "array"}),
        (Sequence[str], {"type": "array", "items": {"type": "string"}}),
        (set[str], {"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
        (frozenset[int], {"type": "array", "items": {"type": "integer"}, "uniqueItems": True}),
        (tuple[int, ...], {"type": "array", "items": {"type": "integer"}}),
        (
            tuple[int, str],
            {
                "type": "array",
                "prefixItems": [{"type": "integer"}, {"type": "string"}],
                "minItems": 2,
                "maxItems": 2,
            },
        ),
        (dict[str, int], {"type": "object", "additionalProperties": {"type": "integer"}}),
        (Mapping[str, Any], {"type": "object"}),
        (dict, {"type": "object"}),
        (Literal["a", "b"], {"type": "string", "enum": ["a", "b"]}),
        (Literal[1, "x"], {"enum": [1, "x"]}),
        (Annotated[str, {"maxLength": 3}], {"type": "string", "maxLength": 3}),
        (
            Annotated[int | None, {"minimum": 1}],
            {"type": ["integer", "null"], "minimum": 1},
        ),
        (Literal["a"] | None, {"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}]}),
    ],
)
def test_type_hint_becomes_json_schema(hint: Any, expected: dict[str, Any]) -> None:
    assert schema_of(hint) == expected
    Draft202012Validator.check_schema(expected)


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


def test_enums_are_described_by_their_values():
    assert schema_of(Color) == {"type": "string", "enum": ["red", "green"]}
    assert schema_of(Level) == {"type": "integer", "enum": [1, 2]}


@dataclass
class Comment:
    """A comment, which may answer others."""

    text: str
    replies: list[Comment] = field(default_factory=list)


@dataclass
class Settings:
    color: Color = Color.RED
    level: Level | None = None
    when: datetime.date = field(default_factory=datetime.date.today)
    stamp: datetime.datetime = datetime.datetime(2026, 1, 1)  # not JSON: no default shown


def test_a_dataclass_is_a_reference_to_one_definition_that_may_refer_to_itself():
    registry = SchemaRegistry()
    assert registry.schema(Comment) == {"$ref": "#/components/schemas/Comment"}
    assert registry.schema(list[Comment]) == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Comment"},
    }
    assert registry.definitions == {
        "Comment": {
            "type": "object",
            "description": "A comment, which may answer others.",
            "properties": {
                "text": {"type": "string"},
                "replies": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
            },
            "required": ["text"],
            "additionalProperties": False,
        }
    }


def test_defaults_that_json_can_write_are_shown_and_make_fields_optional():
    registry = SchemaRegistry()
    registry.schema(Settings)
    definition = registry.definitions["Settings"]
    assert "description" not in definition  # @dataclass's own signature docstring is not used
    assert "required" not in definition
    assert definition["properties"] == {
        "color": {"type": "string", "enum": ["red", "green"], "default": "red"},
        "level": {
            "anyOf": [{"type": "integer", "enum": [1, 2]}, {"type": "null"}],
            "default": None,
        },
        "when": {"type": "string", "format": "date"},
        "stamp": {"type": "string", "format": "date-time"},
    }


def test_fields_computed_after_init_are_not_part_of_the_input():
    @dataclass
    class Area:
        width: int
        height: int
        size: int = field(init=False)

        def __post_init__(self) -> None:
            self.size = self.width * self.height

    registry = SchemaRegistry()
    registry.schema(Area)
    assert list(registry.definitions["Area"]["properties"]) == ["width", "height"]


class Point(TypedDict):
    x: int
    y: int


class Partial(TypedDict, total=False):
    label: str


def test_typed_dicts_are_open_objects_with_their_required_keys():
    registry = SchemaRegistry()
    assert registry.schema(Point) == {"$ref": "#/components/schemas/Point"}
    registry.schema(Partial)
    assert registry.definitions["Point"] == {
        "type": "object",
        "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}},
        "required": ["x", "y"],
    }
    assert "required" not in registry.definitions["Partial"]


def test_types_inside_a_dict_schema_are_converted_and_the_dict_is_copied():
    registry = SchemaRegistry()
    given = {"type": "object", "properties": {"items": {"type": "array", "items": Comment}}}
    converted = registry.schema(given)
    assert converted["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Comment"}
    assert given["properties"]["items"]["items"] is Comment  # the caller's dict is untouched


def test_object_schema_gives_the_object_itself_for_listing_its_fields():
    registry = SchemaRegistry()

    @dataclass
    class Query:
        page: int = 1
        comment: Comment | None = None

    schema = registry.object_schema(Query)
    assert schema["properties"]["page"] == {"type": "integer", "default": 1}
    assert list(registry.definitions) == ["Comment"]  # the query itself is not named


def test_a_reference_prefix_can_point_elsewhere():
    registry = SchemaRegistry(ref_prefix="#/$defs/")
    assert registry.schema(Comment) == {"$ref": "#/$defs/Comment"}


def test_names_used_by_two_classes_are_refused():
    registry = SchemaRegistry()
    registry.schema(Comment)
    other = dataclass(type("Comment", (), {"__annotations__": {"a": int}}))
    with pytest.raises(ValueError, match="Two schemas are named 'Comment'"):
        registry.schema(other)


def test_types_without_a_json_form_are_refused_with_the_way_out():
    class Plain:
        pass

    with pytest.raises(TypeError, match=r"Cannot describe .*Plain as JSON Schema.*Annotated"):
        schema_of(Plain)
    with pytest.raises(TypeError, match="Cannot describe"):
        schema_of(list[Plain])


def test_an_unresolvable_forward_reference_is_explained():
    @dataclass
    class Broken:
        other: Missing  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(TypeError, match="Cannot read the type hints"):
        schema_of(Broken)
