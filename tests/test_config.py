"""app.config loaders: from_object, from_pyfile, from_mapping, from_prefixed_env, get_namespace."""

from __future__ import annotations

import sys
import textwrap
import types

import pytest

from microwsgi import App, Config

# -- from_object --------------------------------------------------------------


class BaseConfig:
    """Settings shared by every environment."""

    SECRET_KEY = "base-key"
    DEBUG = False
    DATABASE_URI = "sqlite:///app.db"
    lower_case_name = "ignored"


class DevelopmentConfig(BaseConfig):
    DEBUG = True


class TestingConfig(BaseConfig):
    TESTING = True
    DATABASE_URI = "sqlite://"


class ProductionConfig(BaseConfig):
    SESSION_COOKIE_SECURE = True


@pytest.fixture
def settings_module(tmp_path, monkeypatch):
    """A module ``myapp_settings`` on sys.path, removed again after the test."""
    (tmp_path / "myapp_settings.py").write_text(
        textwrap.dedent(
            """
            MAIL_SERVER = "smtp.example.com"
            helper = "ignored"

            class ProductionConfig:
                DEBUG = False
                SECRET_KEY = "from-import-string"
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "myapp_settings"
    sys.modules.pop("myapp_settings", None)


def test_from_object_takes_upper_case_attributes_of_a_class():
    config = Config()
    config.from_object(BaseConfig)
    assert config["SECRET_KEY"] == "base-key"
    assert config["DATABASE_URI"] == "sqlite:///app.db"


def test_from_object_ignores_lower_case_attributes():
    config = Config()
    config.from_object(BaseConfig)
    assert "lower_case_name" not in config
    assert "__doc__" not in config


def test_from_object_takes_an_instance():
    settings = BaseConfig()
    settings.EXTRA = "per-instance"  # type: ignore[attr-defined]
    config = Config()
    config.from_object(settings)
    assert config["EXTRA"] == "per-instance"
    assert config["SECRET_KEY"] == "base-key"


def test_from_object_takes_a_module_object():
    module = types.ModuleType("settings")
    module.PORT = 8000  # type: ignore[attr-defined]
    config = Config()
    config.from_object(module)
    assert config["PORT"] == 8000


def test_from_object_sees_inherited_settings_of_per_environment_classes():
    development, testing, production = Config(), Config(), Config()
    development.from_object(DevelopmentConfig)
    testing.from_object(TestingConfig)
    production.from_object(ProductionConfig)
    assert development["DEBUG"] is True
    assert development["SECRET_KEY"] == "base-key"
    assert testing["TESTING"] is True
    assert testing["DATABASE_URI"] == "sqlite://"
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["DATABASE_URI"] == "sqlite:///app.db"


def test_from_object_overrides_defaults_and_keeps_the_rest():
    app = App(__name__)
    app.config.from_object(DevelopmentConfig)
    assert app.debug is True
    assert app.config["SESSION_COOKIE_NAME"] == "session"  # a default left alone


def test_from_object_with_an_import_string_of_a_class(settings_module):
    config = Config()
    config.from_object(f"{settings_module}.ProductionConfig")
    assert config["SECRET_KEY"] == "from-import-string"
    assert config["DEBUG"] is False


def test_from_object_with_an_import_string_of_a_module(settings_module):
    config = Config()
    config.from_object(settings_module)
    assert config["MAIL_SERVER"] == "smtp.example.com"
    assert "helper" not in config


def test_from_object_with_a_missing_attribute_names_it(settings_module):
    with pytest.raises(ImportError, match="NoSuchConfig"):
        Config().from_object(f"{settings_module}.NoSuchConfig")


def test_from_object_with_a_missing_module_raises_import_error():
    with pytest.raises(ImportError):
        Config().from_object("no_such_package_anywhere.settings")


def test_application_factory_picks_the_config_by_name():
    configs = {"development": DevelopmentConfig, "testing": TestingConfig}

    def create_app(env: str) -> App:
        app = App(__name__)
        app.config.from_object(configs[env])
        app.route("/")(lambda: {"testing": app.testing, "debug": app.debug})
        return app

    assert create_app("testing").test_client().get("/").get_json() == {
        "testing": True,
        "debug": False,
    }
    assert create_app("development").test_client().get("/").get_json() == {
        "testing": False,
        "debug": True,
    }


# -- from_pyfile ----------------------------------------------------------------


def test_from_pyfile_takes_upper_case_names(tmp_path):
    (tmp_path / "settings.cfg").write_text(
        "SECRET_KEY = 'from-file'\nPORT = 8000 + 1\nname = 'x'\n"
    )
    config = Config(root_path=str(tmp_path))
    assert config.from_pyfile("settings.cfg") is True
    assert config["SECRET_KEY"] == "from-file"
    assert config["PORT"] == 8001
    assert "name" not in config


def test_from_pyfile_relative_to_the_app_root_path(tmp_path):
    (tmp_path / "instance.py").write_text("DEBUG = True\n")
    app = App(__name__, root_path=str(tmp_path))
    app.config.from_pyfile("instance.py")
    assert app.debug is True


def test_from_pyfile_with_an_absolute_path(tmp_path):
    path = tmp_path / "abs.py"
    path.write_text("MAX_CONTENT_LENGTH = 1024\n")
    config = Config(root_path="/somewhere/else")
    config.from_pyfile(str(path))
    assert config["MAX_CONTENT_LENGTH"] == 1024


def test_from_pyfile_may_import_and_compute(tmp_path):
    (tmp_path / "settings.py").write_text(
        "from datetime import timedelta\nPERMANENT_SESSION_LIFETIME = timedelta(hours=2)\n"
    )
    config = Config(root_path=str(tmp_path))
    config.from_pyfile("settings.py")
    assert config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 7200


def test_from_pyfile_sets_the_file_name_for_the_file(tmp_path):
    (tmp_path / "settings.py").write_text("import os\nHERE = os.path.basename(__file__)\n")
    config = Config(root_path=str(tmp_path))
    config.from_pyfile("settings.py")
    assert config["HERE"] == "settings.py"


def test_from_pyfile_missing_file_raises_saying_so(tmp_path):
    config = Config(root_path=str(tmp_path))
    with pytest.raises(FileNotFoundError, match="Unable to load configuration file"):
        config.from_pyfile("missing.cfg")


def test_from_pyfile_missing_file_with_silent_returns_false(tmp_path):
    config = Config(root_path=str(tmp_path))
    assert config.from_pyfile("missing.cfg", silent=True) is False


def test_from_pyfile_silent_still_reports_errors_inside_the_file(tmp_path):
    (tmp_path / "broken.py").write_text("SECRET_KEY = \n")
    config = Config(root_path=str(tmp_path))
    with pytest.raises(SyntaxError):
        config.from_pyfile("broken.py", silent=True)


def test_from_pyfile_silent_for_a_directory(tmp_path):
    (tmp_path / "a_folder").mkdir()
    assert Config(root_path=str(tmp_path)).from_pyfile("a_folder", silent=True) is False


# -- from_mapping ----------------------------------------------------------------


def test_from_mapping_with_a_dict():
    config = Config()
    assert config.from_mapping({"SECRET_KEY": "k", "DEBUG": True}) is True
    assert config["SECRET_KEY"] == "k"
    assert config["DEBUG"] is True


def test_from_mapping_with_keyword_arguments():
    config = Config()
    config.from_mapping(SECRET_KEY="k", PORT=80)
    assert config["PORT"] == 80


def test_from_mapping_keywords_win_over_the_mapping():
    config = Config()
    config.from_mapping({"PORT": 80}, PORT=8080)
    assert config["PORT"] == 8080


def test_from_mapping_ignores_lower_case_keys():
    config = Config()
    config.from_mapping({"debug": True, "Mixed": 1})
    assert config == {}


# -- from_prefixed_env -------------------------------------------------------------


def test_prefixed_env_strings_stay_strings(monkeypatch):
    monkeypatch.setenv("MICROWSGI_SECRET_KEY", "not-json")
    config = Config()
    config.from_prefixed_env()
    assert config["SECRET_KEY"] == "not-json"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("true", True),
        ("false", False),
        ("8000", 8000),
        ("2.5", 2.5),
        ("null", None),
        ('"quoted"', "quoted"),
        ("[1, 2]", [1, 2]),
        ('{"a": 1}', {"a": 1}),
    ],
)
def test_prefixed_env_values_are_parsed_as_json(monkeypatch, raw, value):
    monkeypatch.setenv("MICROWSGI_VALUE", raw)
    config = Config()
    config.from_prefixed_env()
    assert config["VALUE"] == value


def test_prefixed_env_ignores_other_variables(monkeypatch):
    monkeypatch.setenv("OTHER_DEBUG", "true")
    monkeypatch.setenv("MICROWSGIDEBUG", "true")
    config = Config()
    config.from_prefixed_env()
    assert not any(key.endswith("DEBUG") for key in config)


def test_prefixed_env_with_a_custom_prefix(monkeypatch):
    monkeypatch.setenv("MYAPP_DEBUG", "true")
    monkeypatch.setenv("MICROWSGI_DEBUG", "false")
    config = Config()
    config.from_prefixed_env("MYAPP")
    assert config["DEBUG"] is True


def test_prefixed_env_double_underscore_goes_into_a_nested_dict(monkeypatch):
    monkeypatch.setenv("MICROWSGI_DB__HOST", "db.internal")
    monkeypatch.setenv("MICROWSGI_DB__PORT", "5432")
    config = Config()
    config.from_prefixed_env()
    assert config["DB"] == {"HOST": "db.internal", "PORT": 5432}


def test_prefixed_env_nested_keys_update_an_existing_dict(monkeypatch):
    monkeypatch.setenv("MICROWSGI_DB__HOST", "db.internal")
    config = Config({"DB": {"HOST": "localhost", "NAME": "app"}})
    config.from_prefixed_env()
    assert config["DB"] == {"HOST": "db.internal", "NAME": "app"}


def test_prefixed_env_two_levels_deep(monkeypatch):
    monkeypatch.setenv("MICROWSGI_CACHE__REDIS__URL", "redis://cache")
    config = Config()
    config.from_prefixed_env()
    assert config["CACHE"] == {"REDIS": {"URL": "redis://cache"}}


def test_prefixed_env_overrides_app_defaults(monkeypatch):
    monkeypatch.setenv("MICROWSGI_MAX_CONTENT_LENGTH", "1048576")
    app = App(__name__)
    app.config.from_prefixed_env()
    assert app.config["MAX_CONTENT_LENGTH"] == 1048576


def test_prefixed_env_nested_key_under_a_non_dict_explains_the_conflict(monkeypatch):
    monkeypatch.setenv("MICROWSGI_DB", "sqlite://")
    monkeypatch.setenv("MICROWSGI_DB__HOST", "db.internal")
    with pytest.raises(ValueError, match="MICROWSGI_DB__HOST"):
        Config().from_prefixed_env()


# -- get_namespace --------------------------------------------------------------


@pytest.fixture
def mail_config():
    return Config(
        {
            "MAIL_SERVER": "smtp.example.com",
            "MAIL_PORT": 587,
            "MAIL_USE_TLS": True,
            "MAILBOX_SIZE": 10,
            "SECRET_KEY": "k",
        }
    )


def test_get_namespace_trims_and_lowercases(mail_config):
    assert mail_config.get_namespace("MAIL_") == {
        "server": "smtp.example.com",
        "port": 587,
        "use_tls": True,
    }


def test_get_namespace_keeps_case(mail_config):
    assert mail_config.get_namespace("MAIL_", lowercase=False) == {
        "SERVER": "smtp.example.com",
        "PORT": 587,
        "USE_TLS": True,
    }


def test_get_namespace_keeps_the_prefix(mail_config):
    assert set(mail_config.get_namespace("MAIL_", trim_namespace=False)) == {
        "mail_server",
        "mail_port",
        "mail_use_tls",
    }


def test_get_namespace_without_underscore_matches_longer_names(mail_config):
    assert set(mail_config.get_namespace("MAIL")) == {"_server", "_port", "_use_tls", "box_size"}


def test_get_namespace_result_works_as_keyword_arguments(mail_config):
    def connect(server, port, use_tls):
        return f"{server}:{port} tls={use_tls}"

    assert connect(**mail_config.get_namespace("MAIL_")) == "smtp.example.com:587 tls=True"


def test_config_is_a_dict(mail_config):
    assert isinstance(mail_config, dict)
    assert mail_config.get("MISSING", "default") == "default"
    assert "<Config" in repr(mail_config)


# -- from_file, from_envvar -----------------------------------------------------------


def test_from_file_reads_a_json_file(tmp_path):
    import json

    (tmp_path / "settings.json").write_text('{"SECRET_KEY": "from json", "lower": 1}')
    config = Config(root_path=str(tmp_path))
    assert config.from_file("settings.json", load=json.load) is True
    assert config["SECRET_KEY"] == "from json"
    assert "lower" not in config


def test_from_file_reads_toml_as_bytes(tmp_path):
    import tomllib

    (tmp_path / "settings.toml").write_text('SECRET_KEY = "from toml"\nPORT = 8000\n')
    config = Config(root_path=str(tmp_path))
    config.from_file("settings.toml", load=tomllib.load, text=False)
    assert (config["SECRET_KEY"], config["PORT"]) == ("from toml", 8000)


def test_from_file_missing_raises_unless_silent(tmp_path):
    import json

    config = Config(root_path=str(tmp_path))
    with pytest.raises(FileNotFoundError, match="Unable to load configuration file"):
        config.from_file("missing.json", load=json.load)
    assert config.from_file("missing.json", load=json.load, silent=True) is False


def test_from_envvar_loads_the_file_the_variable_names(tmp_path, monkeypatch):
    (tmp_path / "production.py").write_text("SECRET_KEY = 'from envvar'\n")
    monkeypatch.setenv("SHOP_SETTINGS", str(tmp_path / "production.py"))
    config = Config()
    assert config.from_envvar("SHOP_SETTINGS") is True
    assert config["SECRET_KEY"] == "from envvar"


def test_from_envvar_unset_says_what_to_set(monkeypatch):
    monkeypatch.delenv("SHOP_SETTINGS", raising=False)
    with pytest.raises(RuntimeError, match="export SHOP_SETTINGS="):
        Config().from_envvar("SHOP_SETTINGS")
    assert Config().from_envvar("SHOP_SETTINGS", silent=True) is False


def test_from_mapping_takes_pairs_too():
    config = Config()
    config.from_mapping([("SECRET_KEY", "pairs"), ("lower", "ignored")], DEBUG=True)
    assert config == {"SECRET_KEY": "pairs", "DEBUG": True}


def test_from_prefixed_env_reads_flask_and_microwsgi_variables(monkeypatch):
    monkeypatch.setenv("FLASK_ONLY_FLASK", "1")
    monkeypatch.setenv("FLASK_BOTH", "flask")
    monkeypatch.setenv("MICROWSGI_BOTH", "microwsgi")
    config = Config()
    config.from_prefixed_env()
    assert config["ONLY_FLASK"] == 1
    assert config["BOTH"] == "microwsgi"


def test_from_prefixed_env_with_a_prefix_reads_only_that_one(monkeypatch):
    monkeypatch.setenv("FLASK_SECRET", "flask")
    monkeypatch.setenv("SHOP_SECRET", "shop")
    config = Config()
    config.from_prefixed_env("SHOP")
    assert config == {"SECRET": "shop"}


def test_from_prefixed_env_custom_loads(monkeypatch):
    monkeypatch.setenv("SHOP_NAME", "[1, 2]")
    config = Config()
    config.from_prefixed_env("SHOP", loads=str.upper)
    assert config["NAME"] == "[1, 2]".upper()


# -- the app's config: default_config, config_class, instance-relative files ------------


def test_default_config_is_read_only_and_copied_into_each_app():
    assert App.default_config["SESSION_COOKIE_NAME"] == "session"
    with pytest.raises(TypeError):
        App.default_config["DEBUG"] = True  # type: ignore[index]
    first, second = App("first"), App("second")
    first.config["SESSION_COOKIE_NAME"] = "changed"
    assert second.config["SESSION_COOKIE_NAME"] == "session"


def test_a_subclass_can_change_default_config_and_config_class():
    class ShopConfig(Config):
        pass

    class ShopApp(App):
        config_class = ShopConfig
        default_config = {**App.default_config, "PAGE_SIZE": 20}

    app = ShopApp("shop")
    assert isinstance(app.config, ShopConfig)
    assert app.config["PAGE_SIZE"] == 20


def test_instance_relative_config_loads_files_from_the_instance_folder(tmp_path):
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'from the instance folder'\n")
    app = App("shop", instance_path=str(tmp_path), instance_relative_config=True)
    app.config.from_pyfile("settings.py")
    assert app.config["SECRET_KEY"] == "from the instance folder"
