"""The clients' own record of every write the server acknowledged, to check the database against.

What "kept" means, precisely. Two clients share each account (the same
person on a phone and in a browser). Each memo is written by the client
that created it, and now and then by the other one; every change is sent
with ``If-Match`` (the ETag of the version the client knows). So the
acknowledged changes of one memo form a chain, version after version: the
server refuses a write based on an old version with 412 instead of letting
two writers overwrite each other. Kept then means:

- every memo whose create was acknowledged (201) is in the database, once,
  unless its owner's delete was acknowledged (204), and then it is gone;
- the database holds no memo of the account that no client acknowledged
  (a retried create that ran twice would be one);
- each memo's stored version is the highest version any acknowledged answer
  carried, and its stored fields are the fields of that answer: the values
  the client sent, applied to the version it named in ``If-Match``.

Every answer is checked against what was sent when it arrives; the database
is checked against the ledger after the run (``verify.py``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

#: The fields of a memo the ledger follows. ``labels`` is a sorted tuple of
#: names, ``image`` whether it has one (the JSON shows only that; which image
#: it is, is ``MemoRecord.image_sha256``: only the owner uploads).
FIELDS = ("title", "content", "color", "is_pinned", "is_deleted", "labels", "image")
_ETAG = re.compile(r'^"memo-(\d+)-v(\d+)"$')

State = dict[str, Any]


def version_of(etag: str | None, memo_id: int) -> int:
    """The version in a memo's ETag (``"memo-7-v3"`` -> 3); ValueError if it is not one."""
    match = _ETAG.match(etag or "")
    if match is None or int(match.group(1)) != memo_id:
        raise ValueError(f"{etag!r} is not the ETag of memo {memo_id}")
    return int(match.group(2))


def etag_for(memo_id: int, version: int) -> str:
    return f'"memo-{memo_id}-v{version}"'


def state_from_json(memo: dict[str, Any]) -> State:
    """A memo's JSON as a ledger state."""
    return {
        "title": memo["title"],
        "content": memo["content"],
        "color": memo["color"],
        "is_pinned": memo["is_pinned"],
        "is_deleted": memo["is_deleted"],
        "labels": tuple(sorted(label["content"] for label in memo["labels"])),
        "image": memo["linked_image"] is not None,
    }


@dataclass
class MemoRecord:
    id: int
    #: The index of the client that created it.
    owner: int
    version: int
    state: State
    #: Its owner's DELETE was acknowledged.
    deleted: bool = False
    #: Which answer showed this version: "client 3, update".
    source: str = "create"
    #: The SHA-256 of the last image its owner's upload of was acknowledged.
    image_sha256: str | None = None


@dataclass
class AccountLedger:
    """One account's acknowledged writes, shared by the two clients that use it."""

    user_id: str
    password: str
    #: Set when the client that registers the account is done trying;
    #: ``registration_failed`` says whether it managed to.
    registered: threading.Event = field(default_factory=threading.Event)
    registration_failed: bool = False
    memos: dict[int, MemoRecord] = field(default_factory=dict)
    #: Idempotency-Key of every acknowledged create -> the memo id it answered.
    creates: dict[str, int] = field(default_factory=dict)
    acknowledged_updates: int = 0
    #: Inconsistencies seen in answers during the run (each one is a failure).
    problems: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def created(
        self,
        key: str,
        memo_id: int,
        owner: int,
        version: int,
        state: State,
        image_sha256: str | None,
    ) -> None:
        with self._lock:
            if key in self.creates and self.creates[key] != memo_id:
                self.problems.append(
                    f"key {key} answered memo {self.creates[key]}, then memo {memo_id}"
                )
            elif memo_id in self.memos and key not in self.creates:
                self.problems.append(f"two creates answered the same memo {memo_id}")
            self.creates[key] = memo_id
            self.memos.setdefault(
                memo_id,
                MemoRecord(memo_id, owner, version, dict(state), image_sha256=image_sha256),
            )

    def record(
        self,
        memo_id: int,
        version: int,
        state: State,
        *,
        write: bool,
        source: str,
        image_sha256: str | None = None,
    ) -> None:
        """An acknowledged answer showed ``memo_id`` at ``version`` with ``state``.

        ``write``: it answered a change (counted), not a read. The highest
        version wins; the same version with other fields is a problem.
        """
        with self._lock:
            if write:
                self.acknowledged_updates += 1
            current = self.memos.get(memo_id)
            if current is None:
                self.problems.append(f"memo {memo_id} answered before its create was")
                return
            if image_sha256 is not None:  # an acknowledged upload: the owner's, in order
                current.image_sha256 = image_sha256
            if version > current.version:
                current.version, current.state, current.source = version, dict(state), source
            elif version == current.version and state != current.state:
                self.problems.append(
                    f"memo {memo_id} v{version}: {source} answered {state}, "
                    f"{current.source} answered {current.state}"
                )

    def deleted(self, memo_id: int) -> None:
        with self._lock:
            self.memos[memo_id].deleted = True

    def snapshot(self, memo_id: int) -> MemoRecord | None:
        """A copy of what the ledger knows of a memo (or None)."""
        with self._lock:
            record = self.memos.get(memo_id)
            if record is None:
                return None
            return MemoRecord(record.id, record.owner, record.version, dict(record.state),
                              record.deleted, record.source, record.image_sha256)  # fmt: skip

    def memo_ids(self, *, owner: int | None = None, alive: bool = True) -> list[int]:
        with self._lock:
            return [
                record.id
                for record in self.memos.values()
                if (owner is None or record.owner == owner) and not (alive and record.deleted)
            ]

    def problem(self, text: str) -> None:
        with self._lock:
            self.problems.append(text)
