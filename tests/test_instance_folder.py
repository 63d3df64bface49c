"""The instance folder (instance_path, open_instance_resource) and open_resource."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from microwsgi import App, Blueprint
from microwsgi.scaffold import find_package


@pytest.fixture
def on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder first on sys.path; modules imported from it are forgotten afterwards."""
    folder = tmp_path / "project"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    saved = set(sys.modules)
    yield folder
    for name in set(sys.modules) - saved:
        del sys.modules[name]


APP_MODULE = "from microwsgi import App\napp = App(__name__)\n"


def test_instance_folder_of_a_module_is_beside_it(on_path: Path) -> None:
    (on_path / "shop_module.py").write_text(APP_MODULE)
    from shop_module import app  # type: ignore[import-not-found]

    assert app.instance_path == str(on_path / "instance")


def test_instance_folder_of_a_package_is_beside_the_top_level_package(on_path: Path) -> None:
    (on_path / "shop_pkg" / "web").mkdir(parents=True)
    (on_path / "shop_pkg" / "__init__.py").write_text("")
    (on_path / "shop_pkg" / "web" / "__init__.py").write_text(APP_MODULE)
    from shop_pkg.web import app  # type: ignore[import-not-found]

    assert app.instance_path == str(on_path / "instance")


def test_instance_folder_of_an_installed_package_is_under_the_prefix(
    on_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = on_path / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    monkeypatch.syspath_prepend(str(site))
    (site / "installed_shop.py").write_text(APP_MODULE)
    from installed_shop import app  # type: ignore[import-not-found]

    assert find_package("installed_shop") == (str(on_path), str(site))
    assert app.instance_path == str(on_path / "var" / "installed_shop-instance")


def test_instance_folder_when_the_module_cannot_be_found_is_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert App("no_module_of_this_name").instance_path == str(tmp_path / "instance")


def test_an_explicit_instance_path_must_be_absolute(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must be absolute"):
        App("shop", instance_path="instance")
    assert App("shop", instance_path=str(tmp_path)).instance_path == str(tmp_path)


def test_the_instance_folder_is_not_created(tmp_path: Path) -> None:
    App("shop", instance_path=str(tmp_path / "instance"))
    assert not (tmp_path / "instance").exists()


def test_open_instance_resource_reads_and_writes(tmp_path: Path) -> None:
    app = App("shop", instance_path=str(tmp_path))
    with app.open_instance_resource("notes.txt", "w") as notes:
        notes.write("héllo")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "héllo"
    with app.open_instance_resource("notes.txt") as notes:
        assert notes.read() == "héllo".encode()
    with app.open_instance_resource("notes.txt", "r") as notes:
        assert notes.read() == "héllo"


def test_open_resource_reads_from_the_apps_folder(tmp_path: Path) -> None:
    (tmp_path / "schema.sql").write_text("CREATE TABLE t (x);", encoding="utf-16-le")
    app = App("shop", root_path=str(tmp_path))
    with app.open_resource("schema.sql") as schema:
        assert schema.read() == "CREATE TABLE t (x);".encode("utf-16-le")
    with app.open_resource("schema.sql", "rt", encoding="utf-16-le") as schema:
        assert schema.read() == "CREATE TABLE t (x);"


@pytest.mark.parametrize("mode", ["w", "x", "a", "r+", "wb"])
def test_open_resource_refuses_to_write(tmp_path: Path, mode: str) -> None:
    app = App("shop", root_path=str(tmp_path))
    with pytest.raises(ValueError, match="open_instance_resource"):
        app.open_resource("anything.txt", mode)
    assert os.listdir(tmp_path) == []


def test_a_blueprint_opens_resources_from_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("blueprint data")
    blueprint = Blueprint("admin", __name__, root_path=str(tmp_path))
    with blueprint.open_resource("data.txt", "r") as data:
        assert data.read() == "blueprint data"
