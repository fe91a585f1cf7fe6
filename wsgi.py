"""Production entry point: `gunicorn wsgi:app`."""

from designer import create_app

app = create_app()
