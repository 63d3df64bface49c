"""The seed lab's Flask programs (seed 002, Tests #1-#8; seed 004) run unchanged but
for the import line. Each test carries the seed's code as written."""

from __future__ import annotations

from http import HTTPStatus

from microwsgi import Flask, abort, make_response, request


def test_hello_world_with_three_routes():  # Test #1
    app = Flask(__name__)

    @app.route("/")
    def hello_world():
        return "Hello, World!"

    @app.route("/bad")
    def bad_world():
        return "Bad World!"

    @app.route("/good")
    def good_world():
        return "Good World!"

    client = app.test_client()
    assert client.get("/").text == "Hello, World!"
    assert client.get("/bad").text == "Bad World!"
    assert client.get("/good").text == "Good World!"


def test_extra_methods():  # Test #2
    app = Flask(__name__)

    @app.route("/bad", methods=["GET", "POST"])
    def bad_world():
        return "Bad World!"

    @app.route("/good")
    def good_world():
        return "Good World!"

    client = app.test_client()
    assert client.post("/bad").text == "Bad World!"
    assert client.post("/good").status_code == 405


def test_url_variables():  # Test #3
    app = Flask(__name__)

    @app.route("/<greeting>/<name>")
    def greet(greeting, name):
        return f"{greeting}, {name}!"

    assert app.test_client().get("/Hello/Kim").text == "Hello, Kim!"


def test_status_code_with_httpstatus():  # Test #4
    app = Flask(__name__)

    @app.route("/<greeting>/<name>")
    def greet(greeting, name):
        resp = make_response(f"{greeting}, {name}!", HTTPStatus.NOT_FOUND)
        return resp

    response = app.test_client().get("/Hello/Kim")
    assert (response.status_code, response.text) == (404, "Hello, Kim!")


def test_custom_header():  # Test #5
    app = Flask(__name__)

    @app.route("/<greeting>/<name>")
    def greet(greeting, name):
        resp = make_response(f"{greeting}, {name}!", HTTPStatus.NOT_FOUND)
        resp.headers["MY_HEADER"] = 1234
        return resp

    assert app.test_client().get("/Hello/Kim").headers["MY_HEADER"] == "1234"


def test_request_object():  # Test #6
    app = Flask(__name__)

    @app.route("/", methods=["GET", "POST"])
    def index():
        method = request.method
        name = request.args.get("name", default="이름이 없는 자")
        client = request.headers["User-Agent"]
        return f"{name}, 그대는 {method} 로 호출하였구나. 그대는 {client} 검을 쓰는군."

    client = app.test_client()
    response = client.post("/?name=용사", headers={"User-Agent": "curl/8.0"})
    assert response.text == "용사, 그대는 POST 로 호출하였구나. 그대는 curl/8.0 검을 쓰는군."
    response = client.get("/", headers={"User-Agent": "curl/8.0"})
    assert response.text.startswith("이름이 없는 자, 그대는 GET")


def test_request_without_user_agent_is_400_not_500():  # Test #6, the header missing
    app = Flask(__name__)
    app.route("/")(lambda: request.headers["User-Agent"])
    client = app.test_client()
    del client.environ_base["HTTP_USER_AGENT"]  # the client sends Flask's by default
    assert client.get("/").status_code == 400


def test_json_out():  # Test #7
    app = Flask(__name__)

    @app.route("/", methods=["GET", "POST"])
    def index():
        return {
            "method": request.method,
            "name": request.args.get("name", default="이름이 없는 자"),
            "client": request.headers["User-Agent"],
        }

    response = app.test_client().get("/", headers={"User-Agent": "curl/8.0"})
    assert response.get_json() == {"method": "GET", "name": "이름이 없는 자", "client": "curl/8.0"}


def test_json_in():  # Test #8
    app = Flask(__name__)

    @app.route("/", methods=["GET", "POST"])
    def index():
        return {
            "method": request.method,
            "name": request.args.get("name", default="이름이 없는 자"),
            "client": request.headers["User-Agent"],
            "key1": request.get_json().get("key1", "No key"),
        }

    client = app.test_client()
    headers = {"User-Agent": "curl/8.0"}
    assert client.post("/", json={"key1": "v"}, headers=headers).get_json()["key1"] == "v"
    assert client.post("/", json={}, headers=headers).get_json()["key1"] == "No key"
    # Without a JSON body the seed's view cannot answer: 415, not a crash.
    assert client.post("/", headers=headers).status_code == 415


def test_abort_and_404_handler():  # seed 004
    app = Flask(__name__)

    @app.route("/login")
    def login():
        abort(401)

    @app.errorhandler(404)
    def page_not_found(error):
        return "page_not_found, 404"

    client = app.test_client()
    assert client.get("/login").status_code == 401
    response = client.get("/nowhere")
    assert (response.status_code, response.text) == (404, "page_not_found, 404")
