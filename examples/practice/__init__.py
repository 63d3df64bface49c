"""Seed 003's practice app: routing, request hooks with ``g`` and ``current_app``, request data.

    microwsgi --app examples.practice run

The seed builds everything inside ``create_app()``, an application factory:
``microwsgi`` (like ``flask``) calls it when it finds no ``app`` variable in
the module. The code follows the seed's three steps, each marked below, with
only the imports changed and three fixes that the docstrings of the views
explain: text from the URL is escaped before it goes into HTML, the redirect
stays on this site, and the after-request hook logs two settings instead of
the whole config (which holds ``SECRET_KEY``).

The hooks log at INFO level to the app's logger (``examples.practice``), so
the terminal running the server shows, for one request::

    BEFORE_FIRST_REQUEST      (the first request of each process only)
    BEFORE_REQUEST
    g.test: True
    current_app: examples.practice, DEBUG False
    AFTER_REQUEST
    TEARDOWN_REQUEST
    TEARDOWN_APPCONTEXT
"""

import logging

from microwsgi import Flask, current_app, escape, g, jsonify, redirect, request, url_for


def create_app():
    app = Flask(__name__)
    # The hooks below log at INFO; a logger's default level shows only warnings and errors.
    app.logger.setLevel(logging.INFO)
    app.logger.info("run: create_app()")

    @app.route("/")  # 어떤 url에 route시킬것인가를 지정
    def index():
        return "hello world!!!"

    # -- Routing Practice --

    @app.route("/text/name/<name>")
    def name(name):  # <>꺽새로 넣어주면 해당 parameter에 인자넣어줄것
        return f"Name is {escape(name)} {escape(type(name))}"

    @app.route("/text/id/<int:id>")
    def id(id):
        return "ID: %d" % id  # noqa: UP031 -- the seed's style

    @app.route("/text/path/<path:subpath>")
    def path(subpath):
        return escape(subpath)

    @app.route("/text/json")
    def json():
        return jsonify({"hello": "world"})

    @app.route("/text/redirect/<path:subpath>")
    def redirect_url(subpath):
        """Redirect to ``/<subpath>`` on this site.

        The seed's ``redirect(subpath)`` sent the browser wherever the URL said:
        ``/text/redirect/%2F%2Fevil.example`` would redirect to another site
        (an open redirect, a phishing tool). Here the target is always a path
        under this app: leading slashes and backslashes are dropped, and the
        mount prefix (``request.script_root``) is kept, which a hand-written
        URL easily forgets and ``url_for`` (below) never does.
        """
        local_path = subpath.lstrip("/\\")
        return redirect(f"{request.script_root}/{local_path}")

    @app.route("/text/urlfor/<path:subpath>")
    def urlfor(subpath):
        return redirect(url_for("path", subpath=subpath))  # url_for의 인자로는 함수명

    # -- Request Hook --

    # 최초 처음만 실행, 그이후에는 실행안됨
    @app.before_first_request
    def before_first_request():
        app.logger.info("BEFORE_FIRST_REQUEST")

    # 뷰 함수 실행전에 후크로 먼저 실행됨, 요청마다 실행됨
    @app.before_request
    def before_request():
        g.test = True
        app.logger.info("BEFORE_REQUEST")

    # 뷰 함수 실행후에 후크로 실행됨
    @app.after_request
    def after_request(response):
        app.logger.info(f"g.test: {g.test}")
        # The seed logged all of current_app.config, SECRET_KEY included: never log secrets.
        app.logger.info(f"current_app: {current_app.name}, DEBUG {current_app.config['DEBUG']}")
        app.logger.info("AFTER_REQUEST")
        return response

    # request가 끝날때 정의가능
    @app.teardown_request
    def teardown_request(exception):
        app.logger.info("TEARDOWN_REQUEST")

    @app.teardown_appcontext
    def teardown_appcontext(exception):
        app.logger.info("TEARDOWN_APPCONTEXT")

    @app.route("/context")
    def context():
        """What the view sees of the application context: ``g`` set by a hook, ``current_app``."""
        return {
            "g.test": g.test,
            "current_app.name": current_app.name,
            "DEBUG": current_app.config["DEBUG"],
        }

    # -- Request data --

    @app.route("/hello", methods=["GET", "POST", "PUT", "DELETE"])
    def request_data():
        """Where each kind of request data arrives: the query, a form body, a JSON body."""
        return {
            "path": request.path,  # 인입되는 url
            "method": request.method,  # 어떤 method가 호출되었는지
            "args": request.args.to_dict(flat=False),  # ?test=true 같은 쿼리
            "form": request.form.to_dict(flat=False),  # form으로 보낸 body
            "json": request.get_json(silent=True),  # JSON으로 보낸 body
        }

    return app
