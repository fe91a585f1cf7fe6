"""Worker processes (`python -m worker`, real Redis): one per queue, what /health counts, the
supervisor of `make run` that restarts a dead worker, and a worker that outlives a Redis restart."""

import logging
import os
import signal
import subprocess
import sys
from datetime import timedelta

import redis
from rq import Queue, Worker
from rq.utils import now, utcformat

from designer.embedded_redis import EmbeddedRedis
from designer.queue import QUEUES
from designer.supervisor import Supervisor
from tests.factories import wait_until
from worker import AppWorker

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def worker_env(redis_url: str, app_config: dict) -> dict:
    return dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])


def test_a_worker_per_queue_registers_and_health_counts_each_queues_workers(client, redis_url, app_config):
    env = worker_env(redis_url, app_config)
    workers = [
        subprocess.Popen([sys.executable, "-m", "worker", "--queues", name], cwd=ROOT, env=env)
        for name in ("renders", "webhooks")
    ]
    connection = redis.Redis.from_url(redis_url)
    try:
        # Idle means listening, past the start-up in which RQ installs its signal handlers.
        wait_until(
            lambda: [worker.get_state() for worker in Worker.all(connection=connection)] == ["idle", "idle"],
            timeout_s=30,
            message="two workers",
        )
        assert sorted(tuple(worker.queue_names()) for worker in Worker.all(connection=connection)) == [
            ("renders",),
            ("webhooks",),
        ]
        health = client.get("/api/v1/health")
        assert health.status_code == 200
        assert health.json == {
            "status": "ok",
            "database": True,
            "redis": True,
            "workers": 2,
            "queues": {"renders": 1, "proofs": 0, "webhooks": 1, "models": 0},
        }
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)
    assert [worker.returncode for worker in workers] == [0, 0]  # a warm shutdown on SIGTERM
    assert Worker.count(connection=connection) == 0


