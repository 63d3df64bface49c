"""Test #1: three routes, each a function that returns the page's text.

    microwsgi --app examples.lab.routes run          # port 5000
    python examples/lab/routes.py                    # port 29130, from the last line

The port in ``app.run()`` applies only when the file is run directly; the
``microwsgi`` command imports the module, so that line does not run.
"""

from microwsgi import Flask

app = Flask(__name__)


@app.route("/")
def hello_world():
    return "Hello, World!"


@app.route("/bad")
def bad_world():
    return "Bad World!"


@app.route("/good")
def good_world():
    return "Good World!"


# 다른 모듈에 import 되는게 아니라 명령줄로 직접 실행될 때 사용됨
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
