"""The periodic sweeps: one worker in the fleet runs them per interval, and a failing sweep does
not stop the others."""

from designer import sweeps


def test_one_worker_sweeps_per_interval(app, redis_url):
    with app.app_context():
        assert sweeps.run_sweeps() is True
        assert sweeps.run_sweeps() is False  # the lock is held for SWEEP_INTERVAL_S
        ttl = app.extensions["redis"].ttl(sweeps.LOCK)
        assert 0 < ttl <= sweeps.SWEEP_INTERVAL_S


def test_a_failing_sweep_is_logged_and_the_others_still_run(app, monkeypatch, caplog):
    ran = []

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(sweeps, "sweeps", lambda: [broken, lambda: ran.append(True)])
    with app.app_context():
        assert sweeps.run_sweeps() is True
    assert ran == [True]
    assert "sweep broken failed" in caplog.text
