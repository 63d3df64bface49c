"""POST /api/memos with an Idempotency-Key: a retry returns the first answer."""

from __future__ import annotations

import threading
from datetime import timedelta

from .conftest import APIUser, tiny_png, upload


def test_a_retry_with_the_same_key_returns_the_first_answer(kim: APIUser) -> None:
    body = {"title": "한 번만", "content": "c", "labels": "x"}
    first = kim.post("/api/memos", json=body, headers={"Idempotency-Key": "abc-123"})
    retry = kim.post("/api/memos", json=body, headers={"Idempotency-Key": "abc-123"})
    assert first.status_code == retry.status_code == 201
    assert retry.data == first.data
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert kim.get("/api/memos").headers["X-Total-Count"] == "1"


def test_the_same_content_as_a_form_is_the_same_request(kim: APIUser) -> None:
    kim.post(
        "/api/memos",
        json={"title": "t", "content": "c", "labels": ["a"]},
        headers={"Idempotency-Key": "k"},
    )
    retry = kim.post(
        "/api/memos",
        data={"title": "t", "content": "c", "labels": "a,"},
        headers={"Idempotency-Key": "k"},
    )
    assert retry.status_code == 201
    assert kim.get("/api/memos").headers["X-Total-Count"] == "1"


def test_the_key_with_other_content_is_422(kim: APIUser) -> None:
    kim.post("/api/memos", json={"title": "t", "content": "c"}, headers={"Idempotency-Key": "k"})
    other = kim.post(
        "/api/memos", json={"title": "other", "content": "c"}, headers={"Idempotency-Key": "k"}
    )
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json["errors"]
    assert kim.get("/api/memos").headers["X-Total-Count"] == "1"


def test_an_image_is_part_of_the_request(kim: APIUser) -> None:
    def post(data: bytes):
        return kim.post(
            "/api/memos",
            data={"title": "t", "content": "c", "linked_image": upload(data, "a.png")},
            headers={"Idempotency-Key": "img"},
        )

    assert post(tiny_png()).status_code == 201
    assert post(tiny_png()).status_code == 201
    assert post(tiny_png(2, 2)).status_code == 422


def test_keys_belong_to_one_user(kim: APIUser, lee: APIUser) -> None:
    body = {"title": "t", "content": "c"}
    kim.post("/api/memos", json=body, headers={"Idempotency-Key": "shared"})
    response = lee.post("/api/memos", json=body, headers={"Idempotency-Key": "shared"})
    assert response.status_code == 201
    assert response.json["user_id"] == lee.profile["id"]
    assert "Idempotent-Replayed" not in response.headers


def test_without_a_key_every_post_creates(kim: APIUser) -> None:
    body = {"title": "t", "content": "c"}
    kim.post("/api/memos", json=body)
    kim.post("/api/memos", json=body)
    assert kim.get("/api/memos").headers["X-Total-Count"] == "2"


def test_an_invalid_key_is_400(kim: APIUser) -> None:
    for key in ("", "x" * 256, "키"):
        response = kim.post(
            "/api/memos", json={"title": "t", "content": "c"}, headers={"Idempotency-Key": key}
        )
        assert response.status_code == 400, key
    assert kim.get("/api/memos").headers["X-Total-Count"] == "0"


def test_an_expired_key_can_be_used_again(kim: APIUser, app) -> None:
    body = {"title": "t", "content": "c"}
    kim.post("/api/memos", json=body, headers={"Idempotency-Key": "old"})
    app.config["IDEMPOTENCY_KEY_LIFETIME"] = timedelta(seconds=-1)
    again = kim.post(
        "/api/memos", json={**body, "title": "new"}, headers={"Idempotency-Key": "old"}
    )
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert kim.get("/api/memos").headers["X-Total-Count"] == "2"


def test_concurrent_retries_create_one_memo(app, kim: APIUser) -> None:
    """Eight copies of one request at once (a client retrying through a load balancer)."""
    body = {"title": "동시에", "content": "c", "labels": "new-label"}
    results: list[tuple[int, int]] = []
    barrier = threading.Barrier(8, timeout=30)

    def send() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(
            "/api/memos", json=body, headers={**kim.headers, "Idempotency-Key": "race"}
        )
        results.append((response.status_code, response.json["id"]))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 8
    assert {status for status, _id in results} == {201}
    assert len({memo_id for _status, memo_id in results}) == 1
    assert kim.get("/api/memos").headers["X-Total-Count"] == "1"
    assert len(kim.get("/api/labels").json) == 1
