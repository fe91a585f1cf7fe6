"""Every webhook attempt ends by its deadline, however slowly the receiver answers: a receiver that
trickles its headers or its body a byte at a time is cut off, the attempt is recorded as failed
with the reason, and the delivery is retried later. And at most a few attempts per endpoint are
in flight at once, across every worker."""

import socket
import threading
from dataclasses import dataclass, field

import pytest
from rq import Queue

from designer.models import utcnow
from designer.webhooks import slots
from designer.webhooks.deliveries import QUEUE, delivery_job_timeout_s, enqueue_delivery, run_delivery
from designer.webhooks.models import Delivery
from tests.factories import WEBHOOK_CONFIG, deliveries_of, emit, register, row_of, run_jobs, wait_until

DEADLINE_S = 2
TRICKLE_EVERY_S = 0.25
TRICKLE_BYTES = 60  # 15 s of trickling: far past the deadline, and an end to it if nothing cuts it off


@pytest.fixture
def app_config(app_config):
    return app_config | WEBHOOK_CONFIG | {"WEBHOOK_TIMEOUT_S": DEADLINE_S, "WEBHOOK_CONNECT_TIMEOUT_S": 1}


@dataclass
class Trickler:
    """A raw HTTP server on 127.0.0.1 that answers every request a byte at a time: in the headers
    (the status line, then a header that never ends) or in the body (all the headers, then a
    long body). It counts the requests it got."""

    url: str = ""
    part: str = "headers"
    requests: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def answer(self, connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                request += chunk
            self.requests += 1
            if self.part == "headers":
                connection.sendall(b"HTTP/1.1 200 OK\r\nX-Trickle: ")
                ending = b"\r\nContent-Length: 2\r\n\r\nok"
            else:
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % TRICKLE_BYTES)
                ending = b""
            try:
                for _ in range(TRICKLE_BYTES):
                    if self.stop.wait(TRICKLE_EVERY_S):
                        return
                    connection.sendall(b"a")
                connection.sendall(ending)
            except OSError:
                pass  # the sender hung up: what the deadline is for


@pytest.fixture
def trickler():
    state = Trickler()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    state.url = f"http://127.0.0.1:{listener.getsockname()[1]}/hooks"

    def serve():
        while not state.stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(None)
            threading.Thread(target=state.answer, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield state
    state.stop.set()
    thread.join()
    listener.close()


def scheduled_delivery_jobs(app) -> list[str]:
    """The ids of the deliveries whose jobs wait in RQ's scheduled registry."""
    with app.app_context():
        webhooks_queue = Queue(QUEUE, connection=app.extensions["redis"])
        jobs = [
            webhooks_queue.fetch_job(job_id) for job_id in webhooks_queue.scheduled_job_registry.get_job_ids()
        ]
        return [job.args[0] for job in jobs if job is not None]


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_receiver_trickling_its_answer_is_cut_off_at_the_deadline_and_retried(
    app, client, merchant, trickler, part
):
    trickler.part = part
    webhook = register(client, merchant, trickler.url)
    emit(app, merchant.store_id)
    run_jobs(app)  # a real RQ worker runs the dispatch, which sends the one delivery
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert trickler.requests == 1
    assert delivery["status"] == "pending"
    assert delivery["attempts"] == 1
    assert delivery["lastStatusCode"] is None
    assert delivery["lastError"] == f"Timed out after {DEADLINE_S} s"
    # Cut off at the deadline: far from the 15 s the trickle goes on for.
    assert DEADLINE_S * 1000 <= delivery["lastDurationMs"] < DEADLINE_S * 1000 + 1500
    [attempt] = delivery["attemptLog"]
    assert attempt["error"] == delivery["lastError"]
    assert attempt["nextAttemptAt"] == delivery["nextAttemptAt"] is not None
    assert scheduled_delivery_jobs(app) == [delivery["id"]]  # the next attempt is queued, backed off


def test_the_delivery_job_outlives_its_attempt_so_the_attempt_is_always_recorded(app, merchant):
    with app.app_context():
        enqueue_delivery("dlv_any")
        [job] = Queue(QUEUE, connection=app.extensions["redis"]).get_jobs()
        assert job.timeout == delivery_job_timeout_s() >= DEADLINE_S + 30


def test_a_delivery_whose_endpoint_has_every_slot_taken_waits_without_an_attempt(
    app, client, merchant, trickler
):
    webhook = register(client, merchant, trickler.url)
    with app.app_context():
        connection = app.extensions["redis"]
        held = [slots.take(connection, webhook["id"], lease_s=60) for _ in range(slots.MAX_IN_FLIGHT)]
        assert all(held)
        assert slots.take(connection, webhook["id"], lease_s=60) is None
    emit(app, merchant.store_id)
    run_jobs(app)
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert trickler.requests == 0
    assert (delivery["status"], delivery["attempts"], delivery["attemptLog"]) == ("pending", 0, [])
    assert delivery["lastError"] is None
    assert scheduled_delivery_jobs(app) == [delivery["id"]]  # put back, to try again shortly
    with app.app_context():
        row = row_of(Delivery, delivery["id"])
        assert row.claimed_until is None
        row.next_attempt_at = utcnow()  # its wait is over, and a slot is free again
        slots.release(app.extensions["redis"], webhook["id"], held[0])
        from designer.extensions import db

        db.session.commit()
        assert run_delivery(delivery["id"]) == "pending"  # sent this time: the trickle times out
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert (delivery["attempts"], trickler.requests) == (1, 1)
    with app.app_context():  # and the slot it took is free again
        assert slots.in_flight(app.extensions["redis"], webhook["id"]) == slots.MAX_IN_FLIGHT - 1


def test_a_slot_held_by_a_killed_worker_frees_itself_when_its_lease_ends(app, merchant):
    with app.app_context():
        connection = app.extensions["redis"]
        for _ in range(slots.MAX_IN_FLIGHT):
            assert slots.take(connection, "whk_killed", lease_s=0.3)  # never released
        assert slots.take(connection, "whk_killed", lease_s=60) is None
        wait_until(lambda: slots.in_flight(connection, "whk_killed") == 0)  # Redis's clock ends them
        assert slots.take(connection, "whk_killed", lease_s=60)


def test_slots_cap_each_endpoint_on_its_own(app, merchant):
    with app.app_context():
        connection = app.extensions["redis"]
        for _ in range(slots.MAX_IN_FLIGHT):
            assert slots.take(connection, "whk_busy", lease_s=60)
        assert slots.take(connection, "whk_busy", lease_s=60) is None
        assert slots.take(connection, "whk_quiet", lease_s=60)
        assert slots.in_flight(connection, "whk_busy") == slots.MAX_IN_FLIGHT
