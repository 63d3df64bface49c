"""Test #5: a header of your own, ``MY_HEADER: 1234``, set on the response.

    microwsgi --app examples.lab.headers run

Header values are text on the wire; the int ``1234`` is sent as ``"1234"``.
Changed from the seed: the URL's values are escaped, as in Test #3.
"""

from http import HTTPStatus

from microwsgi import Flask, escape, make_response

app = Flask(__name__)


@app.route("/<greeting>/<name>")
def greet(greeting, name):
    resp = make_response(f"{escape(greeting)}, {escape(name)}!", HTTPStatus.NOT_FOUND)
    resp.headers["MY_HEADER"] = 1234
    return resp


# 다른 모듈에 import 되는게 아니라 명령줄로 직접 실행될 때 사용됨
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
