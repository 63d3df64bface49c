"""Test #9: a Jinja2 template, ``templates/hello.html`` next to this module.

    microwsgi --app examples.lab.template run

``render_template`` finds the template in the ``templates`` folder beside
the module that created the app, and escapes ``{{ name }}``: a name such as
``<b>Kim</b>`` is shown as typed, never run as HTML.
"""

from microwsgi import Flask, render_template, request

app = Flask(__name__)


@app.route("/")
def index():
    name = request.args.get("name", default=None)
    return render_template("hello.html", name=name)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
