"""Tagged JSON: the session's serializer keeps the types plain JSON would lose."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from markupsafe import Markup

from microwsgi.json_tag import JSONTag, TaggedJSONSerializer


@pytest.fixture
def serializer():
    return TaggedJSONSerializer()


@pytest.mark.parametrize(
    "value",
    [
        (1, 2, 3),
        [(1, 2), [3, (4,)]],
        b"\xff\x00binary",
        Markup("<em>safe</em>"),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        datetime(2026, 11, 24, 9, 30, 15, 250000, tzinfo=UTC),
        datetime(2026, 11, 24, 9, 30, tzinfo=timezone(timedelta(hours=9))),
        datetime(2026, 11, 24, 9, 30),
        {" t": (1, 2)},
        {" t__": b"a"},
        {" di": " di"},
        {"nested": {"deeper": [b"x", (None, True)]}},
        "plain",
        None,
    ],
)
def test_round_trip_gives_an_equal_value_of_the_same_type(serializer, value):
    back = serializer.loads(serializer.dumps(value))
    assert back == value
    assert type(back) is type(value)


def test_datetime_keeps_its_offset_and_microseconds(serializer):
    moment = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=-5)))
    back = serializer.loads(serializer.dumps(moment))
    assert back.utcoffset() == timedelta(hours=-5)
    assert back.microsecond == 6


def test_the_text_is_compact_json_with_space_keyed_tags(serializer):
    text = serializer.dumps({"when": (1, 2), "raw": b"\x01"})
    assert json.loads(text) == {"when": {" t": [1, 2]}, "raw": {" b": "AQ=="}}
    assert " " not in text.replace('" t"', "").replace('" b"', "")


def test_a_dict_that_looks_like_a_tag_is_wrapped(serializer):
    assert json.loads(serializer.dumps({" u": "text"})) == {" di": {" u__": "text"}}


def test_unknown_one_key_objects_are_left_alone(serializer):
    assert serializer.loads('{" x": 1}') == {" x": 1}


def test_registering_a_key_twice_is_refused_unless_forced(serializer):
    class OtherTuple(JSONTag):
        key = " t"

    with pytest.raises(KeyError, match="already registered"):
        serializer.register(OtherTuple)
    serializer.register(OtherTuple, force=True, index=0)
    assert isinstance(serializer.tags[" t"], OtherTuple)
    assert isinstance(serializer.order[0], OtherTuple)


def test_a_custom_tag_round_trips_its_type(serializer):
    class Point:
        def __init__(self, x, y):
            self.x, self.y = x, y

    class TagPoint(JSONTag):
        key = " p"

        def check(self, value):
            return isinstance(value, Point)

        def to_json(self, value):
            return [value.x, value.y]

        def to_python(self, value):
            return Point(*value)

    serializer.register(TagPoint, index=0)
    back = serializer.loads(serializer.dumps({"at": Point(2, 3)}))["at"]
    assert (back.x, back.y) == (2, 3)


def test_the_base_tag_says_what_to_write(serializer):
    tag = JSONTag(serializer)
    for method in (tag.check, tag.to_json, tag.to_python):
        with pytest.raises(NotImplementedError):
            method(None)
