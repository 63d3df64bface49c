"""Class-based views: View.as_view, MethodView dispatch, inferred methods, 405, decorators."""

from __future__ import annotations

import functools

import pytest

from microwsgi import App, request, url_for
from microwsgi.exceptions import MethodNotAllowed
from microwsgi.views import MethodView, View

# -- View ---------------------------------------------------------------------


def test_view_dispatch_request_answers_with_url_variables(app, client):
    class Greeting(View):
        def dispatch_request(self, name):
            return f"Hello, {name}!"

    app.add_url_rule("/hello/<name>", view_func=Greeting.as_view("greeting"))
    assert client.get("/hello/kim").text == "Hello, kim!"


def test_as_view_name_is_the_endpoint(app):
    class Page(View):
        def dispatch_request(self):
            return "page"

    app.add_url_rule("/page", view_func=Page.as_view("the_page"))
    with app.test_request_context():
        assert url_for("the_page") == "/page"
    assert "the_page" in app.view_functions


def test_as_view_function_carries_class_name_methods_and_options():
    class Form(View):
        methods = ["GET", "POST"]
        provide_automatic_options = False

    view = Form.as_view("form")
    assert view.view_class is Form
    assert view.__name__ == "form"
    assert view.methods == ["GET", "POST"]
    assert view.provide_automatic_options is False


def test_as_view_function_has_the_class_docstring_and_module():
    class Documented(View):
        """Shows a document."""

    view = Documented.as_view("doc")
    assert view.__doc__ == "Shows a document."
    assert view.__module__ == __name__


def test_view_methods_attribute_sets_the_rule_methods(app, client):
    class Form(View):
        methods = ["GET", "POST"]

        def dispatch_request(self):
            return request.method

    app.add_url_rule("/form", view_func=Form.as_view("form"))
    assert client.post("/form").text == "POST"
    response = client.put("/form")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST"


def test_view_without_methods_accepts_only_get(app, client):
    class Page(View):
        def dispatch_request(self):
            return "page"

    app.add_url_rule("/page", view_func=Page.as_view("page"))
    assert client.get("/page").status_code == 200
    assert client.post("/page").status_code == 405


def test_class_args_and_kwargs_go_to_the_constructor(app, client):
    class Listing(View):
        def __init__(self, model, per_page=10):
            self.model, self.per_page = model, per_page

        def dispatch_request(self):
            return f"{self.model} x{self.per_page}"

    app.add_url_rule("/users", view_func=Listing.as_view("users", "user", per_page=50))
    app.add_url_rule("/posts", view_func=Listing.as_view("posts", "post"))
    assert client.get("/users").text == "user x50"
    assert client.get("/posts").text == "post x10"


def test_view_without_dispatch_request_says_what_to_define(app):
    class Empty(View):
        pass

    app.add_url_rule("/", view_func=Empty.as_view("empty"))
    app.testing = True
    with pytest.raises(NotImplementedError, match="must define dispatch_request"):
        app.test_client().get("/")


def test_a_new_instance_serves_every_request_by_default(app, client):
    instances = []

    class Counter(View):
        def dispatch_request(self):
            instances.append(self)
            return "ok"

    app.add_url_rule("/", view_func=Counter.as_view("counter"))
    client.get("/")
    client.get("/")
    assert len(instances) == 2
    assert instances[0] is not instances[1]


def test_init_every_request_false_reuses_one_instance(app, client):
    made = []
    served = []

    class Shared(View):
        init_every_request = False

        def __init__(self):
            made.append(self)

        def dispatch_request(self):
            served.append(self)
            return "ok"

    view = Shared.as_view("shared")
    assert len(made) == 1  # made once, by as_view
    app.add_url_rule("/", view_func=view)
    for _ in range(3):
        client.get("/")
    assert len(made) == 1
    assert served == [made[0]] * 3


