import os

import psutil
import redis

from designer.embedded_redis import EmbeddedRedis


def test_embedded_redis_starts_answers_and_stops_without_a_stray_process(tmp_path):
    directory = tmp_path / "r"
    server = EmbeddedRedis(directory)
    url = server.start()
    pid = server.process.pid
    client = redis.Redis.from_url(url)
    assert client.ping()
    client.set("k", "v")
    assert client.get("k") == b"v"
    client.close()

    server.stop()

    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not (directory / "redis.sock").exists()
    assert server.process is None


def test_embedded_redis_listens_on_a_private_socket_only(tmp_path):
    server = EmbeddedRedis(tmp_path)
    server.start()
    try:
        connections = psutil.Process(server.process.pid).net_connections(kind="inet")
        assert connections == []  # no TCP port: only the unix socket
        assert oct(os.stat(server.socket).st_mode & 0o777) == "0o700"
    finally:
        server.stop()


def test_a_second_start_reuses_the_server_already_answering(tmp_path):
    first = EmbeddedRedis(tmp_path)
    first.start()
    try:
        second = EmbeddedRedis(tmp_path)
        assert second.start() == first.url
        assert second.process is None
        second.stop()  # not its server: nothing happens
        assert first.answers()
    finally:
        first.stop()
