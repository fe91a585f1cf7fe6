"""Development entry point: `flask --app app run` (or `make run` for the whole system)."""

from designer import create_app

app = create_app()
