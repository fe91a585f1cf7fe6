"""The baseline for bench/api_throughput.py: the least a Flask app can do for a JSON GET.

Served by the same gunicorn settings as Presswork (`gunicorn bench.bare_app:app`), so the
difference between the two is what Presswork's own request path costs.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def empty_object():
    return {}
