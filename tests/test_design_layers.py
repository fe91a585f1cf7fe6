"""The layers of designs and templates, one at a time: add, change, delete, the whole list, undo
and redo (typing is one step), reset to the template; the errors naming the field; the cost of
a keystroke."""

from datetime import timedelta

import pytest

from designer.designs.models import Design
from designer.editing import history
from designer.extensions import db
from designer.tenancy import across_stores
from tests.factories import LINE, a_font_id, events_of, layer_named, patch_layer, statements_run, storefront


def post(client, merchant, design: dict, action: str, **kwargs):
    return client.post(f"/api/v1/designs/{design['id']}/{action}", headers=storefront(merchant), **kwargs)


def age_last_edit(app, design_id: str, seconds: float) -> None:
    """Pretend the last edit happened `seconds` earlier."""
    with app.app_context():
        row = db.session.scalars(across_stores(db.select(Design).where(Design.id == design_id))).one()
        row.last_edit_at = row.last_edit_at - timedelta(seconds=seconds)
        db.session.commit()


# Change one layer


def test_changing_a_layers_text_changes_only_it_and_records_the_event(app, client, merchant, design):
    name = layer_named(design, "Name")
    response = patch_layer(client, merchant, design, name["id"], text="Grace Hopper", fontSize=16)
    assert response.status_code == 200, response.json
    body = response.json
    assert layer_named(body, "Name") == name | {"text": "Grace Hopper", "fontSize": 16.0}
    others = [layer for layer in body["layers"] if layer["id"] != name["id"]]
    assert others == [layer for layer in design["layers"] if layer["id"] != name["id"]]
    assert body["canUndo"] is True and body["problems"] == []
    [updated] = events_of(app, merchant.store_id, "design.updated")
    assert updated["data"] == body
    assert client.get(f"/api/v1/designs/{design['id']}", headers=merchant.bearer).json == body


@pytest.mark.parametrize(
    ("layer", "fields", "status", "field"),
    [
        ("Name", {"fontSize": 0}, 422, "fontSize"),
        ("Name", {"x": None}, 422, "x"),
        ("Name", {"color": "red"}, 422, "color"),
        ("Name", {"text": "x" * 41}, 422, "text"),  # rules.maxChars 40
        ("Name", {"fontId": "fnt_nope"}, 422, "fontId"),
        ("Name", {"fontFamily": "No Such Family"}, 422, "fontFamily"),
        ("Name", {"shape": "rect"}, 422, "shape"),  # a text layer has no shape
        ("Name", {"type": "shape"}, 422, "type"),
        ("Name", {"id": "lyr_mine"}, 422, "id"),
        ("Name", {"surelyNotAField": 1}, 422, "surelyNotAField"),
        ("Name", {"text": "Nul\u0000"}, 422, "text"),
        ("Title", {"crop": {"x": 0.5, "width": 0.8}}, 422, "crop"),
    ],
)
def test_a_bad_change_is_refused_naming_the_field_and_changes_nothing(
    app, client, merchant, design, layer, fields, status, field
):
    response = patch_layer(client, merchant, design, layer_named(design, layer)["id"], **fields)
    assert response.status_code == status, response.json
    assert response.json["error"]["field"] == field, response.json
    assert client.get(f"/api/v1/designs/{design['id']}", headers=merchant.bearer).json == design
    assert events_of(app, merchant.store_id, "design.updated") == []


def test_an_unknown_layer_is_a_404(client, merchant, design):
    assert patch_layer(client, merchant, design, "lyr_nope", text="x").status_code == 404
    missing = client.delete(f"/api/v1/designs/{design['id']}/layers/lyr_nope", headers=storefront(merchant))
    assert missing.status_code == 404
    assert patch_layer(client, merchant, {"id": "des_nope"}, "lyr_nope", text="x").status_code == 404


def test_an_empty_change_changes_nothing(app, client, merchant, design):
    response = patch_layer(client, merchant, design, layer_named(design, "Name")["id"])
    assert response.status_code == 200 and response.json == design
    assert events_of(app, merchant.store_id, "design.updated") == []


