"""The template's locks and rules, enforced on the server on every path that changes a design:
one layer changed, the whole list replaced, a layer deleted, a design created with layers. The
refusal names the field and says why. Undo, redo and reset bring back accepted states."""

import pytest

from designer.editing.locks import check_locks, with_product_rules
from tests.factories import create_design as create
from tests.factories import created_design as created
from tests.factories import layer_named, patch_layer, storefront

BAR = "Accent bar"  # the demo card's front: locked against moving, editing and deleting


def unchanged(client, merchant, design: dict) -> bool:
    return client.get(f"/api/v1/designs/{design['id']}", headers=merchant.bearer).json == design


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"x": 3}, "x", "moved"),
        ({"y": 1, "fill": "#ff0000"}, "y", "moved"),
        ({"width": 10}, "width", "moved"),
        ({"rotation": 45}, "rotation", "moved"),
        ({"z": 9}, "z", "moved"),
        ({"fill": "#ff0000"}, "fill", "edited"),
        ({"opacity": 0.5}, "opacity", "edited"),
        ({"shape": "ellipse"}, "shape", "edited"),
        ({"name": "Mine"}, "name", "edited"),
    ],
)
def test_a_locked_layer_cannot_be_moved_or_edited_through_its_layer_route(
    client, merchant, design, fields, field, reason
):
    bar = layer_named(design, BAR)
    response = patch_layer(client, merchant, design, bar["id"], **fields)
    assert response.status_code == 403, response.json
    error = response.json["error"]
    assert (error["code"], error["field"]) == ("forbidden", field)
    assert error["message"] == f"Layer “{BAR}” is locked: it cannot be {reason}"
    assert unchanged(client, merchant, design)


def test_the_same_values_are_not_a_change(client, merchant, design):
    bar = layer_named(design, BAR)
    same = patch_layer(client, merchant, design, bar["id"], x=bar["x"], fill=bar["fill"])
    assert same.status_code == 200 and same.json["canUndo"] is False


@pytest.mark.parametrize(
    ("layer", "fields", "field"),
    [
        (BAR, {"locked": {"move": False, "edit": False, "delete": False}}, "locked"),
        ("Name", {"locked": {"move": True}}, "locked"),
        ("Name", {"rules": {"required": False}}, "rules"),
        (BAR, {"rules": {"required": True}}, "rules"),
    ],
)
def test_locks_and_rules_cannot_be_changed_through_a_design(client, merchant, design, layer, fields, field):
    response = patch_layer(client, merchant, design, layer_named(design, layer)["id"], **fields)
    assert response.status_code == 403 and response.json["error"]["field"] == field
    assert "come from the template" in response.json["error"]["message"]
    assert unchanged(client, merchant, design)


def test_a_locked_layer_cannot_be_deleted(client, merchant, design):
    bar = layer_named(design, BAR)
    response = client.delete(
        f"/api/v1/designs/{design['id']}/layers/{bar['id']}", headers=storefront(merchant)
    )
    assert response.status_code == 403
    assert response.json["error"]["message"] == f"Layer “{BAR}” is locked: it cannot be deleted"
    assert response.json["error"]["field"] == "layerId"
    title = layer_named(design, "Title")  # not locked
    assert (
        client.delete(
            f"/api/v1/designs/{design['id']}/layers/{title['id']}", headers=storefront(merchant)
        ).status_code
        == 200
    )


def _whole(client, merchant, design, layers):
    return client.patch(
        f"/api/v1/designs/{design['id']}", json={"layers": layers}, headers=storefront(merchant)
    )


def test_the_whole_list_cannot_move_edit_drop_or_unlock_a_locked_layer(client, merchant, design):
    index = next(i for i, layer in enumerate(design["layers"]) if layer["name"] == BAR)
    cases = [
        ({"x": 1}, f"layers.{index}.x", "moved"),
        ({"fill": "#000000"}, f"layers.{index}.fill", "edited"),
        ({"locked": {"move": False, "edit": True, "delete": True}}, f"layers.{index}.locked", None),
    ]
    for change, field, reason in cases:
        layers = [dict(layer) for layer in design["layers"]]
        layers[index] |= change
        response = _whole(client, merchant, design, layers)
        assert response.status_code == 403 and response.json["error"]["field"] == field
        if reason:
            assert response.json["error"]["message"].endswith(f"cannot be {reason}")
    dropped = _whole(client, merchant, design, [layer for layer in design["layers"] if layer["name"] != BAR])
    assert dropped.status_code == 403 and dropped.json["error"]["field"] == "layers"
    assert dropped.json["error"]["message"].endswith("cannot be deleted")
    # Reordering the list keeps each layer's z: allowed.
    reordered = _whole(client, merchant, design, list(reversed(design["layers"])))
    assert reordered.status_code == 200, reordered.json
    assert unchanged(client, merchant, reordered.json)


