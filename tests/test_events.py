import re

import pytest

from designer.accounts import service
from designer.accounts.models import Store
from designer.api.errors import Conflict
from designer.events import Event, envelope, record_event
from designer.extensions import db
from designer.tenancy import in_store


@pytest.fixture
def store(app):
    with app.app_context():
        account = service.create_account("Owner", "owner@example.com", "Passw0rd!")
        store = service.create_store(account, "Shop")
        db.session.commit()
        return store.id


def _events(store_id: str) -> list[Event]:
    return list(db.session.scalars(in_store(db.select(Event), store_id)))


def test_an_event_is_committed_with_the_change_that_caused_it(app, store):
    with app.app_context():
        service.update_store(db.session.get(Store, store), "Renamed", None)
        record_event(store, "store.updated", {"storeId": store, "name": "Renamed"})
        db.session.commit()
        [event] = _events(store)
        assert db.session.get(Store, store).name == "Renamed"
        assert event.type == "store.updated"


def test_a_change_that_fails_leaves_no_event(app, store):
    with app.app_context():
        with pytest.raises(Conflict):
            record_event(store, "account.created", {"email": "owner@example.com"})
            service.create_account("Twin", "owner@example.com", "Passw0rd!")  # the email is taken
        db.session.rollback()
        assert _events(store) == []


def test_the_envelope_has_the_contract_shape(app, store):
    with app.app_context():
        event = record_event(store, "order.created", {"orderId": "ord_1"})
        db.session.commit()
        body = envelope(event)
        assert set(body) == {"id", "type", "createdAt", "data"}
        assert body["id"].startswith("evt_")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["createdAt"])
        assert body["data"] == {"orderId": "ord_1"}
