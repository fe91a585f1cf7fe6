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


def test_the_environment_can_shorten_the_sweep_interval_and_a_nonsense_value_keeps_the_default(
    app, monkeypatch, caplog
):
    monkeypatch.setenv("SWEEP_INTERVAL_S", "5")
    with app.app_context():
        assert sweeps.run_sweeps() is True
        assert 0 < app.extensions["redis"].ttl(sweeps.LOCK) <= 5
    monkeypatch.setenv("SWEEP_INTERVAL_S", "soon")
    assert sweeps.sweep_interval_s() == sweeps.SWEEP_INTERVAL_S
    assert "SWEEP_INTERVAL_S='soon' is not a positive whole number of seconds" in caplog.text
