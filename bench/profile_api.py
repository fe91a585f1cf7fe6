"""Where the time of one `GET /api/v1/stores/{id}` goes: cProfile over Flask's test client.

    .venv/bin/python bench/profile_api.py [--requests 3000] [--top 40]

Same setup as bench/api_throughput.py (throwaway instance, migrated SQLite with the demo catalog,
the same Redis choice, the demo store and a read token), then the requests run in this process,
so there is no gunicorn and no network between client and app; only Redis is reached over its
socket. Prints the plain
per-request time first (without the profiler, which inflates call-heavy code), then the profile.
"""

import argparse
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from api_throughput import SERVER_SETTINGS, _choose_redis, _seed
from benchapp import server_env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--top", type=int, default=40, help="rows of the profile to print")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="presswork-profile-"))
    embedded = None
    try:
        redis_url, redis_source, embedded = _choose_redis(workdir / "instance")
        env = server_env(workdir / "instance", redis_url, **SERVER_SETTINGS)
        seeded = _seed(env, rate_limit_per_minute=10_000_000)
        from designer import create_app

        client = create_app().test_client()
        path = f"/api/v1/stores/{seeded.store_id}"
        headers = {"Authorization": f"Bearer {seeded.secret}"}

        def request_many(count: int) -> None:
            for _ in range(count):
                response = client.get(path, headers=headers)
                if response.status_code != 200 or "X-RateLimit-Limit" not in response.headers:
                    raise RuntimeError(f"unexpected answer {response.status_code}: {response.data[:200]!r}")

        request_many(min(300, args.requests))  # warm the statement caches and connection pools
        started, started_cpu = time.perf_counter(), time.process_time()
        request_many(args.requests)
        per_request_us = (time.perf_counter() - started) / args.requests * 1e6
        # This process's CPU time: on a busy machine it moves far less than the time on the clock.
        cpu_us = (time.process_time() - started_cpu) / args.requests * 1e6
        print(f"GET {path} through the test client, Redis {redis_source}")
        print(
            f"{per_request_us:.0f} us per request without the profiler, {cpu_us:.0f} us of it on this "
            f"process's CPU ({args.requests} requests)\n"
        )

        profile = cProfile.Profile()
        profile.enable()
        request_many(args.requests)
        profile.disable()
        pstats.Stats(profile).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    finally:
        if embedded is not None:
            embedded.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