def test_a_designs_own_new_layer_cannot_carry_locks_in_the_whole_list(client, merchant, design):
    line = {"type": "shape", "shape": "line", "width": 5, "height": 1, "locked": {"delete": True}}
    response = _whole(client, merchant, design, [*design["layers"], line])
    assert response.status_code == 403 and response.json["error"]["field"] == "layers.4.locked"


def test_creating_a_design_with_layers_keeps_the_templates_locks(client, merchant, card):
    template = client.get(f"/api/v1/sides/{card['sides'][0]['id']}/templates", headers=merchant.bearer).json
    layers = [dict(layer) for layer in template["data"][0]["layers"]]
    layers[0]["x"] = 20
    moved = create(client, storefront(merchant), card, layers=layers)
    assert moved.status_code == 403 and moved.json["error"]["field"] == "layers.0.x"
    layers[0]["x"] = template["data"][0]["layers"][0]["x"]
    layers[1]["text"] = "Grace Hopper"
    allowed = create(client, storefront(merchant), card, layers=layers)
    assert allowed.status_code == 201 and allowed.json["layers"][1]["text"] == "Grace Hopper"


def test_rules_hold_on_a_design_too(client, merchant, design):
    name = layer_named(design, "Name")
    long = patch_layer(client, merchant, design, name["id"], text="x" * 41)
    assert long.status_code == 422 and long.json["error"]["field"] == "text"
    assert "at most 40" in long.json["error"]["message"]


def test_undo_redo_and_reset_are_not_judged_again(client, merchant, design):
    name = layer_named(design, "Name")
    patch_layer(client, merchant, design, name["id"], text="Grace")
    url = f"/api/v1/designs/{design['id']}"
    assert client.post(f"{url}/undo", headers=storefront(merchant)).status_code == 200
    assert client.post(f"{url}/redo", headers=storefront(merchant)).status_code == 200
    reset = client.post(f"{url}/reset", json={}, headers=storefront(merchant))
    assert reset.status_code == 200 and reset.json["layers"] == design["layers"]


def test_the_merchant_with_a_secret_token_is_held_to_the_locks_too(client, merchant, design):
    bar = layer_named(design, BAR)
    response = client.patch(
        f"/api/v1/designs/{design['id']}/layers/{bar['id']}", json={"x": 5}, headers=merchant.bearer
    )
    assert response.status_code == 403  # to change a locked layer, change the template


def test_the_products_layer_rules_add_to_the_templates(client, merchant, card):
    rules = {"layerRules": [{"layerName": "Title", "locked": True}, {"layerName": "Contact", "maxChars": 10}]}
    updated = client.patch(
        f"/api/v1/products/{card['id']}/personalization", json=rules, headers=merchant.bearer
    )
    assert updated.status_code == 200, updated.json
    design = created(client, storefront(merchant), card)
    title = layer_named(design, "Title")
    assert title["locked"] == {"move": True, "edit": True, "delete": True}
    assert layer_named(design, "Contact")["rules"]["maxChars"] == 10
    assert patch_layer(client, merchant, design, title["id"], text="CEO").status_code == 403


# The comparison itself


def _layer(**fields) -> dict:
    base = {"id": "lyr_a", "type": "shape", "shape": "rect", "x": 0, "y": 0, "width": 1, "height": 1}
    return base | {"rotation": 0, "z": 0, "opacity": 1, "fill": None, "locked": {}, "rules": {}} | fields


def test_check_locks_allows_what_is_not_locked():
    locked_move = _layer(locked={"move": True, "edit": False, "delete": False})
    check_locks([locked_move], [locked_move | {"fill": "#ffffff"}])
    locked_edit = _layer(locked={"move": False, "edit": True, "delete": False})
    check_locks([locked_edit], [locked_edit | {"x": 4}])
    check_locks([_layer()], [])
    check_locks([], [_layer(id="lyr_new")])


def test_product_rules_match_layers_by_id_or_name():
    layers = [_layer(id="lyr_a", name="Logo"), _layer(id="lyr_b", type="text", rules={"maxChars": 5})]
    ruled = with_product_rules(
        layers,
        [{"layerId": "lyr_b", "maxChars": 20, "required": True}, {"layerName": "Logo", "locked": True}],
    )
    assert ruled[0]["locked"] == {"move": True, "edit": True, "delete": True}
    assert ruled[1]["rules"] == {"maxChars": 5, "required": True}
    assert layers[0]["locked"] == {}  # the template's own layers are not changed
    assert with_product_rules(layers, []) is layers
