"""The seed 000 and 004 examples (hello, routing, url_building, errors) via the test client."""

from __future__ import annotations

import subprocess
import sys

import pytest
from apps.servers import REPO_ROOT

from examples import errors, hello, routing, url_building


@pytest.fixture
def client():
    return routing.app.test_client()


# -- hello.py -------------------------------------------------------------------


def test_hello_answers_hello_world():
    response = hello.app.test_client().get("/")
    assert response.status_code == 200
    assert response.text == "Hello, World!"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_hello_has_no_other_page():
    assert hello.app.test_client().get("/other").status_code == 404


# -- routing.py -----------------------------------------------------------------


def test_index_and_hello_pages(client):
    assert client.get("/").text == "Index page"
    assert client.get("/hello").text == "Hello world"


def test_string_variable_reaches_the_view(client):
    assert client.get("/user/kim").text == "User kim"


def test_string_variable_is_escaped_in_the_page(client):
    response = client.get("/user/<img src=x onerror=alert(1)>")
    assert "<img" not in response.text
    assert response.text == "User &lt;img src=x onerror=alert(1)&gt;"


def test_int_converter_gives_the_view_an_int(client):
    assert client.get("/post/42").text == "Post 42"


def test_int_converter_refuses_a_word_with_404(client):
    assert client.get("/post/abc").status_code == 404


def test_float_converter_gives_the_view_a_float(client):
    assert client.get("/price/9.5").text == "Price 9.50"


def test_path_converter_takes_slashes(client):
    assert client.get("/path/a/b/c").text == "Subpath a/b/c"


def test_rule_with_trailing_slash_redirects_the_bare_url(client):
    response = client.get("/projects")
    assert response.status_code == 308
    assert response.headers["Location"].endswith("/projects/")
    assert client.get("/projects/").text == "The project page"


def test_rule_without_trailing_slash_is_404_with_one(client):
    assert client.get("/about").text == "The about page"
    assert client.get("/about/").status_code == 404


def test_login_takes_get_and_post(client):
    assert client.get("/login").text.startswith("show_the_login_form()")
    assert client.post("/login").text.startswith("do_the_login()")


def test_login_refuses_put_with_405_listing_the_methods(client):
    response = client.put("/login")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_head_is_answered_for_get_routes_without_a_body(client):
    response = client.head("/hello")
    assert response.status_code == 200
    assert response.data == b""


# -- url_building.py ---------------------------------------------------------------


def test_url_for_builds_the_four_urls_of_the_seed():
    assert url_building.built_urls() == ["/", "/login", "/login?next=/", "/user/John%20Doe"]


def test_url_building_script_prints_the_urls():
    finished = subprocess.run(
        [sys.executable, "-m", "examples.url_building"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert finished.stdout.splitlines() == [
        "/",
        "/login",
        "/login?next=/",
        "/user/John%20Doe",
    ]


def test_url_building_app_serves_the_built_url():
    response = url_building.app.test_client().get("/user/John%20Doe")
    assert response.text == "profile of John Doe"


# -- errors.py (seed 004) --------------------------------------------------------------


def test_abort_401_stops_the_view():
    response = errors.app.test_client().get("/login")
    assert response.status_code == 401
    assert "Unauthorized" in response.text


def test_custom_404_handler_answers_its_text_with_status_404():
    response = errors.app.test_client().get("/nowhere")
    assert response.status_code == 404
    assert response.text == "page_not_found, 404"
