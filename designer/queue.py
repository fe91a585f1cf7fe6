"""The Redis connection, and the RQ queues the workers listen on."""

import redis
from flask import Flask, current_app

QUEUES = ("default",)


def init_redis(app: Flask) -> None:
    app.extensions["redis"] = redis.Redis.from_url(app.config["REDIS_URL"])


def connection() -> redis.Redis:
    return current_app.extensions["redis"]
