"""Stopping with a status code, and a page of your own for a 404 (seed 004).

    microwsgi --app examples.errors run

``abort(401)`` ends the view at once: it raises an ``HTTPException`` that
the app turns into a ``401 Unauthorized`` page, so the line after it never
runs. ``@app.errorhandler(404)`` replaces the built-in "Not Found" page for
every URL that matches no route. Returning only a string from the handler
keeps the status: the answer is still a 404 (in Flask too).
"""

from microwsgi import Flask, abort

app = Flask(__name__)


@app.route("/")
def index():
    return "Try /login (401) and /nowhere (404)."


@app.route("/login")
def login():
    abort(401)
    this_is_never_executed()  # noqa: F821 -- the seed's point: abort() does not return


@app.errorhandler(404)
def page_not_found(error):
    return "page_not_found, 404"


if __name__ == "__main__":
    app.run()
