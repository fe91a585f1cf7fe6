"""Several layers of a design or a template changed in one request (PATCH .../layers, what the
editor's align and space-evenly buttons send): all of them as one undo step, or none, with the
error naming the change by its place."""

import pytest

from tests.factories import error, events_of, layer_named, storefront


def patch_layers(client, headers: dict, design: dict, *changes: dict, kind: str = "designs"):
    return client.patch(
        f"/api/v1/{kind}/{design['id']}/layers", json={"layers": list(changes)}, headers=headers
    )


def test_several_layers_move_in_one_change_and_one_undo_step(app, client, merchant, design):
    name, title = layer_named(design, "Name"), layer_named(design, "Title")
    response = patch_layers(
        client, storefront(merchant), design, {"id": name["id"], "x": 0}, {"id": title["id"], "x": 0, "y": 30}
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert layer_named(body, "Name") == name | {"x": 0.0}
    assert layer_named(body, "Title") == title | {"x": 0.0, "y": 30.0}
    others = [layer for layer in body["layers"] if layer["id"] not in (name["id"], title["id"])]
    assert others == [layer for layer in design["layers"] if layer["id"] not in (name["id"], title["id"])]
    assert len(events_of(app, merchant.store_id, "design.updated")) == 1

    undone = client.post(f"/api/v1/designs/{design['id']}/undo", headers=storefront(merchant))
    assert undone.status_code == 200
    assert undone.json["layers"] == design["layers"]
    assert undone.json["canUndo"] is False


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        # The second change is bad: the first is not made either.
        (
            lambda ids: [{"id": ids["Name"], "x": 1}, {"id": ids["Title"], "width": -1}],
            422,
            "validation_error",
            "layers.1.width",
        ),
        (
            lambda ids: [{"id": ids["Name"], "x": 1}, {"id": ids["Accent bar"], "x": 5}],
            403,
            "forbidden",
            "layers.1.x",
        ),
        (
            lambda ids: [{"id": ids["Name"], "x": 1}, {"id": ids["Name"], "x": 2}],
            422,
            "validation_error",
            "layers.1.id",
        ),
        (lambda ids: [{"id": ids["Name"], "x": 1}, {"id": "lyr_nope", "x": 2}], 404, "not_found", None),
        (lambda ids: [{"x": 1}], 422, "validation_error", "layers.0.id"),
        (lambda ids: [], 422, "validation_error", "layers"),
    ],
)
def test_a_bad_change_among_several_changes_nothing_and_names_its_place(
    app, client, merchant, design, changes, status, code, field
):
    ids = {layer["name"]: layer["id"] for layer in design["layers"]}
    response = patch_layers(client, storefront(merchant), design, *changes(ids))
    error(response, status, code, field)
    assert client.get(f"/api/v1/designs/{design['id']}", headers=merchant.bearer).json == design
    assert events_of(app, merchant.store_id, "design.updated") == []


def test_the_editor_gets_the_new_preview_for_several_layers_changed(client, merchant, design):
    name = layer_named(design, "Name")
    response = client.patch(
        f"/api/v1/designs/{design['id']}/layers",
        json={"layers": [{"id": name["id"], "x": 3}]},
        headers=storefront(merchant) | {"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<svg" in response.get_data(as_text=True)
    assert 'id="layers"' in response.get_data(as_text=True)


def test_a_merchant_moves_several_template_layers_locked_ones_too(client, merchant, design):
    template = client.get(f"/api/v1/templates/{design['templateId']}", headers=merchant.bearer).json
    bar, name = layer_named(template, "Accent bar"), layer_named(template, "Name")
    response = patch_layers(
        client,
        merchant.bearer,
        template,
        {"id": bar["id"], "x": 2},
        {"id": name["id"], "y": 10},
        kind="templates",
    )
    assert response.status_code == 200, response.json
    assert layer_named(response.json, "Accent bar")["x"] == 2
    assert layer_named(response.json, "Name")["y"] == 10
    # Only the merchant: the storefront's token may not change a template.
    refused = patch_layers(
        client, storefront(merchant), template, {"id": name["id"], "y": 1}, kind="templates"
    )
    assert refused.status_code in (401, 403)


def test_another_stores_design_is_a_404(client, design, make_merchant):
    other = make_merchant("Other")
    name = layer_named(design, "Name")
    error(patch_layers(client, storefront(other), design, {"id": name["id"], "x": 1}), 404, "not_found")
