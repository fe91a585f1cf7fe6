import os
import subprocess
import sys
import time

import redis
from rq import Queue, Worker

from designer.queue import QUEUES

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_a_worker_process_registers_on_the_real_redis_and_health_counts_it(client, redis_url, app_config):
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    worker = subprocess.Popen([sys.executable, "-m", "worker"], cwd=ROOT, env=env)
    try:
        connection = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 20
        while Worker.count(connection=connection) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        [registered] = Worker.all(connection=connection)
        assert set(registered.queue_names()) == set(QUEUES)
        health = client.get("/api/v1/health")
        assert health.status_code == 200
        assert health.json == {"status": "ok", "database": True, "redis": True, "workers": 1}
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert worker.returncode == 0  # a warm shutdown on SIGTERM
    assert Worker.count(connection=connection) == 0


def test_a_burst_worker_runs_queued_jobs_in_the_app_context(redis_url, app_config):
    connection = redis.Redis.from_url(redis_url)
    job = Queue("default", connection=connection).enqueue("flask.has_app_context")
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    subprocess.run([sys.executable, "-m", "worker", "--burst"], cwd=ROOT, env=env, check=True, timeout=60)
    job.refresh()
    assert job.is_finished
    assert job.return_value() is True


def test_health_says_degraded_when_redis_is_down(app_without_redis):
    health = app_without_redis.test_client().get("/api/v1/health")
    assert health.status_code == 503
    assert health.json["redis"] is False
    assert health.json["database"] is True
