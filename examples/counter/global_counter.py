"""The seed's counter: ``count`` is a module global, increased by every request.

    microwsgi --app examples.counter.global_counter run
    uwsgi --ini uwsgi.ini --module examples.counter.global_counter:app --processes 2 --threads 1

With one process it seems to work: 1, 2, 3, ... Under a server with two
worker processes, each process has its own copy of every module global, so
there are two counters, and the answers depend on which process took the
request: 1, 1, 2, 2, 3, ... This is the lesson: an application server keeps
no state in memory; the state belongs outside, in a database. See
``sqlite_counter.py`` for the fix.
"""

from microwsgi import Flask

app = Flask(__name__)

count = 0


@app.route("/increase")
def on_increase():
    global count
    count += 1
    return str(count)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=29130)
