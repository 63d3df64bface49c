"""One simulated user of the memo API: logs in, then writes and reads memos until told to stop.

Two clients share each account (see ``ledger.py``): the even one registers
and logs in for a bearer token (``POST /api/auth``), as a phone app would;
the odd one logs in through the login page and sends the session cookie
with the page's CSRF token, as the memo page's scripts do. Then each picks
operations at random (weights in ``OPERATIONS``): create (with an
``Idempotency-Key``, a quarter of them with an image), update, label, trash,
restore, upload an image, delete for good, edit a memo of the other client,
and read a page of memos, one memo or an image.

Retries. A try that gets no response, or a 502/503/504 from a proxy, may or
may not have been carried out. The client sends it again (a few times, with
a short pause): a create with the same ``Idempotency-Key``, so that the
server answers the first result instead of creating a second memo; a change
with the same ``If-Match``, and if that is refused with 412 the client reads
the memo to see whether its earlier try was applied. Every operation thus
ends acknowledged, refused for a reason the client understands (412 because
the other client wrote first), or it is a failure the run reports.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from .images import png
from .ledger import AccountLedger, State, etag_for, state_from_json, version_of
from .stats import HUNG, TRANSPORT_ERROR, Recorder
from .wire import (
    Body,
    Connection,
    Hung,
    Reply,
    TransportError,
    form_body,
    json_body,
    multipart_body,
)

#: How many times one request is tried before the client gives up on it.
MAX_TRIES = 6
#: Statuses of a proxy that could not get an answer from an app server.
GATEWAY_STATUSES = frozenset({502, 503, 504})
LABEL_NAMES = ("work", "home", "장보기", "ideas", "later", "여행", "books", "urgent")
COLORS = ("default", "red", "yellow", "green", "teal", "blue", "purple", "gray", "#a0c4ff")
WORDS = ("우유", "계란", "meeting", "회의", "draft", "plan", "사진", "note", "list", "idea")

#: Operation -> weight. Writes dominate: the point is to check that writes are kept.
OPERATIONS = {
    "create": 22,
    "update": 18,
    "label": 8,
    "trash": 7,
    "restore": 7,
    "upload image": 6,
    "delete": 3,
    "edit shared": 6,
    "list": 12,
    "read": 6,
    "read image": 5,
}


class GaveUp(Exception):
    """A request failed MAX_TRIES times in a row."""


class Unexpected(Exception):
    """An answer the client cannot explain; recorded as a problem."""


@dataclass
class Sent:
    reply: Reply
    #: An earlier try of this request got no answer (it may have been carried out).
    retried: bool


class LoadClient:
    """One client thread's state; ``run`` is the thread's body."""

    def __init__(
        self,
        index: int,
        account: AccountLedger,
        base_url: str,
        recorder: Recorder,
        *,
        timeout: float,
        keep_alive: bool,
        seed: int,
    ) -> None:
        self.index = index
        self.account = account
        self.uses_session = index % 2 == 1
        self.connection = Connection(base_url, timeout=timeout, keep_alive=keep_alive)
        self.recorder = recorder
        self.random = random.Random(seed)
        self.token: str | None = None
        self.csrf_token: str | None = None
        self.counter = 0
        self.error: str | None = None

    # -- the thread ---------------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        try:
            self.log_in()
            names = list(OPERATIONS)
            weights = list(OPERATIONS.values())
            while not stop.is_set():
                operation = self.random.choices(names, weights)[0]
                try:
                    getattr(self, "do_" + operation.replace(" ", "_"))()
                except Unexpected as error:
                    self.account.problem(f"client {self.index}, {operation}: {error}")
        except GaveUp as error:
            self.error = f"client {self.index} gave up: {error}"
        except Exception as error:  # a bug of the client itself: report, never hide
            self.error = f"client {self.index} crashed: {type(error).__name__}: {error}"
        finally:
            self.connection.close()

    # -- requests -------------------------------------------------------------------

    def send(
        self,
        operation: str,
        method: str,
        path: str,
        body: Body | None = None,
        headers: dict[str, str] | None = None,
    ) -> Sent:
        """One request, tried again while it gets no answer or a proxy's 5xx."""
        all_headers = dict(headers or {})
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        elif self.csrf_token and method not in ("GET", "HEAD"):
            all_headers["X-CSRF-Token"] = self.csrf_token
        retried = False
        for attempt in range(MAX_TRIES):
            try:
                reply = self.connection.request(method, path, body, all_headers)
            except Hung as error:
                last = str(error)
                self.recorder.add(operation, HUNG, self.connection.timeout, last)
            except TransportError as error:
                last = str(error)
                self.recorder.add(operation, TRANSPORT_ERROR, 0.0, last)
            else:
                self.recorder.add(operation, reply.status, reply.latency)
                if reply.status not in GATEWAY_STATUSES:
                    return Sent(reply, retried)
                last = f"{method} {path}: {reply.status}"
            retried = True
            time.sleep(min(0.05 * 2**attempt, 1.0))
        raise GaveUp(last)

    def expect(self, reply: Reply, *statuses: int) -> None:
        if reply.status not in statuses:
            raise Unexpected(f"status {reply.status}, expected {statuses}: {reply.body[:300]!r}")

    # -- logging in ------------------------------------------------------------------

    def log_in(self) -> None:
        account = self.account
        if not self.uses_session:
            body = json_body(
                {"user_id": account.user_id, "user_name": "부하 " + account.user_id,
                 "password": account.password}
            )  # fmt: skip
            try:
                sent = self.send("register", "POST", "/api/users", body)
                # 409 after a retry: the first try registered the account.
                if not (sent.reply.status == 201 or (sent.retried and sent.reply.status == 409)):
                    raise GaveUp(f"register: {sent.reply.status} {sent.reply.body[:200]!r}")
            except BaseException:
                account.registration_failed = True
                raise
            finally:
                account.registered.set()
            credentials = {"user_id": account.user_id, "password": account.password}
            sent = self.send("log in (token)", "POST", "/api/auth", json_body(credentials))
            if sent.reply.status != 200:
                raise GaveUp(f"log in: {sent.reply.status} {sent.reply.body[:200]!r}")
            self.token = sent.reply.json()["access_token"]
            return
        if not account.registered.wait(timeout=120) or account.registration_failed:
            raise GaveUp("the account was not registered by the other client")
        page = self.send("log in (session)", "GET", "/auth/login").reply
        form_token = _html_value(page.body, r'name="csrf_token" value="([^"]+)"')
        fields = {"user_id": account.user_id, "password": account.password,
                  "csrf_token": form_token}  # fmt: skip
        done = self.send("log in (session)", "POST", "/auth/login", form_body(fields)).reply
        if done.status != 303:
            raise GaveUp(f"log in through the page: {done.status} {done.body[:200]!r}")
        home = self.send("log in (session)", "GET", "/").reply
        self.csrf_token = _html_value(home.body, r'<meta name="csrf-token" content="([^"]+)"')

    # -- writing -----------------------------------------------------------------------

    def do_create(self) -> None:
        self.counter += 1
        key = uuid.uuid4().hex
        title = f"{self.random.choice(WORDS)} {self.index}-{self.counter}"
        content = " ".join(self.random.choices(WORDS, k=self.random.randint(1, 12)))
        labels = sorted(set(self.random.sample(LABEL_NAMES, self.random.randint(0, 3))))
        color = self.random.choice(COLORS)
        fields: dict[str, Any] = {"title": title, "content": content, "color": color}
        image = self.make_image() if self.random.random() < 0.25 else None
        if image is not None:
            fields["labels"] = ",".join(labels)
            body = multipart_body(
                {name: str(value) for name, value in fields.items()},
                {"linked_image": ("photo.png", image, "image/png")},
            )
        else:
            fields["labels"] = labels
            body = json_body(fields)
        sent = self.send("create", "POST", "/api/memos", body, {"Idempotency-Key": key})
        reply = sent.reply
        self.expect(reply, 201)
        memo = reply.json()
        if reply.header("Idempotent-Replayed") and not sent.retried:
            raise Unexpected(f"a first try was answered as a replay: {memo['id']}")
        image_hash = hashlib.sha256(image).hexdigest() if image else None
        expected: State = {"title": title, "content": content, "color": color,
                           "is_pinned": False, "is_deleted": False, "labels": tuple(labels),
                           "image": image is not None}  # fmt: skip
        state = state_from_json(memo)
        if state != expected:
            raise Unexpected(f"created {state}, sent {expected}")
        version = version_of(reply.header("ETag"), memo["id"]) if reply.header("ETag") else 1
        self.account.created(key, memo["id"], self.index, version, state, image_hash)

    def do_update(self) -> None:
        memo_id = self.pick_own()
        if memo_id is None:
            return self.do_create()
        changes: dict[str, Any] = {}
        for name in self.random.sample(["title", "content", "color", "is_pinned"], 2):
            if name == "title":
                changes["title"] = f"{self.random.choice(WORDS)} {self.index}-{self.counter}!"
            elif name == "content":
                changes["content"] = " ".join(self.random.choices(WORDS, k=6))
            elif name == "color":
                changes["color"] = self.random.choice(COLORS)
            else:
                changes["is_pinned"] = self.random.random() < 0.5
            self.counter += 1
        self.change("update", memo_id, changes)

    def do_label(self) -> None:
        memo_id = self.pick_own()
        if memo_id is not None:
            labels = sorted(set(self.random.sample(LABEL_NAMES, self.random.randint(0, 4))))
            self.change("label", memo_id, {"labels": labels})

    def do_trash(self) -> None:
        memo_id = self.pick_own(in_trash=False)
        if memo_id is not None:
            self.change("trash", memo_id, {"is_deleted": True})

    def do_restore(self) -> None:
        memo_id = self.pick_own(in_trash=True)
        if memo_id is not None:
            self.change("restore", memo_id, {"is_deleted": False})

    def do_upload_image(self) -> None:
        memo_id = self.pick_own()
        if memo_id is not None:
            self.change("upload image", memo_id, {}, image=self.make_image())

    def do_edit_shared(self) -> None:
        """Edit a memo of the other client of the account: read it, then write with If-Match."""
        others = [
            memo_id
            for memo_id in self.account.memo_ids()
            if self.account.memos[memo_id].owner != self.index
        ]
        if not others:
            return
        memo_id = self.random.choice(others)
        reply = self.send("edit shared", "GET", f"/api/memos/{memo_id}").reply
        if reply.status == 404:
            return  # deleted by its owner in the meantime
        self.expect(reply, 200)
        self.observe(memo_id, reply)
        changes = {"content": f"edited by client {self.index}, {self.counter}"}
        self.counter += 1
        self.change("edit shared", memo_id, changes, if_match=reply.header("ETag"), tries=1)

    def do_delete(self) -> None:
        memo_id = self.pick_own()
        if memo_id is None:
            return
        for _conflict in range(5):
            record = self.account.snapshot(memo_id)
            assert record is not None
            sent = self.send(
                "delete",
                "DELETE",
                f"/api/memos/{memo_id}",
                headers={"If-Match": etag_for(memo_id, record.version)},
            )
            if sent.reply.status == 204 or (sent.retried and sent.reply.status == 404):
                self.account.deleted(memo_id)
                return
            if sent.reply.status == 404:
                # A proxy sends a DELETE cut off by a dying server to the next one
                # (DELETE is idempotent): if the first had deleted the memo, this is
                # the answer. Only the owner deletes, so the memo is gone either way;
                # the run reports when it happened (a lost memo would look the same).
                self.recorder.unconfirmed(f"DELETE memo {memo_id} answered 404")
                self.account.deleted(memo_id)
                return
            if sent.reply.status != 412:
                raise Unexpected(f"DELETE memo {memo_id}: {sent.reply.status}")
            self.recorder.conflict("delete")
            self.refresh(memo_id)
        raise Unexpected(f"DELETE memo {memo_id}: 412 five times")

    def change(
        self,
        operation: str,
        memo_id: int,
        changes: dict[str, Any],
        *,
        image: bytes | None = None,
        if_match: str | None = None,
        tries: int = 5,
    ) -> None:
        """PATCH ``changes`` (and an image) with If-Match; record the acknowledged result.

        On a 412 the memo is read again; if it already shows this change (an
        earlier try that lost its answer), that counts as acknowledged.
        Otherwise the other client wrote first: the owner tries again on the
        newer version (``tries`` times), the other client gives up (as a
        person would, shown the newer version).
        """
        image_hash = hashlib.sha256(image).hexdigest() if image else None
        for _conflict in range(tries):
            record = self.account.snapshot(memo_id)
            assert record is not None
            if record.deleted:
                return
            base_version = record.version if if_match is None else version_of(if_match, memo_id)
            base_state = record.state if base_version == record.version else None
            if base_state is None:
                return  # the ledger moved on since this client read it: nothing to compare with
            expected = {**base_state, **changes}
            if "labels" in changes:
                expected["labels"] = tuple(sorted(changes["labels"]))
            if image_hash:
                expected["image"] = True
            headers = {"If-Match": etag_for(memo_id, base_version)}
            if image is not None:
                fields = {name: _form_value(value) for name, value in changes.items()}
                body = multipart_body(fields, {"linked_image": ("photo.png", image, "image/png")})
            elif self.random.random() < 0.3 and "labels" in changes:
                body = form_body({"labels": ",".join(changes["labels"]) + ","})
            else:
                body = json_body(changes)
            sent = self.send(operation, "PATCH", f"/api/memos/{memo_id}", body, headers)
            reply = sent.reply
            if reply.status == 200:
                memo = reply.json()
                state = state_from_json(memo)
                if state != expected:
                    raise Unexpected(f"memo {memo_id}: answered {state}, expected {expected}")
                version = version_of(reply.header("ETag"), memo_id)
                self.account.record(memo_id, version, state, write=True, image_sha256=image_hash,
                                    source=f"client {self.index}, {operation}")  # fmt: skip
                return
            if reply.status == 404:
                if self.account.memos[memo_id].owner == self.index:
                    raise Unexpected(f"memo {memo_id} of this client is gone (404)")
                return  # the owner deleted it
            if reply.status != 412:
                raise Unexpected(f"PATCH memo {memo_id}: {reply.status} {reply.body[:300]!r}")
            current = self.refresh(memo_id)
            if current is None:
                return
            version, state = current
            if sent.retried and version == base_version + 1 and state == expected:
                self.account.record(memo_id, version, state, write=True, image_sha256=image_hash,
                                    source=f"client {self.index}, {operation} (read)")  # fmt: skip
                return
            self.recorder.conflict(operation)
            if_match = None
        if self.account.memos[memo_id].owner == self.index:
            raise Unexpected(f"memo {memo_id}: {operation} refused with 412 {tries} times")

    # -- reading ------------------------------------------------------------------------

    def do_list(self) -> None:
        query = f"page={self.random.randint(1, 3)}&per_page=15"
        roll = self.random.random()
        if roll < 0.2:
            query += "&is_deleted=true"
        elif roll < 0.4:
            query += "&needle=" + self.random.choice(["%EC%9A%B0%EC%9C%A0", "plan", "50%25"])
        reply = self.send("list", "GET", f"/api/memos?{query}").reply
        self.expect(reply, 200)
        if not isinstance(reply.json(), list) or reply.header("X-Total-Count") is None:
            raise Unexpected("a page of memos without its list or X-Total-Count")

    def do_read(self) -> None:
        memo_id = self.pick_own()
        if memo_id is None:
            return
        known = self.account.snapshot(memo_id)
        reply = self.send("read", "GET", f"/api/memos/{memo_id}").reply
        if reply.status == 404:
            raise Unexpected(f"memo {memo_id} of this client is gone (404)")
        self.expect(reply, 200)
        version = self.observe(memo_id, reply)
        if known is not None and version < known.version:
            raise Unexpected(f"memo {memo_id}: read v{version} after v{known.version} was answered")

    def do_read_image(self) -> None:
        with_image = [
            memo_id
            for memo_id in self.account.memo_ids(owner=self.index)
            if self.account.memos[memo_id].image_sha256
        ]
        if not with_image:
            return
        memo_id = self.random.choice(with_image)
        expected = self.account.memos[memo_id].image_sha256
        reply = self.send("read image", "GET", f"/api/memos/{memo_id}/image").reply
        self.expect(reply, 200)
        if hashlib.sha256(reply.body).hexdigest() != expected:
            raise Unexpected(f"memo {memo_id}: the image served is not the one uploaded")

    # -- helpers ----------------------------------------------------------------------------

    def pick_own(self, in_trash: bool | None = None) -> int | None:
        candidates = [
            memo_id
            for memo_id in self.account.memo_ids(owner=self.index)
            if in_trash is None or self.account.memos[memo_id].state["is_deleted"] == in_trash
        ]
        return self.random.choice(candidates) if candidates else None

    def refresh(self, memo_id: int) -> tuple[int, State] | None:
        """Read a memo again and record what it shows; None if it is gone."""
        reply = self.send("read", "GET", f"/api/memos/{memo_id}").reply
        if reply.status == 404:
            return None
        self.expect(reply, 200)
        version = self.observe(memo_id, reply)
        return version, state_from_json(reply.json())

    def observe(self, memo_id: int, reply: Reply) -> int:
        """Record a memo as a read showed it; returns its version."""
        version = version_of(reply.header("ETag"), memo_id)
        self.account.record(memo_id, version, state_from_json(reply.json()), write=False,
                            source=f"client {self.index}, GET")  # fmt: skip
        return version

    def make_image(self) -> bytes:
        """A PNG of its own colour; one in five of about 30 KB (nginx buffers it to disk)."""
        rgb = (self.random.randrange(256), self.random.randrange(256), self.random.randrange(256))
        if self.random.random() < 0.2:
            return png(100, 100, noise=self.random.randbytes(30_000))
        return png(self.random.randint(1, 64), self.random.randint(1, 64), rgb)


def _html_value(page: bytes, pattern: str) -> str:
    match = re.search(pattern, page.decode("utf-8", "replace"))
    if match is None:
        raise GaveUp(f"no {pattern!r} in the page: {page[:200]!r}")
    return match.group(1)


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(value)
    return str(value)
