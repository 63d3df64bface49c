"""Memos through the API: create, read, list, search, pages, change, trash, delete."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest

from .conftest import APIUser

# -- creating -------------------------------------------------------------------


def test_create_with_json_answers_201_with_the_memo_and_its_location(kim: APIUser) -> None:
    response = kim.post(
        "/api/memos",
        json={"title": "장보기", "content": "우유, 계란", "color": "yellow", "is_pinned": True},
    )
    assert response.status_code == 201
    memo = response.json
    assert response.headers["Location"] == f"/api/memos/{memo['id']}"
    assert memo["title"] == "장보기" and memo["content"] == "우유, 계란"
    assert memo["user_id"] == kim.profile["id"]
    assert memo["is_pinned"] is True and memo["color"] == "yellow"
    assert memo["is_deleted"] is False and memo["linked_image"] is None and memo["labels"] == []
    for field in ("created_at", "updated_at"):
        assert datetime.fromisoformat(memo[field]).utcoffset().total_seconds() == 0
    assert "이" in response.text or "장보기" in response.text  # JSON keeps Korean readable


def test_create_with_a_form_converts_booleans(kim: APIUser) -> None:
    response = kim.post(
        "/api/memos", data={"title": "t", "content": "c", "is_deleted": "True", "is_pinned": "on"}
    )
    assert response.status_code == 201
    assert response.json["is_deleted"] is True and response.json["is_pinned"] is True


def test_create_with_multipart_and_an_empty_file_input(kim: APIUser) -> None:
    # What a browser sends for a form whose file input was left empty.
    response = kim.post(
        "/api/memos",
        data={"title": "t", "content": "c", "labels": "x", "linked_image": (io.BytesIO(b""), "")},
    )
    assert response.status_code == 201
    assert response.json["linked_image"] is None
    assert [label["content"] for label in response.json["labels"]] == ["x"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "c"}, "title"),
        ({"title": "t"}, "content"),
        ({"title": "x" * 101, "content": "c"}, "title"),
        ({"title": 5, "content": "c"}, "title"),
        ({"title": "t", "content": "c", "color": "plaid"}, "color"),
        ({"title": "t", "content": "c", "is_pinned": "maybe"}, "is_pinned"),
    ],
)
def test_invalid_memo_is_422_naming_the_field(kim: APIUser, body: dict, field: str) -> None:
    response = kim.post("/api/memos", json=body)
    assert response.status_code == 422
    assert response.json["code"] == 422
    assert field in response.json["errors"]
    assert kim.get("/api/memos").headers["X-Total-Count"] == "0"


def test_missing_title_is_reported_as_required(kim: APIUser) -> None:
    response = kim.post("/api/memos", json={"content": "c"})
    assert response.json["errors"] == {"title": "is required"}


def test_title_of_exactly_100_characters_is_accepted(kim: APIUser) -> None:
    assert kim.post("/api/memos", json={"title": "가" * 100, "content": ""}).status_code == 201


def test_body_that_is_not_json_is_400(kim: APIUser) -> None:
    response = kim.post("/api/memos", data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json["code"] == 400


def test_json_body_that_is_not_an_object_is_422(kim: APIUser) -> None:
    response = kim.post("/api/memos", json=["title", "content"])
    assert response.status_code == 422


def test_unsupported_media_type_is_415(kim: APIUser) -> None:
    response = kim.post("/api/memos", data=b"title=t", content_type="text/plain")
    assert response.status_code == 415
    assert response.json["code"] == 415


def test_unknown_method_is_405_json_with_allow(kim: APIUser) -> None:
    response = kim.post("/api/memos/1", json={})
    assert response.status_code == 405
    assert response.json["code"] == 405
    assert {"GET", "PUT", "PATCH", "DELETE"} <= set(response.headers["Allow"].split(", "))


def test_unknown_api_url_is_404_json(kim: APIUser) -> None:
    response = kim.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json["code"] == 404


# -- labels on memos, in both spellings ----------------------------------------


def test_labels_as_a_comma_separated_string(kim: APIUser) -> None:
    memo = kim.create_memo(labels="work, home,,work,")
    assert [label["content"] for label in memo["labels"]] == ["work", "home"]


def test_labels_as_a_json_list_reuse_existing_labels(kim: APIUser) -> None:
    first = kim.create_memo(labels="work,")
    second = kim.create_memo(labels=["work", "여행", ""])
    assert [label["content"] for label in second["labels"]] == ["work", "여행"]
    assert second["labels"][0]["id"] == first["labels"][0]["id"]
    assert len(kim.get("/api/labels").json) == 2


def test_labels_as_repeated_form_fields(kim: APIUser) -> None:
    response = kim.post("/api/memos", data={"title": "t", "content": "c", "labels": ["a", "b"]})
    assert response.status_code == 201
    assert [label["content"] for label in response.json["labels"]] == ["a", "b"]


def test_label_name_too_long_is_422(kim: APIUser) -> None:
    response = kim.post(
        "/api/memos", json={"title": "t", "content": "c", "labels": ["ok", "x" * 51]}
    )
    assert response.status_code == 422
    assert "labels.1" in response.json["errors"]


@pytest.mark.parametrize(
    ("labels", "field"),
    [
        ("ok,a," + "x" * 51, "labels"),  # one string: the field itself
        (["ok,a", "b," + "x" * 51], "labels.1"),  # the list's second item, not the fourth name
    ],
)
def test_a_long_label_is_reported_where_it_was_sent(kim: APIUser, labels, field: str) -> None:
    response = kim.post("/api/memos", json={"title": "t", "content": "c", "labels": labels})
    assert response.status_code == 422
    assert response.json["errors"] == {field: "holds a name longer than 50 characters"}


def test_a_label_that_is_not_text_is_blamed_on_its_item(kim: APIUser) -> None:
    """The example: labels [1, 2] was "labels: must be a string", as if a list were wrong."""
    response = kim.post("/api/memos", json={"title": "t", "content": "c", "labels": ["a", 2]})
    assert response.status_code == 422
    assert response.json["errors"] == {"labels.1": "must be a string"}
    response = kim.post("/api/memos", json={"title": "t", "content": "c", "labels": 2})
    assert response.json["errors"] == {"labels": "must be a string or an array"}
    assert kim.get("/api/memos").json == []


# -- reading and listing -----------------------------------------------------------


def test_read_one_memo_with_etag_and_304(kim: APIUser) -> None:
    memo = kim.create_memo()
    response = kim.get(f"/api/memos/{memo['id']}")
    assert response.status_code == 200 and response.json == memo
    etag = response.headers["ETag"]
    assert etag.startswith('"')
    again = kim.get(f"/api/memos/{memo['id']}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_list_is_pinned_first_then_newest_first(kim: APIUser) -> None:
    old = kim.create_memo(title="old")
    pinned = kim.create_memo(title="pinned", is_pinned=True)
    new = kim.create_memo(title="new")
    titles = [memo["title"] for memo in kim.get("/api/memos").json]
    assert titles == ["pinned", "new", "old"]
    assert {old["id"], pinned["id"], new["id"]} == {m["id"] for m in kim.get("/api/memos").json}


def parse_links(header: str) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', header)}


def test_pagination_headers(kim: APIUser) -> None:
    for number in range(7):
        kim.create_memo(title=f"memo {number}", content="쪽")
    first = kim.get("/api/memos", query_string={"per_page": 3, "needle": "쪽"})
    assert first.headers["X-Total-Count"] == "7"
    assert [m["title"] for m in first.json] == ["memo 6", "memo 5", "memo 4"]
    links = parse_links(first.headers["Link"])
    assert set(links) == {"first", "next", "last"}
    assert "page=3" in links["last"] and "per_page=3" in links["last"]
    middle = kim.get(links["next"])
    assert [m["title"] for m in middle.json] == ["memo 3", "memo 2", "memo 1"]
    assert set(parse_links(middle.headers["Link"])) == {"first", "prev", "next", "last"}
    last = kim.get(parse_links(middle.headers["Link"])["next"])
    assert [m["title"] for m in last.json] == ["memo 0"]
    assert set(parse_links(last.headers["Link"])) == {"first", "prev", "last"}
    assert "needle=" in parse_links(last.headers["Link"])["prev"]


def test_page_past_the_end_is_an_empty_list(kim: APIUser) -> None:
    kim.create_memo()
    response = kim.get("/api/memos?page=5")
    assert response.status_code == 200 and response.json == []
    assert response.headers["X-Total-Count"] == "1"


def test_default_page_size_is_15(kim: APIUser) -> None:
    for number in range(16):
        kim.create_memo(title=str(number))
    assert len(kim.get("/api/memos").json) == 15


@pytest.mark.parametrize(
    "query", ["page=0", "page=x", "per_page=101", "per_page=0", "label=abc", "is_deleted=perhaps"]
)
def test_bad_query_is_422(kim: APIUser, query: str) -> None:
    response = kim.get(f"/api/memos?{query}")
    assert response.status_code == 422
    assert response.json["errors"]


def test_search_finds_korean_in_title_and_content(kim: APIUser) -> None:
    kim.create_memo(title="회의록", content="다음 주 일정")
    kim.create_memo(title="장보기", content="회의 끝나고 우유")
    kim.create_memo(title="other", content="nothing")
    found = kim.get("/api/memos", query_string={"needle": "회의"}).json
    assert sorted(m["title"] for m in found) == ["장보기", "회의록"]


def test_search_is_case_insensitive(kim: APIUser) -> None:
    kim.create_memo(title="Python Notes", content="")
    kim.create_memo(title="Ärger", content="")
    assert len(kim.get("/api/memos?needle=pYTHON").json) == 1
    assert len(kim.get("/api/memos", query_string={"needle": "ärger"}).json) == 1


@pytest.mark.parametrize(
    ("needle", "expected"), [("%", ["50% off"]), ("_", ["snake_case"]), ("\\", ["C:\\temp"])]
)
def test_search_wildcards_are_literal(kim: APIUser, needle: str, expected: list[str]) -> None:
    for title in ("50% off", "snake_case", "C:\\temp", "plain"):
        kim.create_memo(title=title, content="")
    response = kim.get("/api/memos", query_string={"needle": needle})
    assert [m["title"] for m in response.json] == expected


def test_filter_by_label(kim: APIUser) -> None:
    work = kim.create_memo(title="w", labels="work")
    kim.create_memo(title="h", labels="home")
    label_id = work["labels"][0]["id"]
    assert [m["title"] for m in kim.get(f"/api/memos?label={label_id}").json] == ["w"]


# -- changing, trash, restore, delete ------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_update_changes_only_the_fields_sent(kim: APIUser, method: str) -> None:
    memo = kim.create_memo(title="before", content="keep me", labels="a")
    response = kim.request(method, f"/api/memos/{memo['id']}", json={"title": "after"})
    assert response.status_code == 200
    assert response.json["title"] == "after"
    assert response.json["content"] == "keep me"
    assert [label["content"] for label in response.json["labels"]] == ["a"]
    assert response.json["updated_at"] > memo["updated_at"]


def test_update_with_a_form_like_the_original_app(kim: APIUser) -> None:
    memo = kim.create_memo()
    response = kim.put(
        f"/api/memos/{memo['id']}", data={"title": "new_title", "content": "new_content"}
    )
    assert response.status_code == 200
    assert (response.json["title"], response.json["content"]) == ("new_title", "new_content")


def test_labels_sent_replace_the_memos_set(kim: APIUser) -> None:
    memo = kim.create_memo(labels="a,b")
    changed = kim.patch(f"/api/memos/{memo['id']}", json={"labels": "c,"}).json
    assert [label["content"] for label in changed["labels"]] == ["c"]
    cleared = kim.patch(f"/api/memos/{memo['id']}", json={"labels": []}).json
    assert cleared["labels"] == []


def test_trash_and_restore(kim: APIUser) -> None:
    memo = kim.create_memo(title="버릴 것")
    trashed = kim.patch(f"/api/memos/{memo['id']}", json={"is_deleted": True})
    assert trashed.json["is_deleted"] is True
    assert kim.get("/api/memos").json == []
    trash = kim.get("/api/memos?is_deleted=true").json
    assert [m["id"] for m in trash] == [memo["id"]]
    restored = kim.put(f"/api/memos/{memo['id']}", data={"is_deleted": "false"})
    assert restored.json["is_deleted"] is False
    assert [m["id"] for m in kim.get("/api/memos").json] == [memo["id"]]
    assert kim.get("/api/memos?is_deleted=true").json == []


def test_delete_is_for_good(kim: APIUser) -> None:
    memo = kim.create_memo(labels="keep")
    response = kim.delete(f"/api/memos/{memo['id']}")
    assert response.status_code == 204 and response.data == b""
    assert kim.get(f"/api/memos/{memo['id']}").status_code == 404
    assert kim.delete(f"/api/memos/{memo['id']}").status_code == 404
    assert [label["content"] for label in kim.get("/api/labels").json] == ["keep"]


def test_stale_if_match_is_412_and_nothing_changes(kim: APIUser) -> None:
    memo = kim.create_memo(title="v1")
    etag = kim.get(f"/api/memos/{memo['id']}").headers["ETag"]
    first = kim.patch(f"/api/memos/{memo['id']}", json={"title": "v2"}, headers={"If-Match": etag})
    assert first.status_code == 200
    new_etag = first.headers["ETag"]
    assert new_etag != etag
    second = kim.patch(f"/api/memos/{memo['id']}", json={"title": "v3"}, headers={"If-Match": etag})
    assert second.status_code == 412
    assert second.json["code"] == 412
    assert kim.get(f"/api/memos/{memo['id']}").json["title"] == "v2"
    assert kim.delete(f"/api/memos/{memo['id']}", headers={"If-Match": etag}).status_code == 412
    ok = kim.put(
        f"/api/memos/{memo['id']}",
        json={"title": "v3"},
        headers={"If-Match": f"{etag}, {new_etag}"},
    )
    assert ok.status_code == 200


def test_a_deleted_memos_id_and_etag_never_come_back(kim: APIUser) -> None:
    """The newest memo deleted, the next one gets a new id: the old ETag names nothing.

    SQLite reused the largest id, so a stale If-Match overwrote the new memo and
    a cached copy of the deleted one was "not modified".
    """
    old = kim.create_memo(title="groceries", labels="home")
    url = f"/api/memos/{old['id']}"
    etag = kim.get(url).headers["ETag"]
    assert kim.delete(url).status_code == 204
    new = kim.create_memo(title="bank")
    assert new["id"] > old["id"]
    stale = kim.put(url, json={"title": "groceries!"}, headers={"If-Match": etag})
    assert stale.status_code == 404
    assert kim.get(url, headers={"If-None-Match": etag}).status_code == 404
    assert kim.get(f"/api/memos/{new['id']}").json["title"] == "bank"
    label = kim.get("/api/labels").json[0]
    assert kim.delete(f"/api/labels/{label['id']}").status_code == 204
    assert kim.post("/api/labels", json={"content": "work"}).json["id"] > label["id"]


def test_if_match_star_and_weak_tags(kim: APIUser) -> None:
    memo = kim.create_memo()
    etag = kim.get(f"/api/memos/{memo['id']}").headers["ETag"]
    weak = kim.patch(
        f"/api/memos/{memo['id']}", json={"title": "x"}, headers={"If-Match": f"W/{etag}"}
    )
    assert weak.status_code == 412  # If-Match compares strongly (RFC 9110, 13.1.1)
    star = kim.patch(f"/api/memos/{memo['id']}", json={"title": "x"}, headers={"If-Match": "*"})
    assert star.status_code == 200


def test_a_write_whose_if_none_match_names_the_memo_is_412(kim: APIUser) -> None:
    """RFC 9110, 13.1.2: a write with If-None-Match that matches is not done (it was done)."""
    memo = kim.create_memo(title="v1")
    url = f"/api/memos/{memo['id']}"
    etag = kim.get(url).headers["ETag"]
    for header in ("*", etag, f'"other", W/{etag}'):
        for method in ("PATCH", "PUT"):
            refused = kim.request(
                method, url, json={"title": "v2"}, headers={"If-None-Match": header}
            )
            assert refused.status_code == 412, (method, header)
            assert refused.json["code"] == 412
        refused = kim.delete(url, headers={"If-None-Match": header})
        assert refused.status_code == 412
    assert kim.get(url).json["title"] == "v1"
    # An ETag of another version does not match: the write is done.
    changed = kim.patch(url, json={"title": "v2"}, headers={"If-None-Match": '"memo-0-v9"'})
    assert changed.status_code == 200
    assert kim.delete(url, headers={"If-None-Match": etag}).status_code == 204


def test_every_change_changes_the_etag(kim: APIUser) -> None:
    memo = kim.create_memo(labels="a")
    url = f"/api/memos/{memo['id']}"
    seen = {kim.get(url).headers["ETag"]}
    for change in (
        {"is_pinned": True},
        {"color": "#a0b1c2"},
        {"labels": "b"},
        {"is_deleted": True},
    ):
        seen.add(kim.patch(url, json=change).headers["ETag"])
    assert len(seen) == 5
    unchanged = kim.patch(url, json={"color": "#a0b1c2"})
    assert unchanged.headers["ETag"] in seen


# -- two users ---------------------------------------------------------------------------


def test_users_never_see_each_others_memos(kim: APIUser, lee: APIUser) -> None:
    mine = kim.create_memo(title="kim's", labels="private")
    lee.create_memo(title="lee's")
    assert [m["title"] for m in lee.get("/api/memos").json] == ["lee's"]
    assert lee.get("/api/memos?needle=kim").json == []
    url = f"/api/memos/{mine['id']}"
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        response = lee.request(method, url, json={"title": "stolen"})
        assert response.status_code == 404, method
        assert response.json["code"] == 404
    assert lee.delete(f"{url}/image").status_code == 404
    assert lee.get(f"/api/memos?label={mine['labels'][0]['id']}").json == []
    assert kim.get(url).json["title"] == "kim's"


def test_a_404_for_someone_elses_memo_looks_like_a_missing_one(kim: APIUser, lee: APIUser) -> None:
    mine = kim.create_memo()
    other = lee.get(f"/api/memos/{mine['id']}")
    missing = lee.get("/api/memos/999999")
    assert other.status_code == missing.status_code == 404
    assert other.json["message"].replace(str(mine["id"]), "N") == missing.json["message"].replace(
        "999999", "N"
    )


def test_huge_ids_are_404_not_errors(kim: APIUser) -> None:
    assert kim.get("/api/memos/99999999999999999999").status_code == 404
    assert kim.get("/api/memos?label=99999999999999999999").status_code == 422


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/memos", {"title": "a\x00b", "content": "c"}),
        ("/api/memos", {"title": "t", "content": "c", "labels": ["a\x00"]}),
        ("/api/labels", {"content": "x\x00"}),
        ("/api/auth", {"user_id": "k\x00", "password": "p"}),
        ("/api/users", {"user_id": "k", "user_name": "n\x00", "password": "long password"}),
    ],
)
def test_nul_characters_are_422_on_every_backend(kim: APIUser, path: str, body: dict) -> None:
    # PostgreSQL cannot store U+0000 in text; found by schemathesis as a 500.
    response = kim.post(path, json=body)
    assert response.status_code == 422
    assert kim.get("/api/memos", query_string={"needle": "\x00"}).status_code == 422
