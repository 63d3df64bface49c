"""Templates: folders, escaping, globals, context processors, filters, reloading."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from jinja2 import TemplateNotFound

from microwsgi import App
from microwsgi.blueprints import Blueprint
from microwsgi.templating import (
    Markup,
    add_template_filter,
    add_template_global,
    add_template_test,
    get_jinja_env,
    render_template,
    render_template_string,
    stream_template,
    stream_template_string,
    template_folders,
)

FIXTURES = Path(__file__).parent / "fixtures" / "templating"


@pytest.fixture
def app() -> App:
    app = App(__name__, root_path=str(FIXTURES))
    app.config["SECRET_KEY"] = "test-secret-key"
    return app


def _render(app: App, template: str | list[str], /, **context: object) -> str:
    with app.test_request_context("/"):
        return render_template(template, **context)


def _render_string(app: App, source: str, **context: object) -> str:
    with app.test_request_context("/"):
        return render_template_string(source, **context)


# -- the environment -----------------------------------------------------------


def test_importing_microwsgi_does_not_import_jinja2() -> None:
    code = (
        "import sys, microwsgi, microwsgi.templating, microwsgi.files, microwsgi.debug\n"
        "assert 'jinja2' not in sys.modules, 'jinja2 was imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_environment_is_created_once_per_app(app: App) -> None:
    assert get_jinja_env(app) is get_jinja_env(app)
    assert get_jinja_env(app) is not get_jinja_env(App(__name__, root_path=str(FIXTURES)))


def test_render_outside_an_app_context_explains_what_to_do(app: App) -> None:
    with pytest.raises(RuntimeError, match="app_context"):
        render_template("page.html")


# -- folders ---------------------------------------------------------------------


def test_template_from_the_app_folder_extends_a_base_layout(app: App) -> None:
    html = _render(app, "page.html", name="Kim")
    assert "<title>Page</title>" in html
    assert "<main>Hello Kim!</main>" in html


def test_first_existing_name_of_a_list_is_used(app: App) -> None:
    assert "Hello Kim" in _render(app, ["missing.html", "page.html"], name="Kim")


def test_blueprint_template_folder_is_searched(app: App) -> None:
    shop = Blueprint("shop", __name__, template_folder="shop_templates", root_path=str(FIXTURES))
    app.register_blueprint(shop)
    assert "<main>Item pen</main>" in _render(app, "shop/item.html", item="pen")


def test_app_folder_comes_before_blueprint_folders(app: App) -> None:
    shop = Blueprint("shop", __name__, template_folder="shop_templates", root_path=str(FIXTURES))
    app.register_blueprint(shop)
    assert template_folders(app) == [
        str(FIXTURES / "templates"),
        str(FIXTURES / "shop_templates"),
    ]
    assert _render(app, "both.html").strip() == "from the app folder"


def test_blueprint_registered_after_first_render_is_searched(app: App) -> None:
    _render(app, "page.html", name="x")
    shop = Blueprint("shop", __name__, template_folder="shop_templates", root_path=str(FIXTURES))
    app.register_blueprint(shop)
    assert "Item pen" in _render(app, "shop/item.html", item="pen")


def test_missing_template_error_lists_the_folders_searched(app: App) -> None:
    from jinja2 import TemplateNotFound

    with pytest.raises(TemplateNotFound) as error:
        _render(app, "nowhere.html")
    assert str(FIXTURES / "templates") in str(error.value)


def test_app_without_template_folder_says_so(app: App) -> None:
    from jinja2 import TemplateNotFound

    bare = App(__name__, root_path=str(FIXTURES), template_folder=None)
    with pytest.raises(TemplateNotFound, match="template_folder=None"):
        _render(bare, "page.html")


@pytest.mark.parametrize("name", ["../templating/templates/page.html", "/etc/passwd", "a\\b.html"])
def test_template_name_that_leaves_the_folder_is_refused(app: App, name: str) -> None:
    from jinja2 import TemplateNotFound

    with pytest.raises(TemplateNotFound, match="Invalid template name"):
        _render(app, name)


# -- escaping --------------------------------------------------------------------


def test_script_in_a_variable_is_escaped_in_html_templates(app: App) -> None:
    html = _render(app, "page.html", name="<script>alert(1)</script>")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_xml_templates_are_escaped(app: App) -> None:
    assert "<title>a &amp; b</title>" in _render(app, "feed.xml", title="a & b")


def test_text_templates_are_not_escaped(app: App) -> None:
    assert _render(app, "note.txt", text="<b>").strip() == "Note: <b>"


def test_template_strings_are_escaped(app: App) -> None:
    assert _render_string(app, "{{ x }}", x="<i>") == "&lt;i&gt;"


def test_markup_is_trusted_html(app: App) -> None:
    assert _render_string(app, "{{ x }}", x=Markup("<i>ok</i>")) == "<i>ok</i>"


def test_safe_filter_marks_trusted_html(app: App) -> None:
    assert _render_string(app, "{{ x|safe }}", x="<i>ok</i>") == "<i>ok</i>"


def test_same_template_string_is_compiled_once(app: App) -> None:
    env = get_jinja_env(app)
    compiled = []
    original = env.from_string
    env.from_string = lambda source: compiled.append(source) or original(source)  # type: ignore[method-assign]
    _render_string(app, "{{ n }}", n=1)
    assert _render_string(app, "{{ n }}", n=2) == "2"
    assert compiled == ["{{ n }}"]


# -- names available in templates ---------------------------------------------------


def test_request_is_available(app: App) -> None:
    with app.test_request_context("/search?q=kim"):
        assert render_template_string("{{ request.args.q }} {{ request.path }}") == "kim /search"


def test_session_is_available(app: App) -> None:
    with app.test_request_context("/"):
        from microwsgi import session

        session["user"] = "kim"
        assert render_template_string("{{ session.user }}") == "kim"


def test_g_is_available(app: App) -> None:
    with app.test_request_context("/"):
        from microwsgi import g

        g.theme = "dark"
        assert render_template_string("{{ g.theme }}") == "dark"


def test_config_is_available(app: App) -> None:
    app.config["SITE_NAME"] = "Shop"
    assert _render_string(app, "{{ config.SITE_NAME }}") == "Shop"


def test_url_for_is_available(app: App) -> None:
    app.add_url_rule("/user/<int:user_id>", "user", lambda user_id: "")
    assert _render_string(app, "{{ url_for('user', user_id=7) }}") == "/user/7"


def test_flashed_messages_are_available(app: App) -> None:
    from microwsgi.flash import flash

    @app.route("/")
    def index() -> str:
        flash("Saved")
        return render_template_string("{{ get_flashed_messages()|join(',') }}")

    assert app.test_client().get("/").text == "Saved"


def test_csrf_token_is_available(app: App) -> None:
    with app.test_request_context("/"):
        token = render_template_string("{{ csrf_token() }}")
    assert len(token) > 10


def test_missing_helper_module_gives_a_clear_error() -> None:
    from microwsgi.templating import _optional_helper

    with pytest.raises(RuntimeError, match="could not be loaded"):
        _optional_helper("no_such_module", "helper")


# -- context processors ------------------------------------------------------------


def test_context_processor_adds_variables(app: App) -> None:
    app.context_processor(lambda: {"site": "Shop"})
    assert _render_string(app, "{{ site }}") == "Shop"


def test_render_arguments_win_over_context_processors(app: App) -> None:
    app.context_processor(lambda: {"site": "Shop"})
    assert _render_string(app, "{{ site }}", site="Other") == "Other"


def test_blueprint_context_processor_runs_only_for_its_requests(app: App) -> None:
    shop = Blueprint("shop", __name__, url_prefix="/shop")
    shop.context_processor(lambda: {"section": "shop"})

    @shop.route("/")
    def shop_index() -> str:
        return render_template_string("{{ section|default('none') }}")

    @app.route("/")
    def index() -> str:
        return render_template_string("{{ section|default('none') }}")

    app.register_blueprint(shop)
    client = app.test_client()
    assert client.get("/shop/").text == "shop"
    assert client.get("/").text == "none"


def test_nested_blueprint_processors_run_outermost_first(app: App) -> None:
    outer = Blueprint("outer", __name__, url_prefix="/outer")
    inner = Blueprint("inner", __name__, url_prefix="/inner")
    outer.context_processor(lambda: {"who": "outer", "outer_only": "yes"})
    inner.context_processor(lambda: {"who": "inner"})

    @inner.route("/")
    def page() -> str:
        return render_template_string("{{ who }} {{ outer_only }}")

    outer.register_blueprint(inner)
    app.register_blueprint(outer)
    assert app.test_client().get("/outer/inner/").text == "inner yes"


# -- filters, globals, tests ----------------------------------------------------------


def test_filter_registered_before_the_environment_exists(app: App) -> None:
    add_template_filter(app, lambda s: s[::-1], name="reverse")
    assert _render_string(app, "{{ 'abc'|reverse }}") == "cba"


def test_filter_registered_after_the_environment_exists(app: App) -> None:
    _render_string(app, "warm up")

    def shout(value: str) -> str:
        return value.upper() + "!"

    add_template_filter(app, shout)
    assert _render_string(app, "{{ 'hi'|shout }}") == "HI!"


def test_template_global(app: App) -> None:
    def answer() -> int:
        return 42

    add_template_global(app, answer)
    assert _render_string(app, "{{ answer() }}") == "42"


def test_template_test(app: App) -> None:
    def even(n: int) -> bool:
        return n % 2 == 0

    add_template_test(app, even)
    assert _render_string(app, "{{ 4 is even }} {{ 3 is even }}") == "True False"


def test_lambda_without_a_name_is_refused(app: App) -> None:
    with pytest.raises(ValueError, match="needs a name"):
        add_template_filter(app, lambda s: s)


# -- reloading ------------------------------------------------------------------------


def _write_template(folder: Path, text: str, mtime: int) -> None:
    path = folder / "templates" / "live.html"
    path.write_text(text)
    os.utime(path, (mtime, mtime))  # a distinct mtime, however fast the test runs


def _live_app(tmp_path: Path) -> App:
    (tmp_path / "templates").mkdir()
    _write_template(tmp_path, "first", 1_000_000)
    return App(__name__, root_path=str(tmp_path))


def test_changed_template_is_reloaded_in_debug_mode(tmp_path: Path) -> None:
    app = _live_app(tmp_path)
    app.debug = True
    assert _render(app, "live.html") == "first"
    _write_template(tmp_path, "second", 2_000_000)
    assert _render(app, "live.html") == "second"


def test_changed_template_is_not_reloaded_without_debug(tmp_path: Path) -> None:
    app = _live_app(tmp_path)
    assert _render(app, "live.html") == "first"
    _write_template(tmp_path, "second", 2_000_000)
    assert _render(app, "live.html") == "first"


def test_templates_auto_reload_setting_overrides_debug(tmp_path: Path) -> None:
    app = _live_app(tmp_path)
    app.config["TEMPLATES_AUTO_RELOAD"] = True
    assert _render(app, "live.html") == "first"
    _write_template(tmp_path, "second", 2_000_000)
    assert _render(app, "live.html") == "second"


# -- streaming ------------------------------------------------------------------------


def test_stream_template_yields_the_rendered_text(app: App) -> None:
    with app.test_request_context("/"):
        pieces = stream_template("page.html", name="Kim")
        assert "<main>Hello Kim!</main>" in "".join(pieces)


def test_streamed_template_sees_the_request_after_the_view_returned(app: App) -> None:
    @app.route("/stream")
    def stream() -> object:
        return app.response_class(stream_template_string("{{ request.args.q }}"))

    assert app.test_client().get("/stream?q=kim").text == "kim"


# -- Flask's ways of customising the environment ----------------------------------------


def test_get_template_attribute_calls_a_macro_from_python(app: App) -> None:
    from microwsgi import get_template_attribute

    with app.app_context():
        hello = get_template_attribute("_macros.html", "hello")
        assert hello("World") == "Hello World!"
        assert get_template_attribute("_macros.html", "version") == "1.2"
        with pytest.raises(AttributeError):
            get_template_attribute("_macros.html", "goodbye")


def test_a_subclass_chooses_the_environment_class(app: App) -> None:
    from microwsgi import templating

    class MyEnvironment(templating.Environment):
        pass

    class MyApp(App):
        jinja_environment = MyEnvironment

    custom = MyApp(__name__, root_path=str(FIXTURES))
    assert type(custom.jinja_env) is MyEnvironment
    assert custom.jinja_env.app is custom
    assert isinstance(app.jinja_env, templating.Environment)


def test_a_subclass_replaces_the_loader() -> None:
    import jinja2

    class MyApp(App):
        def create_global_jinja_loader(self):
            return jinja2.DictLoader({"index.html": "Hello {{ who }}"})

    app = MyApp(__name__)
    with app.app_context():
        assert render_template("index.html", who="loader") == "Hello loader"


def test_jinja_options_reach_the_environment() -> None:
    class MyApp(App):
        jinja_options = {"trim_blocks": True, "autoescape": False}

    app = MyApp(__name__)
    assert app.jinja_env.trim_blocks is True
    with app.app_context():
        assert render_template_string("{{ '<b>' }}") == "<b>"


def test_select_jinja_autoescape_decides_by_file_name(app: App) -> None:
    assert app.select_jinja_autoescape("page.HTML") is True
    assert app.select_jinja_autoescape("note.txt") is False
    assert app.select_jinja_autoescape(None) is True


def test_update_template_context_keeps_the_callers_values(app: App) -> None:
    app.context_processor(lambda: {"user": "processor", "site": "shop"})
    with app.test_request_context("/"):
        context = {"user": "caller"}
        app.update_template_context(context)
        assert context == {"user": "caller", "site": "shop"}


def test_switching_debug_on_turns_template_reloading_on(app: App) -> None:
    assert app.jinja_env.auto_reload is False
    app.debug = True
    assert app.jinja_env.auto_reload is True
    app.config["TEMPLATES_AUTO_RELOAD"] = True
    app.debug = False
    assert app.jinja_env.auto_reload is True  # the explicit setting decides, not DEBUG


def test_the_loader_lists_the_templates_of_the_app_and_its_blueprints(tmp_path: Path) -> None:
    (tmp_path / "templates" / "mail").mkdir(parents=True)
    (tmp_path / "templates" / "index.html").write_text("app")
    (tmp_path / "templates" / "mail" / "welcome.txt").write_text("hi")
    (tmp_path / "shop" / "templates" / "shop").mkdir(parents=True)
    (tmp_path / "shop" / "templates" / "shop" / "cart.html").write_text("cart")
    (tmp_path / "shop" / "templates" / "index.html").write_text("shadowed by the app's")
    app = App(__name__, root_path=str(tmp_path))
    app.register_blueprint(
        Blueprint("shop", __name__, root_path=str(tmp_path / "shop"), template_folder="templates")
    )
    assert app.jinja_env.list_templates() == ["index.html", "mail/welcome.txt", "shop/cart.html"]
    with app.app_context():
        assert render_template("index.html") == "app"


# -- jinja_loader, as Flask apps assign it -------------------------------------


def test_jinja_loader_defaults_to_the_template_folder(tmp_path: Path) -> None:
    import jinja2

    (tmp_path / "templates").mkdir()
    app = App("loaderapp", root_path=str(tmp_path))
    assert isinstance(app.jinja_loader, jinja2.FileSystemLoader)
    assert app.jinja_loader.searchpath == [str(tmp_path / "templates")]
    assert App("x", root_path=str(tmp_path), template_folder=None).jinja_loader is None
    assert Blueprint("bp", __name__).jinja_loader is None


def test_an_assigned_jinja_loader_adds_a_folder_as_in_flask(tmp_path: Path) -> None:
    import jinja2

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("own {{ x }}")
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "layout.html").write_text("theme {{ x }}")
    (tmp_path / "theme" / "page.html").write_text("shadowed")
    app = App("loaderapp", root_path=str(tmp_path))
    app.jinja_loader = jinja2.ChoiceLoader(
        [app.jinja_loader, jinja2.FileSystemLoader(str(tmp_path / "theme"))]
    )
    assert _render(app, "page.html", x=1) == "own 1"
    assert _render(app, "layout.html", x=2) == "theme 2"
    assert {"page.html", "layout.html"} <= set(app.jinja_env.list_templates())
    with app.app_context(), pytest.raises(TemplateNotFound) as caught:
        render_template("missing.html")
    assert "ChoiceLoader" in caught.value.message


def test_a_blueprint_loader_is_asked_after_the_app_folder(tmp_path: Path) -> None:
    import jinja2

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "both.html").write_text("app")
    app = App("loaderapp", root_path=str(tmp_path))
    admin = Blueprint("admin", __name__)
    admin.jinja_loader = jinja2.DictLoader({"admin/index.html": "admin", "both.html": "bp"})
    app.register_blueprint(admin)

    @app.route("/")
    def index() -> str:
        return render_template("admin/index.html") + "|" + render_template("both.html")

    assert app.test_client().get("/").text == "admin|app"


def test_a_loader_set_to_none_gives_no_templates(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("own")
    app = App("loaderapp", root_path=str(tmp_path))
    app.jinja_loader = None
    with app.app_context(), pytest.raises(TemplateNotFound):
        render_template("page.html")


def test_names_that_climb_out_are_refused_before_an_assigned_loader(tmp_path: Path) -> None:
    import jinja2

    app = App("loaderapp", root_path=str(tmp_path))
    app.jinja_loader = jinja2.DictLoader({"../secret.txt": "leaked"})
    with app.app_context(), pytest.raises(TemplateNotFound, match="not allowed"):
        render_template("../secret.txt")
