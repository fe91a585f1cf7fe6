"""Latency of the orders list (`GET /api/v1/orders`) at 100,000 orders: the first page and a page
deep in the list, which cursor pagination should make cost the same.

What it sets up, all thrown away at the end: a SQLite database in a temporary directory, and,
when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a PostgreSQL database, a schema of its own
in it (dropped afterwards; nothing else in that database is touched). In each: an account, the
bench store holding `--orders` orders (one line item each, statuses and customers mixed, created
a minute apart), a second store with a tenth as many (so the store filter has work to do), and a
read token. Rows are bulk-inserted (executemany), so seeding 100,000 orders takes seconds.

The requests go through the whole app in-process (Flask's test client: auth, rate limit off,
tenant scoping, validation, serialization), `--requests` times per case after a warm-up, the
cases interleaved in rounds so the machine's noise spreads evenly. The query plan of the deep
page's SQL, captured from a real request, is printed with EXPLAIN.

    .venv/bin/python bench/orders_list.py [--orders 100000] [--requests 300]
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/presswork .venv/bin/python bench/orders_list.py
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchapp import bench_app  # noqa: E402

REDIS_DATABASE = 14  # of this machine's Redis, when it answers

STATUSES = ("pending", "paid", "paid", "in_production", "in_production", "shipped", "cancelled")
STAGES = ("queue", "press", "finishing", "done")
CHUNK = 5_000
DEEP_FRACTION = 0.9  # the deep page starts after 90 % of the store's orders


def _seed(app, orders: int) -> tuple[str, str, int]:
    """The bench store's id, a read token's secret, and how long seeding took (ms)."""
    from designer.accounts import service
    from designer.extensions import db

    started = time.perf_counter()
    with app.app_context():
        account = service.create_account("Bench", f"bench-{secrets.token_hex(4)}@example.com", "Bench-pass-1")
        store = service.create_store(account, "Bench Print Shop")
        other = service.create_store(account, "Other shop")
        _, secret = service.create_token(store, "bench", ["read"])
        db.session.commit()
        _insert_orders(store.id, orders)
        _insert_orders(other.id, orders // 10)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE orders")
                connection.exec_driver_sql("ANALYZE line_items")
        else:
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
        return store.id, secret, round((time.perf_counter() - started) * 1000)


def _insert_orders(store_id: str, count: int) -> None:
    from designer.extensions import db
    from designer.ids import new_id
    from designer.orders.models import LineItem, Order

    start = datetime(2025, 1, 1, tzinfo=UTC)
    for first in range(0, count, CHUNK):
        order_rows, line_rows = [], []
        for index in range(first, min(first + CHUNK, count)):
            order_id = new_id("order")
            status = STATUSES[index % len(STATUSES)]
            created_at = start + timedelta(minutes=index)
            customer = index % 5_000
            order_rows.append(
                {
                    "id": order_id,
                    "store_id": store_id,
                    "number": f"{100_000 + index}",
                    "status": status,
                    "production_stage": STAGES[index % 4] if status == "in_production" else "queue",
                    "customer_id": f"cus_{customer}",
                    "customer_email": f"customer{customer}@example.com",
                    "customer_name": f"Customer {customer}",
                    "customer": {"id": f"cus_{customer}", "email": f"customer{customer}@example.com"},
                    "shipping": {"city": "Lyon", "country": "FR"},
                    "internal_notes": "",
                    "meta": {},
                    "created_at": created_at,
                    "updated_at": created_at,
                }
            )
            line_rows.append(
                {
                    "id": new_id("line_item"),
                    "store_id": store_id,
                    "order_id": order_id,
                    "position": 0,
                    "sku": "biz-card-100",
                    "name": "Business cards",
                    "quantity": 100,
                    "design_ids": [],
                    "personalization": {"name": f"Customer {customer}"},
                    "created_at": created_at,
                    "updated_at": created_at,
                }
            )
        db.session.execute(db.insert(Order), order_rows)
        db.session.execute(db.insert(LineItem), line_rows)
        db.session.commit()


def _deep_cursor(app, store_id: str, status: str | None = None) -> str:
    """The id of the order after which the deep page starts, in the list's order (newest first)."""
    from designer.extensions import db
    from designer.orders.models import Order
    from designer.tenancy import in_store

    with app.app_context():
        statement = in_store(db.select(db.func.count(Order.id)), store_id)
        if status:
            statement = statement.where(Order.status == status)
        total = db.session.scalar(statement)
        ids = in_store(db.select(Order.id), store_id)
        if status:
            ids = ids.where(Order.status == status)
        ids = (
            ids.order_by(Order.created_at.desc(), Order.id.desc()).offset(int(total * DEEP_FRACTION)).limit(1)
        )
        return db.session.scalar(ids)


