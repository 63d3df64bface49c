"""Test #7: a view that returns a dict answers JSON (``application/json``).

    microwsgi --app examples.lab.json_out run

Korean text stays readable in the JSON (``"이름이 없는 자"``), not ``\\uc774...``.
"""

from microwsgi import Flask, request

app = Flask(__name__)


@app.route("/", methods=["GET", "POST"])
def index():
    return {
        "method": request.method,
        "name": request.args.get("name", default="이름이 없는 자"),
        "client": request.headers["User-Agent"],
    }


# 다른 모듈에 import 되는게 아니라 명령줄로 직접 실행될 때 사용됨
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
