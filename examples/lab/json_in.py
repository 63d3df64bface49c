"""Test #8: reading a JSON request body with ``request.get_json()``.

    microwsgi --app examples.lab.json_in run

``get_json()`` answers for the client when the body is wrong: no JSON
``Content-Type`` is a 415, broken JSON a 400. Changed from the seed: a body
that is valid JSON but not an object (``[1]``, ``null``) has no ``.get``,
and the seed's view crashed on it with a 500; here it is a 400 that says so.
"""

from microwsgi import Flask, abort, request

app = Flask(__name__)


@app.route("/", methods=["GET", "POST"])
def index():
    body = request.get_json()
    if not isinstance(body, dict):
        abort(400, 'The JSON body must be an object, such as {"key1": "value"}.')
    return {
        "method": request.method,
        "name": request.args.get("name", default="이름이 없는 자"),
        "client": request.headers["User-Agent"],
        "key1": body.get("key1", "No key"),
    }


# 다른 모듈에 import 되는게 아니라 명령줄로 직접 실행될 때 사용됨
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
