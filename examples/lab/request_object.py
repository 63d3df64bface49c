"""Test #6: the ``request`` object: the method, a query argument, a request header.

    microwsgi --app examples.lab.request_object run

``request.headers["User-Agent"]`` on a request without that header is a
400 Bad Request, not a crash. Changed from the seed: the name and the
User-Agent come from the client and are escaped before they go into the page.
"""

from microwsgi import Flask, escape, request

app = Flask(__name__)


@app.route("/", methods=["GET", "POST"])
def index():
    method = request.method
    name = request.args.get("name", default="이름이 없는 자")
    client = request.headers["User-Agent"]
    return f"{escape(name)}, 그대는 {method} 로 호출하였구나. 그대는 {escape(client)} 검을 쓰는군."


# 다른 모듈에 import 되는게 아니라 명령줄로 직접 실행될 때 사용됨
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
