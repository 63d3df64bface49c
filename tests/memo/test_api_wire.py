"""The API as other clients and servers see it: Werkzeug's test client, a mount prefix,
PEP 3333's validator, bodies without content."""

from __future__ import annotations

import io
from typing import Any
from wsgiref.validate import validator

from werkzeug.test import Client

from .conftest import APIUser, tiny_png


def test_werkzeugs_client_uploads_an_image_and_reads_the_pages(app, kim: APIUser) -> None:
    client = Client(validator(app))
    created = client.post(
        "/api/memos",
        headers=kim.headers,
        data={
            "title": "사진",
            "content": "내용",
            "labels": "a,b",
            "linked_image": (io.BytesIO(tiny_png()), "p.png"),
        },
    )
    assert created.status_code == 201
    body = created.get_json()
    assert [label["content"] for label in body["labels"]] == ["a", "b"]
    image = client.get(body["linked_image"], headers=kim.headers)
    assert image.data == tiny_png() and image.mimetype == "image/png"
    listing = client.get("/api/memos?needle=사진", headers=kim.headers)
    assert listing.headers["X-Total-Count"] == "1"
    created.close()
    image.close()
    listing.close()


def test_no_content_answers_have_no_body_and_no_content_type(app, kim: APIUser) -> None:
    memo = kim.create_memo()
    client = Client(validator(app))  # it shows the headers exactly as the app sent them
    for path in (f"/api/memos/{memo['id']}/image", f"/api/memos/{memo['id']}"):
        response = client.delete(path, headers=kim.headers)
        assert response.status_code == 204
        assert response.data == b""
        assert "Content-Type" not in response.headers
        response.close()


def test_under_a_mount_prefix_every_url_keeps_it(kim: APIUser) -> None:
    base = "http://localhost/memo/"
    created = kim.post(
        "/api/memos",
        base_url=base,
        data={"title": "t", "content": "c", "linked_image": (io.BytesIO(tiny_png()), "p.png")},
    )
    assert created.headers["Location"] == f"/memo/api/memos/{created.json['id']}"
    assert created.json["linked_image"] == f"/memo/api/memos/{created.json['id']}/image"
    listing = kim.get("/api/memos?per_page=1", base_url=base)
    assert all(url.startswith("</memo/api/memos?") for url in listing.headers["Link"].split(", "))
    document: dict[str, Any] = kim.client.get("/api/openapi.json", base_url=base).json
    assert document["servers"] == [{"url": "/memo"}]