def test_a_font_of_the_store_and_a_rule_allowed_colour_are_accepted(app, client, merchant, design):
    font_id = a_font_id(app, merchant.store_id)
    title = layer_named(design, "Title")
    response = patch_layer(
        client, merchant, design, title["id"], fontId=font_id, fontFamily=None, color="#AA0000"
    )
    assert response.status_code == 200, response.json
    assert layer_named(response.json, "Title")["fontId"] == font_id
    assert layer_named(response.json, "Title")["color"] == "#aa0000"


# Add and delete


def test_adding_a_layer_puts_it_in_front_with_an_id(app, client, merchant, design):
    added = post(client, merchant, design, "layers", json=LINE)
    assert added.status_code == 201, added.json
    layer = added.json["layers"][-1]
    assert layer["id"].startswith("lyr_") and layer["z"] == 4 and layer["shape"] == "line"
    assert layer["locked"] == {"move": False, "edit": False, "delete": False}
    gone = client.delete(f"/api/v1/designs/{design['id']}/layers/{layer['id']}", headers=storefront(merchant))
    assert gone.status_code == 200 and gone.json["layers"] == design["layers"]
    assert len(events_of(app, merchant.store_id, "design.updated")) == 2


@pytest.mark.parametrize(
    ("layer", "status", "field"),
    [
        ({"shape": "rect", "width": 1, "height": 1}, 422, "type"),
        (LINE | {"type": "hologram"}, 422, "type"),
        (LINE | {"width": -1}, 422, "width"),
        (LINE | {"text": "hello"}, 422, "text"),
        ({"type": "text", "text": "Hi", "width": 10, "height": 5}, 422, "fontId"),
        ({"type": "image", "fileId": "fil_nope", "width": 10, "height": 5}, 422, "fileId"),
        ({"type": "clipart", "width": 10, "height": 5}, 422, "clipartId"),
        (LINE | {"storeId": "sto_x"}, 422, "storeId"),
        (LINE | {"locked": {"move": True}}, 403, "locked"),
        (LINE | {"rules": {"required": True}}, 403, "rules"),
    ],
)
def test_a_bad_new_layer_is_refused_naming_the_field(app, client, merchant, design, layer, status, field):
    response = post(client, merchant, design, "layers", json=layer)
    assert response.status_code == status, response.json
    assert response.json["error"]["field"] == field
    assert client.get(f"/api/v1/designs/{design['id']}", headers=merchant.bearer).json == design


def test_a_new_layer_cannot_reuse_an_id(client, merchant, design):
    taken = post(client, merchant, design, "layers", json=LINE | {"id": design["layers"][1]["id"]})
    assert taken.status_code == 422 and taken.json["error"]["field"] == "id"


def test_idempotency_key_replays_an_added_layer(client, merchant, design):
    headers = storefront(merchant) | {"Idempotency-Key": "add-line"}
    url = f"/api/v1/designs/{design['id']}/layers"
    first = client.post(url, json=LINE, headers=headers)
    second = client.post(url, json=LINE, headers=headers)
    assert first.status_code == second.status_code == 201 and first.json == second.json
    assert len(client.get(f"/api/v1/designs/{design['id']}", headers=merchant.bearer).json["layers"]) == 5


# The whole list


def test_a_whole_layers_list_names_the_failing_layer_by_index(client, merchant, design):
    layers = [dict(layer) for layer in design["layers"]]
    layers[2]["fontSize"] = -3
    bad = client.patch(
        f"/api/v1/designs/{design['id']}", json={"layers": layers}, headers=storefront(merchant)
    )
    assert bad.status_code == 422 and bad.json["error"]["field"] == "layers.2.fontSize"
    layers[2]["fontSize"] = 9
    layers[3]["text"] = "call me"
    layers[3]["fontId"] = "fnt_nope"
    unknown = client.patch(
        f"/api/v1/designs/{design['id']}", json={"layers": layers}, headers=storefront(merchant)
    )
    assert unknown.status_code == 422 and unknown.json["error"]["field"] == "layers.3.fontId"


# Undo and redo


