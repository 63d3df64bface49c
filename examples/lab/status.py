"""Test #4: ``make_response(body, HTTPStatus.NOT_FOUND)`` sets the status code.

    microwsgi --app examples.lab.status run

The page is shown, but the status line says 404 (``curl -i`` shows it).
Changed from the seed: the URL's values are escaped, as in Test #3.
"""

from http import HTTPStatus

from microwsgi import Flask, escape, make_response

app = Flask(__name__)


@app.route("/<greeting>/<name>")
def greet(greeting, name):
    resp = make_response(f"{escape(greeting)}, {escape(name)}!", HTTPStatus.NOT_FOUND)
    return resp


# 다른 모듈에 import 되는게 아니라 명령줄로 직접 실행될 때 사용됨
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
