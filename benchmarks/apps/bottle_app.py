"""The benchmark's routes in Bottle: decorators on a ``Bottle`` object, a global ``request``.

Bottle turns a returned dict into JSON itself, and an error handler's return
value keeps the error's status.
"""

from __future__ import annotations

from bottle import Bottle, request

from benchmarks.scenarios import NOT_FOUND_BODY, ROUTE_COUNT

app = Bottle()


@app.get("/")
def hello() -> str:
    return "Hello, World!"


@app.get("/user/<id:int>")
def user(id: int) -> str:
    return f"user {id}"


@app.get("/json")
def json_answer() -> dict[str, object]:
    return {"message": "Hello, World!", "id": 42, "tags": ["fast", "small"]}


@app.post("/form")
def form() -> str:
    return f"{request.forms.getunicode('name')} likes {request.forms.getunicode('lang')}"


@app.post("/items")
def items() -> str:
    item = request.json
    return f"{item['name']} x{item['count']}"


@app.post("/upload")
def upload() -> str:
    stream = request.files.get("file").file
    size = 0
    while chunk := stream.read(64 * 1024):
        size += len(chunk)
    return str(size)


def _numbered_view(name: str):  # type: ignore[no-untyped-def]
    def view(id: int) -> str:
        return f"{name} {id}"

    return view


for _number in range(ROUTE_COUNT):
    app.get(f"/r{_number}/<id:int>", callback=_numbered_view(f"r{_number}"))


@app.error(404)
def not_found(error: Exception) -> bytes:
    return NOT_FOUND_BODY
