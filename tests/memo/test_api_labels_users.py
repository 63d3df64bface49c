"""Labels and users through the API."""

from __future__ import annotations

from .conftest import PASSWORD, APIUser


def test_create_list_read_labels(kim: APIUser) -> None:
    created = kim.post("/api/labels", json={"content": " 여행 "})
    assert created.status_code == 201
    label = created.json
    assert label["content"] == "여행" and label["user_id"] == kim.profile["id"]
    assert created.headers["Location"] == f"/api/labels/{label['id']}"
    assert kim.get(f"/api/labels/{label['id']}").json == label
    assert kim.get("/api/labels").json == [label]


def test_label_names_are_unique_per_user(kim: APIUser, lee: APIUser) -> None:
    assert kim.post("/api/labels", data={"content": "work"}).status_code == 201
    duplicate = kim.post("/api/labels", json={"content": "work"})
    assert duplicate.status_code == 409
    assert duplicate.json["errors"] == {"content": "is taken"}
    assert lee.post("/api/labels", json={"content": "work"}).status_code == 201


def test_empty_or_long_label_is_422(kim: APIUser) -> None:
    for content in ("", "   ", "x" * 51):
        assert kim.post("/api/labels", json={"content": content}).status_code == 422


def test_rename_shows_in_memos_and_changes_their_etag(kim: APIUser) -> None:
    memo = kim.create_memo(labels="wrok")
    etag = kim.get(f"/api/memos/{memo['id']}").headers["ETag"]
    label_id = memo["labels"][0]["id"]
    renamed = kim.put(f"/api/labels/{label_id}", json={"content": "work"})
    assert renamed.status_code == 200 and renamed.json["content"] == "work"
    again = kim.get(f"/api/memos/{memo['id']}")
    assert again.json["labels"] == [{"id": label_id, "content": "work"}]
    assert again.headers["ETag"] != etag


def test_rename_to_a_taken_name_is_409(kim: APIUser) -> None:
    first = kim.post("/api/labels", json={"content": "a"}).json
    kim.post("/api/labels", json={"content": "b"})
    response = kim.put(f"/api/labels/{first['id']}", json={"content": "b"})
    assert response.status_code == 409
    assert kim.get(f"/api/labels/{first['id']}").json["content"] == "a"


def test_deleting_a_label_keeps_its_memos(kim: APIUser) -> None:
    memo = kim.create_memo(labels="a,b")
    label_id = memo["labels"][0]["id"]
    assert kim.delete(f"/api/labels/{label_id}").status_code == 204
    assert [label["content"] for label in kim.get(f"/api/memos/{memo['id']}").json["labels"]] == [
        "b"
    ]
    assert kim.get(f"/api/labels/{label_id}").status_code == 404


def test_other_users_labels_are_404(kim: APIUser, lee: APIUser) -> None:
    label = kim.post("/api/labels", json={"content": "mine"}).json
    url = f"/api/labels/{label['id']}"
    assert lee.get(url).status_code == 404
    assert lee.put(url, json={"content": "taken"}).status_code == 404
    assert lee.delete(url).status_code == 404
    assert lee.get("/api/labels").json == []
    assert kim.get(url).json["content"] == "mine"


def test_users_see_only_themselves(kim: APIUser, lee: APIUser) -> None:
    assert kim.get("/api/users").json == [kim.profile]
    assert kim.get(f"/api/users/{kim.profile['id']}").json == kim.profile
    response = kim.get(f"/api/users/{lee.profile['id']}")
    assert response.status_code == 404
    assert set(kim.profile) == {"id", "user_id", "user_name", "created_at"}


def test_register_twice_is_409(client) -> None:
    body = {"user_id": "kim", "user_name": "김", "password": PASSWORD}
    assert client.post("/api/users", json=body).status_code == 201
    again = client.post("/api/users", json={**body, "user_name": "other"})
    assert again.status_code == 409
    assert again.json["errors"] == {"user_id": "is taken"}


def test_register_with_a_short_password_is_422(client) -> None:
    response = client.post(
        "/api/users", json={"user_id": "kim", "user_name": "김", "password": "short"}
    )
    assert response.status_code == 422
    assert "password" in response.json["errors"]


def test_register_with_missing_fields_is_422(client) -> None:
    response = client.post("/api/users", data={"user_id": "kim"})
    assert response.status_code == 422
    assert response.json["errors"] == {"user_name": "is required", "password": "is required"}


def test_passwords_are_stored_as_scrypt_hashes(client, app) -> None:
    client.post("/api/users", json={"user_id": "kim", "user_name": "김", "password": PASSWORD})
    from sqlalchemy import select

    from examples.memo.db import get_database
    from examples.memo.models import User

    with get_database(app).session() as session:
        stored = session.scalar(select(User.password_hash))
    assert stored.startswith("scrypt:") and PASSWORD not in stored