def _cases(app, store_id: str) -> dict[str, str]:
    deep = _deep_cursor(app, store_id)
    deep_paid = _deep_cursor(app, store_id, "paid")
    return {
        "page 1": "/api/v1/orders?limit=20",
        "deep page (90 %)": f"/api/v1/orders?limit=20&startingAfter={deep}",
        "status=paid, page 1": "/api/v1/orders?limit=20&status=paid",
        "status=paid, deep page": f"/api/v1/orders?limit=20&status=paid&startingAfter={deep_paid}",
        "customer filter": "/api/v1/orders?limit=20&customer=customer42@example.com",
    }


def _measure(app, secret: str, cases: dict[str, str], requests: int) -> dict[str, list[float]]:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    for path in cases.values():
        for _ in range(10):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)
            assert len(response.json["data"]) > 0, path
    timings: dict[str, list[float]] = {label: [] for label in cases}
    rounds = 10
    for _ in range(rounds):
        for label, path in cases.items():
            for _ in range(requests // rounds):
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                timings[label].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
    return timings


def _explain(app, secret: str, path: str) -> list[str]:
    """The plan of the orders query a request to `path` runs."""
    from sqlalchemy import event

    from designer.extensions import db

    captured = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM orders" in statement and "ORDER BY" in statement and not captured:
            captured.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        app.test_client().get(path, headers={"Authorization": f"Bearer {secret}"})
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = captured[0]
    with app.app_context(), engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            rows = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            return [row[0] for row in rows]
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return [row[-1] for row in rows]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _run(name: str, uri: str, engine_options: dict, args, instance: Path) -> None:
    from designer.extensions import db

    app = bench_app(instance, REDIS_DATABASE, uri, SQLALCHEMY_ENGINE_OPTIONS=engine_options)
    try:
        store_id, secret, seed_ms = _seed(app, args.orders)
        cases = _cases(app, store_id)
        timings = _measure(app, secret, cases, args.requests)
        print(
            f"\n## {name}: {args.orders:,} orders in the store (+{args.orders // 10:,} in another), "
            f"seeded in {seed_ms / 1000:.1f} s"
        )
        print(f"{args.requests} requests per case, in-process test client, limit=20\n")
        print("| case | p50 ms | p95 ms |\n| --- | ---: | ---: |")
        for label, values in timings.items():
            print(f"| {label} | {statistics.median(values):.2f} | {_percentile(values, 0.95):.2f} |")
        print(f"\nEXPLAIN of the deep page's query ({name}):")
        for line in _explain(app, secret, cases["deep page (90 %)"]):
            print("   ", line)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300, help="timed requests per case")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="presswork-orders-bench-") as directory:
        instance = Path(directory)
        _run("SQLite", f"sqlite:///{instance / 'bench.db'}", {}, args, instance)
        postgres = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
        if postgres:
            _run_postgres(postgres, args, instance)


def _run_postgres(url: str, args, instance: Path) -> None:
    """The same run in a schema of its own in the PostgreSQL database `url`, dropped afterwards."""
    from sqlalchemy import create_engine

    uri = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    schema = f"bench_orders_{secrets.token_hex(4)}"
    admin = create_engine(uri, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        _run("PostgreSQL", uri, {"connect_args": {"options": f"-csearch_path={schema}"}}, args, instance)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


if __name__ == "__main__":
    main()