def test_decorators_wrap_the_view_function(app, client):
    def shout(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            return view(**kwargs).upper()

        return wrapper

    class Quiet(View):
        decorators = [shout]

        def dispatch_request(self):
            return "quiet"

    app.add_url_rule("/", view_func=Quiet.as_view("quiet"))
    assert client.get("/").text == "QUIET"


def test_decorators_apply_first_in_list_innermost(app, client):
    def tag(label):
        def decorator(view):
            def wrapper(**kwargs):
                return f"{label}({view(**kwargs)})"

            return wrapper

        return decorator

    class Page(View):
        decorators = [tag("inner"), tag("outer")]

        def dispatch_request(self):
            return "page"

    app.add_url_rule("/", view_func=Page.as_view("page"))
    assert client.get("/").text == "outer(inner(page))"


def test_decorators_see_the_endpoint_name(app):
    seen = []

    def record_name(view):
        seen.append(view.__name__)
        return view

    class Page(View):
        decorators = [record_name]

    Page.as_view("the_page")
    assert seen == ["the_page"]


def test_decorated_view_keeps_view_class_and_methods():
    def passthrough(view):
        def wrapper(**kwargs):
            return view(**kwargs)

        return wrapper

    class Page(View):
        methods = ["POST"]
        decorators = [passthrough]

    view = Page.as_view("page")
    assert view.view_class is Page
    assert view.methods == ["POST"]
    assert view.__name__ == "page"


def test_decorator_can_refuse_the_request(app, client):
    def login_required(view):
        @functools.wraps(view)
        def wrapper(**kwargs):
            if "user" not in request.args:
                return "log in first", 401
            return view(**kwargs)

        return wrapper

    class Secret(View):
        decorators = [login_required]

        def dispatch_request(self):
            return "the secret"

    app.add_url_rule("/secret", view_func=Secret.as_view("secret"))
    assert client.get("/secret").status_code == 401
    assert client.get("/secret?user=kim").text == "the secret"


def test_one_view_function_may_serve_two_rules(app, client):
    class Item(View):
        def dispatch_request(self, item_id=None):
            return f"item {item_id}"

    view = Item.as_view("item")
    app.add_url_rule("/items/", view_func=view, defaults={"item_id": None})
    app.add_url_rule("/items/<int:item_id>", view_func=view)
    assert client.get("/items/").text == "item None"
    assert client.get("/items/3").text == "item 3"


# -- MethodView -------------------------------------------------------------


class Todo(MethodView):
    """A resource written the way Flask-RESTful / Flask-RESTX resources are."""

    def __init__(self, store):
        self.store = store

    def get(self, todo_id):
        if todo_id not in self.store:
            return {"message": f"Todo {todo_id} doesn't exist"}, 404
        return self.store[todo_id]

    def put(self, todo_id):
        self.store[todo_id] = {"task": request.get_json()["task"]}
        return self.store[todo_id], 201

    def delete(self, todo_id):
        del self.store[todo_id]
        return "", 204


class TodoList(MethodView):
    def __init__(self, store):
        self.store = store

    def get(self):
        return self.store

    def post(self):
        todo_id = f"todo{len(self.store) + 1}"
        self.store[todo_id] = {"task": request.get_json()["task"]}
        return self.store[todo_id], 201


@pytest.fixture
def todo_app():
    """``api.add_resource(TodoList, "/todos")`` spelled with add_url_rule."""
    app = App(__name__)
    store = {"todo1": {"task": "build an API"}}
    app.add_url_rule("/todos", view_func=TodoList.as_view("todos", store))
    app.add_url_rule("/todos/<todo_id>", view_func=Todo.as_view("todo", store))
    return app


def test_method_view_infers_methods_from_defined_functions():
    assert Todo.methods == {"GET", "PUT", "DELETE"}
    assert TodoList.methods == {"GET", "POST"}


def test_method_view_get_returns_json_resource(todo_app):
    response = todo_app.test_client().get("/todos/todo1")
    assert response.status_code == 200
    assert response.get_json() == {"task": "build an API"}


def test_method_view_post_with_status_tuple(todo_app):
    client = todo_app.test_client()
    response = client.post("/todos", json={"task": "write tests"})
    assert response.status_code == 201
    assert response.get_json() == {"task": "write tests"}
    assert client.get("/todos").get_json()["todo2"] == {"task": "write tests"}


def test_method_view_put_and_delete(todo_app):
    client = todo_app.test_client()
    assert client.put("/todos/todo1", json={"task": "changed"}).status_code == 201
    assert client.get("/todos/todo1").get_json() == {"task": "changed"}
    assert client.delete("/todos/todo1").status_code == 204
    assert client.get("/todos/todo1").status_code == 404


def test_method_view_unsupported_method_is_405_with_allow(todo_app):
    response = todo_app.test_client().post("/todos/todo1")
    assert response.status_code == 405
    assert response.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS, PUT"


def test_method_view_head_falls_back_to_get(app, client):
    calls = []

    class Page(MethodView):
        def get(self):
            calls.append(request.method)
            return "body"

    app.add_url_rule("/", view_func=Page.as_view("page"))
    response = client.head("/")
    assert response.status_code == 200
    assert calls == ["HEAD"]
    assert response.data == b""


def test_method_view_own_head_wins_over_get(app, client):
    class Page(MethodView):
        def get(self):
            return "from get"

        def head(self):
            return "", 200, {"X-From": "head"}

    app.add_url_rule("/", view_func=Page.as_view("page"))
    assert client.head("/").headers["X-From"] == "head"


def test_method_view_options_is_answered_automatically(app, client):
    class Page(MethodView):
        def get(self):
            return "page"

        def post(self):
            return "posted"

    app.add_url_rule("/", view_func=Page.as_view("page"))
    response = client.options("/")
    assert response.status_code == 200
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS, POST"


def test_method_view_own_options_method_is_used(app, client):
    class Preflight(MethodView):
        def get(self):
            return "page"

        def options(self):
            return "", 204, {"Access-Control-Allow-Methods": "GET"}

    app.add_url_rule("/", view_func=Preflight.as_view("preflight"))
    assert Preflight.methods == {"GET", "OPTIONS"}
    response = client.options("/")
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Methods"] == "GET"


def test_method_view_methods_include_inherited_functions(app, client):
    class ReadOnly(MethodView):
        def get(self):
            return "read"

    class ReadWrite(ReadOnly):
        def post(self):
            return "written"

    assert ReadWrite.methods == {"GET", "POST"}
    app.add_url_rule("/", view_func=ReadWrite.as_view("rw"))
    assert client.get("/").text == "read"
    assert client.post("/").text == "written"


def test_method_view_methods_include_base_class_methods_from_a_mixin():
    class DeleteMixin:
        def delete(self):
            return "", 204

    class Resource(DeleteMixin, MethodView):
        def get(self):
            return "read"

    assert Resource.methods == {"GET", "DELETE"}


def test_method_view_explicit_methods_are_kept():
    class Limited(MethodView):
        methods = ["GET"]

        def get(self):
            return "read"

        def post(self):
            return "never routed"

    assert Limited.methods == ["GET"]


def test_method_view_listed_but_undefined_method_is_405_not_500(app, client):
    class Partial(MethodView):
        methods = ["GET", "POST"]

        def get(self):
            return "read"

    app.add_url_rule("/", view_func=Partial.as_view("partial"))
    response = client.post("/")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_method_view_never_dispatches_to_non_http_attributes(app):
    class Sneaky(MethodView):
        def get(self):
            return "read"

    # The router refuses such a method first; called directly, the view refuses it too.
    with (
        app.test_request_context("/", method="DISPATCH_REQUEST"),
        pytest.raises(MethodNotAllowed) as error,
    ):
        Sneaky().dispatch_request()
    assert error.value.valid_methods == ["GET", "HEAD"]


def test_method_view_extension_method_listed_in_methods(app, client):
    class Collection(MethodView):
        methods = ["GET", "PROPFIND"]

        def get(self):
            return "read"

        def propfind(self):
            return "properties", 207

    app.add_url_rule("/dav", view_func=Collection.as_view("dav"))
    response = client.open("/dav", method="PROPFIND")
    assert response.status_code == 207
    assert response.text == "properties"


def test_method_view_passes_url_variables_to_the_method(app, client):
    class User(MethodView):
        def get(self, user_id):
            return {"id": user_id}

    app.add_url_rule("/users/<int:user_id>", view_func=User.as_view("user"))
    assert client.get("/users/7").get_json() == {"id": 7}


def test_method_view_in_a_blueprint(app, client):
    from microwsgi.blueprints import Blueprint

    api = Blueprint("api", __name__, url_prefix="/api")

    class Status(MethodView):
        def get(self):
            return {"endpoint": request.endpoint}

    api.add_url_rule("/status", view_func=Status.as_view("status"))
    app.register_blueprint(api)
    assert client.get("/api/status").get_json() == {"endpoint": "api.status"}
    with app.test_request_context():
        assert url_for("api.status") == "/api/status"


def test_method_view_with_init_every_request_false_shares_state(app, client):
    class Hits(MethodView):
        init_every_request = False

        def __init__(self):
            self.hits = 0

        def post(self):
            self.hits += 1
            return str(self.hits)

    app.add_url_rule("/", view_func=Hits.as_view("hits"))
    client.post("/")
    assert client.post("/").text == "2"


def test_the_view_class_is_looked_up_on_the_view_function_at_each_request(app, client):
    class Real(MethodView):
        def get(self):
            return "real"

    class StandIn(MethodView):
        def get(self):
            return "stand-in"

    view = Real.as_view("thing")
    app.add_url_rule("/", view_func=view)
    assert client.get("/").text == "real"
    view.view_class = StandIn  # as a test may patch it
    assert client.get("/").text == "stand-in"