def test_typing_a_name_is_one_undo_step(app, client, merchant, design):
    name = layer_named(design, "Name")
    for typed in ("G", "Gr", "Gra", "Grac", "Grace"):
        assert patch_layer(client, merchant, design, name["id"], text=typed).status_code == 200
    resized = patch_layer(client, merchant, design, name["id"], fontSize=18)  # another field: a new step
    assert layer_named(resized.json, "Name")["fontSize"] == 18
    undone = post(client, merchant, design, "undo")
    assert undone.status_code == 200
    assert layer_named(undone.json, "Name") | {} == name | {"text": "Grace"}
    undone = post(client, merchant, design, "undo")
    assert undone.json["layers"] == design["layers"]
    assert (undone.json["canUndo"], undone.json["canRedo"]) == (False, True)
    nothing = post(client, merchant, design, "undo")
    assert nothing.status_code == 409 and nothing.json["error"]["code"] == "conflict"
    redone = post(client, merchant, design, "redo")
    assert layer_named(redone.json, "Name")["text"] == "Grace"
    redone = post(client, merchant, design, "redo")
    assert layer_named(redone.json, "Name")["fontSize"] == 18
    assert post(client, merchant, design, "redo").status_code == 409
    assert len(events_of(app, merchant.store_id, "design.updated")) == 6 + 4


def test_a_pause_starts_a_new_step_and_a_new_edit_clears_redo(app, client, merchant, design):
    name = layer_named(design, "Name")["id"]
    patch_layer(client, merchant, design, name, text="Ada")
    age_last_edit(app, design["id"], history.COALESCE_SECONDS + 0.5)
    patch_layer(client, merchant, design, name, text="Ada L")
    undone = post(client, merchant, design, "undo")
    assert layer_named(undone.json, "Name")["text"] == "Ada"
    patch_layer(client, merchant, design, name, text="Ada Lovelace")
    assert post(client, merchant, design, "redo").status_code == 409


def test_the_history_keeps_the_last_fifty_steps(app, client, merchant, design):
    with app.app_context():
        row = db.session.scalars(across_stores(db.select(Design).where(Design.id == design["id"]))).one()
        for step in range(history.MAX_STEPS + 5):
            history.record(row, [{"step": step}])
        assert len(row.undo_stack) == history.MAX_STEPS
        assert row.undo_stack[0] == [{"step": 5}]


def test_undo_and_redo_of_adding_and_deleting_layers(client, merchant, design):
    added = post(client, merchant, design, "layers", json=LINE).json
    line = added["layers"][-1]["id"]
    client.delete(f"/api/v1/designs/{design['id']}/layers/{line}", headers=storefront(merchant))
    assert post(client, merchant, design, "undo").json["layers"] == added["layers"]
    assert post(client, merchant, design, "undo").json["layers"] == design["layers"]


# Reset


def test_reset_brings_back_the_template_and_is_undoable(app, client, merchant, card, design):
    name = layer_named(design, "Name")["id"]
    patch_layer(client, merchant, design, name, text="Changed")
    post(client, merchant, design, "layers", json=LINE)
    reset = post(client, merchant, design, "reset", json={})
    assert reset.status_code == 200, reset.json
    assert reset.json["layers"] == design["layers"] and reset.json["canUndo"] is True
    undone = post(client, merchant, design, "undo")
    assert layer_named(undone.json, "Name")["text"] == "Changed" and len(undone.json["layers"]) == 5
    side = card["sides"][0]["id"]
    other = client.post(
        "/api/v1/templates",
        json={"sideId": side, "name": "Minimal", "layers": [LINE]},
        headers=merchant.bearer,
    ).json
    switched = post(client, merchant, design, "reset", json={"templateId": other["id"]})
    assert switched.json["templateId"] == other["id"]
    assert switched.json["layers"] == other["layers"]
    unknown = post(client, merchant, design, "reset", json={"templateId": "tpl_nope"})
    assert unknown.status_code == 422 and unknown.json["error"]["field"] == "templateId"
    bad = post(client, merchant, design, "reset", json={"templateId": 5})
    assert bad.status_code == 422 and bad.json["error"]["field"] == "templateId"


# Templates' layers: the merchant's, no locks


