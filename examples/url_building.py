"""URL building with ``url_for`` inside ``test_request_context`` (seed 000).

    python -m examples.url_building

prints::

    /
    /login
    /login?next=/
    /user/John%20Doe

The seed's listing names two views ``index``; the second is ``login`` here,
as its route and the ``url_for("login")`` calls say it should be (in Flask
as in microwsgi, a second view under one endpoint name is an error).
``url_for`` builds from the endpoint's name, escapes what needs escaping
(``John Doe`` -> ``John%20Doe``) and adds unknown arguments as a query string.

The seed's views have ``pass`` as their body; a view that returns nothing
is an error once a request reaches it, so these return a word each, and
``microwsgi --app examples.url_building run`` serves them.
"""

from microwsgi import Flask, escape, url_for

app = Flask(__name__)


@app.route("/")
def index():
    return "index"


@app.route("/login")
def login():
    return "login"


@app.route("/user/<username>")
def profile(username):
    return f"profile of {escape(username)}"


def built_urls():
    """The four URLs of the seed, built as if a request were being handled."""
    with app.test_request_context():
        return [
            url_for("index"),
            url_for("login"),
            url_for("login", next="/"),
            url_for("profile", username="John Doe"),
        ]


if __name__ == "__main__":
    for url in built_urls():
        print(url)
