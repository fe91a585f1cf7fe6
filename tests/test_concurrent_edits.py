"""Changes made at once to the layers of one design (or template) all stay, against a real server
with a thread per request; If-Match with the ETag refuses a change to a version that is gone."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from tests.factories import LINE, layer_named, patch_layer, storefront
from tests.factories import created_design as created

CLIENTS = 10
EDITS = 12


def call(method: str, url: str, headers: dict, body: dict | None = None) -> tuple[int, str | None, dict]:
    """One request with the standard library's client: (status, ETag, JSON body)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers=headers | {"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers["ETag"], json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers["ETag"], json.loads(error.read())


def with_lines(client, headers: dict, url: str, count: int) -> list[str]:
    """Add `count` lines to the design or template at `url`; their ids."""
    ids = []
    for index in range(count):
        added = client.post(f"{url}/layers", json=LINE | {"name": f"Line {index}"}, headers=headers)
        assert added.status_code == 201, added.json
        ids.append(layer_named(added.json, f"Line {index}")["id"])
    return ids


def edit_at_once(base: str, url: str, headers: dict, layer_ids: list[str]) -> list[tuple]:
    """A client per layer, each moving its own layer EDITS times (x = 1, 2, … EDITS), all at once.
    Every answer."""
    answers: list[tuple] = []
    start = threading.Barrier(len(layer_ids))

    def client(layer_id: str) -> None:
        start.wait()
        for x in range(1, EDITS + 1):
            answers.append(call("PATCH", f"{base}{url}/layers/{layer_id}", headers, {"x": x}))

    threads = [threading.Thread(target=client, args=(layer_id,)) for layer_id in layer_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_clients_editing_their_own_layers_at_once_all_keep_their_last_change(
    client,
    merchant,
    card,
    live_server,
):
    design = created(client, storefront(merchant), card)
    url = f"/api/v1/designs/{design['id']}"
    layer_ids = with_lines(client, merchant.bearer, url, CLIENTS)

    answers = edit_at_once(live_server, url, merchant.bearer, layer_ids)

    assert [status for status, _, _ in answers] == [200] * CLIENTS * EDITS, answers
    final = client.get(url, headers=merchant.bearer)
    by_id = {layer["id"]: layer for layer in final.json["layers"]}
    assert {layer_id: by_id[layer_id]["x"] for layer_id in layer_ids} == dict.fromkeys(layer_ids, EDITS)
    # Each change started from the one before it: every answer names a version of its own.
    assert len({etag for _, etag, _ in answers}) == CLIENTS * EDITS


def test_the_merchant_editing_a_templates_layers_at_once_keeps_every_change(
    client,
    merchant,
    card,
    live_server,
):
    side = card["sides"][0]["id"]
    template = client.get(f"/api/v1/sides/{side}/templates", headers=merchant.bearer).json["data"][0]
    url = f"/api/v1/templates/{template['id']}"
    layer_ids = with_lines(client, merchant.bearer, url, CLIENTS)

    answers = edit_at_once(live_server, url, merchant.bearer, layer_ids)

    assert [status for status, _, _ in answers] == [200] * CLIENTS * EDITS, answers
    final = client.get(url, headers=merchant.bearer).json
    by_id = {layer["id"]: layer for layer in final["layers"]}
    assert {layer_id: by_id[layer_id]["x"] for layer_id in layer_ids} == dict.fromkeys(layer_ids, EDITS)


# If-Match


def test_a_design_and_every_change_of_it_carry_its_etag(client, merchant, card):
    design = created(client, storefront(merchant), card)
    url = f"/api/v1/designs/{design['id']}"
    first = client.get(url, headers=merchant.bearer).headers["ETag"]
    changed = patch_layer(client, merchant, design, layer_named(design, "Name")["id"], text="Grace")
    assert changed.status_code == 200 and changed.headers["ETag"] not in (None, first)
    assert client.get(url, headers=merchant.bearer).headers["ETag"] == changed.headers["ETag"]
    noted = client.patch(url, json={"note": "Rush"}, headers=merchant.bearer)
    assert noted.headers["ETag"] != changed.headers["ETag"]
    undone = client.post(f"{url}/undo", headers=merchant.bearer)
    assert undone.status_code == 200 and undone.headers["ETag"] not in (first, noted.headers["ETag"])


def renamed_with(client, merchant, card, if_match: str):
    """Make a design of the card, then have the customer rename its Name layer "Grace" sending
    `if_match` as If-Match, in which {current} stands for the design's ETag at that moment."""
    design = created(client, storefront(merchant), card)
    url = f"/api/v1/designs/{design['id']}"
    current = client.get(url, headers=merchant.bearer).headers["ETag"]
    name = layer_named(design, "Name")["id"]
    return client.patch(
        f"{url}/layers/{name}",
        json={"text": "Grace"},
        headers=storefront(merchant) | {"If-Match": if_match.format(current=current)},
    )


def test_a_change_sent_with_the_current_etag_is_made(client, merchant, card):
    response = renamed_with(client, merchant, card, "{current}")
    assert response.status_code == 200, response.json
    assert layer_named(response.json, "Name")["text"] == "Grace"


def test_a_change_sent_with_a_stale_etag_is_refused_naming_the_header_and_changes_nothing(
    client,
    merchant,
    card,
):
    design = created(client, storefront(merchant), card)
    url = f"/api/v1/designs/{design['id']}"
    stale = client.get(url, headers=merchant.bearer).headers["ETag"]
    name = layer_named(design, "Name")["id"]
    assert patch_layer(client, merchant, design, name, text="Someone else").status_code == 200
    current = client.get(url, headers=merchant.bearer)

    for method, path, body in [
        ("PATCH", f"/layers/{name}", {"text": "Mine"}),
        ("POST", "/layers", LINE),
        ("DELETE", f"/layers/{layer_named(design, 'Title')['id']}", None),
        ("PATCH", "", {"note": "Mine"}),
        ("POST", "/undo", None),
        ("POST", "/reset", {}),
        ("DELETE", "", None),
    ]:
        response = client.open(
            f"{url}{path}", method=method, json=body, headers=merchant.bearer | {"If-Match": stale}
        )
        assert response.status_code == 412, (method, path, response.json)
        error = response.json["error"]
        assert error["code"] == "precondition_failed" and error["field"] == "If-Match"
        assert "If-Match" in error["message"] and current.headers["ETag"] in error["message"]
    after = client.get(url, headers=merchant.bearer)
    assert after.json == current.json and after.headers["ETag"] == current.headers["ETag"]


@pytest.mark.parametrize("if_match", ["*", '"v0", {current}'])
def test_if_match_with_a_star_or_a_list_holding_the_current_etag_passes(
    client,
    merchant,
    card,
    if_match,
):
    response = renamed_with(client, merchant, card, if_match)
    assert response.status_code == 200, response.json


def test_a_weak_etag_never_matches_a_change(client, merchant, card):
    response = renamed_with(client, merchant, card, "W/{current}")
    assert response.status_code == 412 and response.json["error"]["field"] == "If-Match"


def test_a_template_layer_change_with_a_stale_etag_is_refused(client, merchant, card):
    side = card["sides"][0]["id"]
    template = client.get(f"/api/v1/sides/{side}/templates", headers=merchant.bearer).json["data"][0]
    url = f"/api/v1/templates/{template['id']}"
    first = client.post(f"{url}/layers", json=LINE, headers=merchant.bearer)
    assert first.status_code == 201 and first.headers["ETag"]
    second = client.post(f"{url}/layers", json=LINE, headers=merchant.bearer)
    stale = client.post(
        f"{url}/layers", json=LINE, headers=merchant.bearer | {"If-Match": first.headers["ETag"]}
    )
    assert stale.status_code == 412 and stale.json["error"]["field"] == "If-Match"
    fresh = client.post(
        f"{url}/layers", json=LINE, headers=merchant.bearer | {"If-Match": second.headers["ETag"]}
    )
    assert fresh.status_code == 201, fresh.json


def test_the_openapi_document_names_if_match_and_the_412_on_changes(client):
    document = client.get("/api/v1/openapi.json").json
    change = document["paths"]["/api/v1/designs/{designId}/layers/{layerId}"]["patch"]
    [if_match] = [parameter for parameter in change["parameters"] if parameter["name"] == "If-Match"]
    assert if_match["in"] == "header" and if_match["required"] is False
    assert "412" in change["responses"] and "ETag" in change["responses"]["200"]["headers"]
    read = document["paths"]["/api/v1/designs/{designId}"]["get"]
    assert all(parameter["name"] != "If-Match" for parameter in read["parameters"])
