"""The tagged JSON serializer of sessions under Flask's module name.

Flask counterpart: ``flask/json/tag.py``. The code is ``microwsgi/json_tag.py``;
this module lets ``from microwsgi.json.tag import JSONTag``, the line a Flask
app writes to store a type of its own in the session, work after changing
only ``flask`` to ``microwsgi``.
"""

from __future__ import annotations

from ..json_tag import (
    JSONTag,
    PassDict,
    PassList,
    TagBytes,
    TagDateTime,
    TagDict,
    TaggedJSONSerializer,
    TagMarkup,
    TagTuple,
    TagUUID,
)

__all__ = [
    "JSONTag",
    "PassDict",
    "PassList",
    "TagBytes",
    "TagDateTime",
    "TagDict",
    "TagMarkup",
    "TagTuple",
    "TagUUID",
    "TaggedJSONSerializer",
]
