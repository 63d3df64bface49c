"""The quick-start: the smallest microwsgi app (seed 000, Flask's "Hello, World!").

Run it with ``python examples/hello.py`` and open http://127.0.0.1:5000/.
Compared with the Flask version only the import line differs.

The same app through the command and under uWSGI (see ``hello.md``)::

    microwsgi --app examples.hello run
    uwsgi --ini uwsgi.ini --module examples.hello:app
"""

from microwsgi import Flask

app = Flask(__name__)


@app.route("/")
def hello_world():
    return "Hello, World!"


if __name__ == "__main__":
    app.run()
