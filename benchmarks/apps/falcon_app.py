"""The benchmark's routes in Falcon: resource classes with ``on_get``/``on_post``.

Falcon writes into a response object instead of returning a value, takes the
body as ``req.get_media()`` (JSON and urlencoded forms alike), and answers
JSON unless told otherwise, so the text routes set ``content_type``.
"""

from __future__ import annotations

from typing import Any

import falcon

from benchmarks.scenarios import NOT_FOUND_BODY, ROUTE_COUNT


def _text(resp: falcon.Response, text: str) -> None:
    resp.content_type = falcon.MEDIA_TEXT
    resp.text = text


class Hello:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        _text(resp, "Hello, World!")


class User:
    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        _text(resp, f"user {id}")


class JsonAnswer:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"message": "Hello, World!", "id": 42, "tags": ["fast", "small"]}


class Form:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = req.get_media()
        _text(resp, f"{form['name']} likes {form['lang']}")


class Items:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        item = req.get_media()
        _text(resp, f"{item['name']} x{item['count']}")


class Upload:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        size = 0
        for part in req.get_media():
            if part.name == "file":
                while chunk := part.stream.read(64 * 1024):
                    size += len(chunk)
        _text(resp, str(size))


class Numbered:
    def __init__(self, name: str) -> None:
        self.name = name

    def on_get(self, req: falcon.Request, resp: falcon.Response, id: int) -> None:
        _text(resp, f"{self.name} {id}")


def not_found(req: falcon.Request, resp: falcon.Response, error: Exception, params: Any) -> None:
    resp.status = falcon.HTTP_404
    _text(resp, NOT_FOUND_BODY.decode())


app = falcon.App()
app.add_route("/", Hello())
app.add_route("/user/{id:int}", User())
app.add_route("/json", JsonAnswer())
app.add_route("/form", Form())
app.add_route("/items", Items())
app.add_route("/upload", Upload())
for _number in range(ROUTE_COUNT):
    app.add_route(f"/r{_number}/{{id:int}}", Numbered(f"r{_number}"))
app.add_error_handler(falcon.HTTPNotFound, not_found)
