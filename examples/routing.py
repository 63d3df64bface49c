"""Routing, the quick-start's way (seed 000): rules, variables, converters, slashes, methods.

    microwsgi --app examples.routing run

Each view is the quick-start's, with only the import line changed. What to
try is in ``routing.md``. Where the seed left a body out (``do_the_login()``)
the view says in words what it would do.

One change from the seed: text taken from the URL is passed through
``escape`` before it goes into the page, as Flask's current quick-start
does. The seed's ``"User %s" % username`` sends ``/user/<script>...`` back as
a script that the visitor's browser runs (cross-site scripting).
"""

from microwsgi import Flask, escape, request

app = Flask(__name__)


@app.route("/")
def index():
    return "Index page"


@app.route("/hello")  # --> http://127.0.0.1:5000/hello
def hello():
    return "Hello world"


# Variable rules: the part in <...> is passed to the view as a keyword argument.
@app.route("/user/<username>")
def show_user_profile(username):
    # show the user profile for that user
    return "User %s" % escape(username)  # noqa: UP031 -- the seed's style


@app.route("/post/<int:post_id>")
def show_post(post_id):
    # show the post with the given id, the id is an integer
    return "Post %d" % post_id  # noqa: UP031 -- the seed's style


# The two other converters the seed lists: float, and path (which also takes slashes).
@app.route("/price/<float:amount>")
def show_price(amount):
    return "Price %.2f" % amount  # noqa: UP031 -- the seed's style


@app.route("/path/<path:subpath>")
def show_subpath(subpath):
    return "Subpath %s" % escape(subpath)  # noqa: UP031 -- the seed's style


# A trailing slash in the rule: /projects redirects to /projects/.
@app.route("/projects/")
def projects():
    return "The project page"


# No trailing slash in the rule: /about/ is a 404.
@app.route("/about")
def about():
    return "The about page"


# HTTP methods: GET (and with it HEAD and OPTIONS) unless the rule says otherwise.
@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return "do_the_login(): check the user name and password, then log in"
    else:
        return "show_the_login_form(): the login form would be here"


if __name__ == "__main__":
    app.run()
