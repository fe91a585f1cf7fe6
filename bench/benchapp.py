"""What the benchmarks share: the Redis they use and a throw-away Presswork app to measure.

Each script runs as `python bench/<script>.py`, so this folder is on its path.
"""

import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def redis_url(database: int) -> str:
    """REDIS_URL, else this machine's Redis on `database` when it answers, else "" (the app then
    starts its embedded server)."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return f"redis://127.0.0.1:6379/{database}"
    except OSError:
        return ""


def bench_app(instance: Path, redis_database: int, database_uri: str | None = None, **config):
    """An app on `database_uri` (default: a SQLite file in `instance`) with its tables made, files
    under `instance`, no rate limits and a cheap password hash; `config` overrides."""
    os.environ["INSTANCE_PATH"] = str(instance)
    from designer import create_app
    from designer.extensions import db

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_uri or f"sqlite:///{instance / 'bench.db'}",
            "REDIS_URL": redis_url(redis_database),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "STORAGE_PATH": str(instance / "files"),
            **config,
        }
    )
    with app.app_context():
        db.create_all()
    return app
