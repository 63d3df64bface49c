"""Test #3: two variables in the URL, passed to the view by name.

    microwsgi --app examples.lab.variables run

Changed from the seed: the two values are escaped before they go into the
HTML page; unescaped, ``/<script>.../x`` would run a script in the browser.
"""

from microwsgi import Flask, escape

app = Flask(__name__)


@app.route("/<greeting>/<name>")
def greet(greeting, name):
    return f"{escape(greeting)}, {escape(name)}!"


# 다른 모듈에 import 되는게 아니라 명령줄로 직접 실행될 때 사용됨
if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
