"""An app with blueprints, for the ``microwsgi routes`` table."""

from __future__ import annotations

from microwsgi import App
from microwsgi.blueprints import Blueprint

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.route("/")
def dashboard() -> str:
    return "dashboard"


@admin.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> str:
    return f"user {user_id}"


def create_app() -> App:
    app = App(__name__, static_folder=None)

    @app.route("/")
    def index() -> str:
        return "home"

    @app.delete("/items/<name>")
    def delete_item(name: str) -> str:
        return f"deleted {name}"

    app.register_blueprint(admin)
    return app
