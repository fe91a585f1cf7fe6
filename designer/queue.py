"""The Redis connection, and the RQ queues the workers listen on."""

import redis
from flask import Flask, current_app

# Listened to in this order: webhook jobs are short (one request, at most 15 s), so they go
# first and are never stuck behind a batch of renders.
QUEUES = ("webhooks", "default")


def init_redis(app: Flask) -> None:
    app.extensions["redis"] = redis.Redis.from_url(app.config["REDIS_URL"])


def connection() -> redis.Redis:
    return current_app.extensions["redis"]