def test_a_worker_with_no_queue_named_serves_them_all_and_an_unknown_queue_is_refused(redis_url, app_config):
    refused = subprocess.run(
        [sys.executable, "-m", "worker", "--queues", "renders,pdfs"],
        cwd=ROOT,
        env=worker_env(redis_url, app_config),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "unknown queue 'pdfs': the queues are webhooks, renders, proofs, models" in refused.stderr

    connection = redis.Redis.from_url(redis_url)
    jobs = [Queue(name, connection=connection).enqueue("flask.has_app_context") for name in QUEUES]
    subprocess.run(
        [sys.executable, "-m", "worker", "--burst"],
        cwd=ROOT,
        env=worker_env(redis_url, app_config),
        check=True,
        timeout=60,
    )
    for job in jobs:
        job.refresh()
        assert job.is_finished and job.return_value() is True  # run inside the app context


def test_health_does_not_count_a_worker_silent_for_80_seconds(client, redis_url):
    connection = redis.Redis.from_url(redis_url)
    killed = Worker(["renders"], connection=connection, name="killed-80-s-ago")
    killed.register_birth()  # its key lives on for a minute after its last heartbeat
    connection.hset(killed.key, "last_heartbeat", utcformat(now() - timedelta(seconds=80)))
    alive = Worker(["renders"], connection=connection, name="alive")
    alive.register_birth()
    health = client.get("/api/v1/health")
    assert health.json["workers"] == 1 and health.json["queues"]["renders"] == 1


def test_health_says_degraded_when_redis_is_down(app_without_redis):
    health = app_without_redis.test_client().get("/api/v1/health")
    assert health.status_code == 503
    assert health.json["redis"] is False
    assert health.json["database"] is True


def test_the_supervisor_restarts_a_killed_worker_with_back_off_and_says_so(redis_url, app_config, caplog):
    caplog.set_level(logging.INFO, logger="designer.supervisor")
    command = [sys.executable, "-m", "worker", "--queues", "renders"]
    connection = redis.Redis.from_url(redis_url)

    def pids():
        return [worker.pid for worker in Worker.all(connection=connection)]

    supervisor = Supervisor({"renders": command}, env=worker_env(redis_url, app_config), cwd=ROOT)
    with supervisor:
        first = supervisor.pid("renders")
        wait_until(lambda: first in pids(), timeout_s=30, message="the worker")
        os.killpg(first, signal.SIGKILL)
        wait_until(
            lambda: supervisor.pid("renders") not in (None, first), timeout_s=30, message="a new worker"
        )
        wait_until(
            lambda: any(
                worker.pid == supervisor.pid("renders") for worker in Worker.all(connection=connection)
            ),
            timeout_s=30,
            message="the new worker to register",
        )
        second = supervisor.pid("renders")
        os.killpg(second, signal.SIGKILL)  # dying young again: the next wait is twice as long
        wait_until(
            lambda: supervisor.pid("renders") not in (None, second), timeout_s=30, message="a third worker"
        )
        third = supervisor.pid("renders")
    assert supervisor.children["renders"].exit_codes == [-signal.SIGKILL, -signal.SIGKILL]
    assert f"worker renders (pid {first}) died with exit code -9" in caplog.text
    assert "restarting in 1 s" in caplog.text and "restarting in 2 s" in caplog.text
    assert f"worker renders started (pid {third})" in caplog.text
    wait_until(
        lambda: subprocess.run(["kill", "-0", str(third)], capture_output=True).returncode != 0, timeout_s=30
    )


def test_a_worker_whose_redis_goes_away_as_it_starts_its_scheduler_goes_on(app, tmp_path, caplog):
    # RQ's work() registers the worker, then takes the scheduler's lock: Redis stopping in between
    # (as in the restart below, on a loaded machine) must leave the lock to the maintenance tick.
    server = EmbeddedRedis(tmp_path / "redis")
    worker = AppWorker(["proofs"], connection=redis.Redis.from_url(server.start()))
    server.stop()
    worker._start_scheduler()
    assert worker.scheduler is not None and not worker.scheduler.acquired_locks
    assert "scheduler not started yet, Redis does not answer" in caplog.text


def test_a_worker_outlives_a_redis_restart_and_registers_again(app, tmp_path, app_config):
    server = EmbeddedRedis(tmp_path / "redis")
    url = server.start()
    connection = redis.Redis.from_url(url)
    worker = subprocess.Popen(
        [sys.executable, "-m", "worker", "--queues", "proofs"],
        cwd=ROOT,
        env=worker_env(url, app_config),
        start_new_session=True,
    )
    try:
        wait_until(lambda: Worker.count(connection=connection) == 1, timeout_s=30, message="the worker")
        server.stop()  # no persistence: the restarted server has forgotten everything
        server.start()
        wait_until(lambda: Worker.count(connection=connection) == 1, timeout_s=60, message="registration")
        assert worker.poll() is None
        job = Queue("proofs", connection=connection).enqueue("flask.has_app_context")
        wait_until(lambda: job.get_status(refresh=True) == "finished", timeout_s=30, message="the job")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
        server.stop()


def test_a_worker_grown_past_its_memory_limit_starts_afresh_after_its_job(redis_url, app_config):
    connection = redis.Redis.from_url(redis_url)
    env = worker_env(redis_url, app_config) | {"WORKER_RECYCLE_MB": "1"}  # any job leaves it larger
    worker = subprocess.Popen([sys.executable, "-m", "worker", "--queues", "proofs"], cwd=ROOT, env=env)
    try:
        wait_until(lambda: Worker.count(connection=connection) == 1, timeout_s=60, message="the worker")
        [first] = Worker.all(connection=connection)
        job = Queue("proofs", connection=connection).enqueue("flask.has_app_context")
        wait_until(lambda: job.get_status(refresh=True) == "finished", timeout_s=30, message="the job")
        assert job.return_value() is True  # run inside an app context
        wait_until(
            lambda: [each.name for each in Worker.all(connection=connection)] not in ([], [first.name]),
            timeout_s=60,
            message="the worker started afresh",
        )
        [again] = Worker.all(connection=connection)
        assert again.pid == first.pid == worker.pid and worker.poll() is None  # the same process, exec'd
        second = Queue("proofs", connection=connection).enqueue("flask.has_app_context")
        wait_until(lambda: second.get_status(refresh=True) == "finished", timeout_s=60, message="job 2")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
