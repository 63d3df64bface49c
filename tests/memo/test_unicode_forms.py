"""Text that looks the same is the same: the API keeps and compares user text in NFC.

The examples: a label "우유x" typed composed (NFC, as browsers send it) and the
same name decomposed (NFD, as macOS keeps it) were two labels that looked
alike, and searching for 우유 missed a memo whose title was written in NFD.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from .conftest import PASSWORD, APIUser
from .test_pages import post_form


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_label_in_nfd_is_the_same_label_as_in_nfc(kim: APIUser) -> None:
    assert nfd("우유") != "우유"
    created = kim.post("/api/labels", json={"content": "우유"})
    assert created.status_code == 201
    again = kim.post("/api/labels", json={"content": nfd("우유")})
    assert again.status_code == 409
    renamed = kim.post("/api/labels", json={"content": "café"})
    assert (
        kim.put(f"/api/labels/{renamed.json['id']}", json={"content": nfd("우유")}).status_code
        == 409
    )
    memo = kim.create_memo(labels=[nfd("우유"), "우유", nfd("café")])
    assert [label["content"] for label in memo["labels"]] == ["우유", "café"]
    assert [label["id"] for label in memo["labels"]] == [created.json["id"], renamed.json["id"]]
    assert len(kim.get("/api/labels").json) == 2


def test_a_memo_written_in_nfd_is_found_by_a_search_in_nfc_and_back(kim: APIUser) -> None:
    memo = kim.create_memo(title=nfd("장보기 우유"), content=nfd("café au lait"))
    assert memo["title"] == "장보기 우유"  # kept in NFC
    assert memo["content"] == "café au lait"
    for needle in ("우유", nfd("우유"), "café", nfd("CAFÉ")):
        found = kim.get(f"/api/memos?needle={quote(needle)}")
        assert found.headers["X-Total-Count"] == "1", needle
    changed = kim.patch(f"/api/memos/{memo['id']}", json={"content": nfd("두유")})
    assert changed.json["content"] == "두유"


def test_a_user_id_in_nfd_is_the_same_user(client) -> None:
    registered = client.post(
        "/api/users",
        json={"user_id": nfd("김민지"), "user_name": nfd("민지"), "password": PASSWORD},
    )
    assert registered.status_code == 201
    assert registered.json["user_id"] == "김민지"
    assert registered.json["user_name"] == "민지"
    taken = client.post(
        "/api/users", json={"user_id": "김민지", "user_name": "x", "password": PASSWORD}
    )
    assert taken.status_code == 409
    token = client.post("/api/auth", json={"user_id": "김민지", "password": PASSWORD})
    assert token.status_code == 200
    token = client.post("/api/auth", json={"user_id": nfd("김민지"), "password": PASSWORD})
    assert token.status_code == 200
    page = post_form(client, "/auth/login", user_id=nfd("김민지"), password=PASSWORD)
    assert page.status_code == 303
