"""The benchmark's routes in microwsgi: the Flask quick-start style.

Compare with ``flask_app.py``: apart from the import, the two are the same
program.
"""

from __future__ import annotations

from benchmarks.scenarios import NOT_FOUND_BODY, ROUTE_COUNT
from microwsgi import App, request

app = App(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"


@app.route("/user/<int:id>")
def user(id: int) -> str:
    return f"user {id}"


@app.route("/json")
def json_answer() -> dict[str, object]:
    return {"message": "Hello, World!", "id": 42, "tags": ["fast", "small"]}


@app.post("/form")
def form() -> str:
    return f"{request.form['name']} likes {request.form['lang']}"


@app.post("/items")
def items() -> str:
    item = request.get_json()
    return f"{item['name']} x{item['count']}"


@app.post("/upload")
def upload() -> str:
    stream = request.files["file"].stream
    size = 0
    while chunk := stream.read(64 * 1024):
        size += len(chunk)
    return str(size)


def _numbered_view(name: str):  # type: ignore[no-untyped-def]
    def view(id: int) -> str:
        return f"{name} {id}"

    return view


for _number in range(ROUTE_COUNT):
    app.add_url_rule(f"/r{_number}/<int:id>", f"r{_number}", _numbered_view(f"r{_number}"))


@app.errorhandler(404)
def not_found(error: Exception) -> tuple[bytes, int]:
    return NOT_FOUND_BODY, 404