def test_the_merchant_edits_a_templates_layers_one_at_a_time(app, client, merchant, card):
    side = card["sides"][0]["id"]
    template = client.get(f"/api/v1/sides/{side}/templates", headers=merchant.bearer).json["data"][0]
    url = f"/api/v1/templates/{template['id']}"
    bar = layer_named(template, "Accent bar")
    moved = client.patch(
        f"{url}/layers/{bar['id']}", json={"x": 2, "locked": {"move": False}}, headers=merchant.bearer
    )
    assert moved.status_code == 200, moved.json
    assert layer_named(moved.json, "Accent bar")["x"] == 2.0
    assert layer_named(moved.json, "Accent bar")["locked"] == {"move": False, "edit": False, "delete": False}
    assert moved.json["canUndo"] is True
    # Unlocked, the bar at the trim's edge is the customer's content: outside the safe zone.
    assert [(problem["layerId"], problem["code"]) for problem in moved.json["problems"]] == [
        (bar["id"], "outside_safe_zone")
    ]
    added = client.post(f"{url}/layers", json=LINE | {"locked": {"delete": True}}, headers=merchant.bearer)
    assert added.status_code == 201 and added.json["layers"][-1]["locked"]["delete"] is True
    deleted = client.delete(f"{url}/layers/{bar['id']}", headers=merchant.bearer)
    assert bar["id"] not in {layer["id"] for layer in deleted.json["layers"]}
    assert client.post(f"{url}/undo", headers=merchant.bearer).json["layers"] == added.json["layers"]
    assert client.post(f"{url}/redo", headers=merchant.bearer).json["layers"] == deleted.json["layers"]
    updates = events_of(app, merchant.store_id, "template.updated")
    assert len(updates) == 5 and updates[-1]["data"]["layers"] == deleted.json["layers"]
    # A whole-list PATCH of the template is a step too.
    replaced = client.patch(url, json={"layers": [LINE]}, headers=merchant.bearer)
    assert replaced.json["canUndo"] is True
    assert client.post(f"{url}/undo", headers=merchant.bearer).json["layers"] == deleted.json["layers"]
    for method, path in (("post", f"{url}/layers"), ("post", f"{url}/undo"), ("delete", f"{url}/layers/x")):
        refused = getattr(client, method)(path, json=LINE, headers=storefront(merchant))
        assert refused.status_code == 403
    bad = client.patch(
        f"{url}/layers/{added.json['layers'][-1]['id']}", json={"opacity": 2}, headers=merchant.bearer
    )
    assert bad.status_code == 422 and bad.json["error"]["field"] == "opacity"


def test_template_layers_of_another_store_do_not_exist(client, make_merchant, merchant, card):
    side = card["sides"][0]["id"]
    template = client.get(f"/api/v1/sides/{side}/templates", headers=merchant.bearer).json["data"][0]
    stranger = make_merchant("Stranger")
    url = f"/api/v1/templates/{template['id']}"
    assert client.post(f"{url}/layers", json=LINE, headers=stranger.bearer).status_code == 404
    assert client.post(f"{url}/undo", headers=stranger.bearer).status_code == 404
    with_layer = f"{url}/layers/{template['layers'][0]['id']}"
    assert client.patch(with_layer, json={"x": 1}, headers=stranger.bearer).status_code == 404


# The keystroke path


def test_a_keystroke_is_a_few_queries(app, client, merchant, design):
    name = layer_named(design, "Name")["id"]
    with statements_run(app) as statements:
        response = patch_layer(client, merchant, design, name, text="Grace H")
    assert response.status_code == 200
    # token → store, design with side and product, the font family, the layer's fonts for the
    # composer, the update, the event; SQLite adds no more than a couple of its own.
    assert len(statements) <= 9, statements


def test_an_htmx_edit_answers_the_editors_partial_and_errors_stay_json(client, merchant, design):
    name = layer_named(design, "Name")["id"]
    headers = storefront(merchant) | {"HX-Request": "true"}
    url = f"/api/v1/designs/{design['id']}/layers/{name}"
    changed = client.patch(url, json={"text": "Grace"}, headers=headers)
    assert changed.status_code == 200 and changed.mimetype == "text/html"
    assert f'data-layer-id="{name}"' in changed.get_data(as_text=True)
    refused = client.patch(url, json={"fontSize": 0}, headers=headers)
    assert refused.status_code == 422 and refused.json["error"]["field"] == "fontSize"
