"""The layer schema (composer/layers.py, editing/references.py): its shape, ids and z-order, stored
JSON, and the checks against the store's fonts, clipart and files and against each layer's own rules."""

import json

import pytest

from designer.accounts import service as accounts
from designer.api.errors import ValidationFailed
from designer.composer.layers import MAX_LAYERS, dump_layers, load_layers, parse_layers_json, prepare_layers
from designer.editing.references import check_references
from designer.extensions import db
from designer.files.models import File
from designer.library.models import Clipart, Font

TEXT = {"type": "text", "text": "Ada Lovelace", "fontFamily": "Other Serif", "width": 50, "height": 10}
IMAGE = {"type": "image", "width": 40, "height": 30}
SHAPE = {"type": "shape", "shape": "rect", "width": 10, "height": 5, "fill": "#FF0000"}


def layers_of(*layers: dict) -> list:
    """The layers as a request body's `layers` field gives them to a service."""
    return parse_layers_json(json.dumps(list(layers)).encode())


def refused(*layers: dict) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        layers_of(*layers)
    return caught.value


# Shape


def test_a_minimal_text_layer_gets_the_documented_defaults():
    [layer] = dump_layers(prepare_layers(layers_of(TEXT)))
    assert layer["id"].startswith("lyr_")
    assert layer | {"id": None} == {
        "id": None,
        "type": "text",
        "name": None,
        "x": 0.0,
        "y": 0.0,
        "width": 50.0,
        "height": 10.0,
        "rotation": 0.0,
        "opacity": 1.0,
        "z": 0,
        "locked": {"move": False, "edit": False, "delete": False},
        "ink": None,
        "text": "Ada Lovelace",
        "fontId": None,
        "fontFamily": "Other Serif",
        "fontSize": 12.0,
        "color": "#000000",
        "align": "left",
        "lineHeight": 1.2,
        "letterSpacing": 0.0,
        "curve": 0.0,
        "autoFit": True,
        "rules": {"required": False, "colors": [], "maxChars": None, "fonts": []},
    }


def test_every_kind_of_layer_round_trips_through_storage():
    given = [
        TEXT | {"id": "lyr_title", "name": "Title", "locked": {"move": True}, "rules": {"maxChars": 20}},
        IMAGE | {"fit": "contain", "crop": {"x": 0.1, "y": 0.2, "width": 0.5, "height": 0.5}},
        {"type": "clipart", "clipartId": "clp_1", "color": "#00ff00", "width": 5, "height": 5},
        SHAPE | {"shape": "ellipse", "stroke": "#000000", "strokeWidth": 0.5},
    ]
    stored = dump_layers(prepare_layers(layers_of(*given)))
    assert dump_layers(load_layers(stored)) == stored
    assert [layer["type"] for layer in stored] == ["text", "image", "clipart", "shape"]
    assert stored[0]["id"] == "lyr_title" and stored[0]["locked"]["move"] is True


def test_colours_are_kept_in_lower_case():
    [shape] = dump_layers(layers_of(SHAPE))
    assert shape["fill"] == "#ff0000"


def test_z_defaults_to_the_position_and_a_given_z_is_kept():
    stored = dump_layers(prepare_layers(layers_of(SHAPE, SHAPE | {"z": 7}, SHAPE)))
    assert [layer["z"] for layer in stored] == [0, 7, 2]


def test_ids_are_generated_unique_and_a_repeated_id_is_refused():
    stored = dump_layers(prepare_layers(layers_of(SHAPE, SHAPE)))
    assert stored[0]["id"] != stored[1]["id"]
    with pytest.raises(ValidationFailed) as caught:
        prepare_layers(layers_of(SHAPE | {"id": "lyr_a"}, SHAPE | {"id": "lyr_a"}))
    assert caught.value.field == "layers.1.id"


@pytest.mark.parametrize(
    ("layer", "field"),
    [
        ({"type": "sticker", "width": 1, "height": 1}, "layers.0.type"),
        ({"width": 1, "height": 1}, "layers.0.type"),
        (TEXT | {"fontSize": 0}, "layers.0.fontSize"),
        (TEXT | {"fontSize": 1001}, "layers.0.fontSize"),
        (TEXT | {"color": "red"}, "layers.0.color"),
        (TEXT | {"text": "x" * 5001}, "layers.0.text"),
        (TEXT | {"align": "middle"}, "layers.0.align"),
        (TEXT | {"width": 0}, "layers.0.width"),
        (TEXT | {"height": -1}, "layers.0.height"),
        (TEXT | {"opacity": 1.5}, "layers.0.opacity"),
        (TEXT | {"rotation": 361}, "layers.0.rotation"),
        (TEXT | {"x": 1e9}, "layers.0.x"),
        (TEXT | {"id": "layer-1"}, "layers.0.id"),
        (TEXT | {"fileId": "fil_1"}, "layers.0.fileId"),
        (TEXT | {"rules": {"maxChars": 0}}, "layers.0.rules.maxChars"),
        (TEXT | {"rules": {"colors": ["#12"]}}, "layers.0.rules.colors.0"),
        (TEXT | {"locked": {"resize": True}}, "layers.0.locked.resize"),
        (IMAGE | {"fit": "stretch"}, "layers.0.fit"),
        (IMAGE | {"crop": {"x": 0.8, "width": 0.5}}, "layers.0.crop"),
        (IMAGE | {"rules": {"maxChars": 3}}, "layers.0.rules.maxChars"),
        ({"type": "clipart", "width": 1, "height": 1}, "layers.0.clipartId"),
        (SHAPE | {"shape": "star"}, "layers.0.shape"),
        (SHAPE | {"strokeWidth": -1}, "layers.0.strokeWidth"),
        (SHAPE | {"rules": {"fonts": ["fnt_1"]}}, "layers.0.rules.fonts"),
        (TEXT | {"storeId": "sto_x"}, "layers.0.storeId"),
    ],
)
def test_a_malformed_layer_is_refused_naming_its_field(layer, field):
    assert refused(layer).field == field


def test_a_nul_in_a_layers_text_is_refused_naming_the_field():
    assert refused(TEXT | {"text": "a\u0000b"}).field == "layers.0.text"


def test_at_most_200_layers():
    assert refused(*[SHAPE] * (MAX_LAYERS + 1)).field == "layers"
    assert len(layers_of(*[SHAPE] * MAX_LAYERS)) == MAX_LAYERS


def test_a_layers_file_may_be_a_list_or_an_exported_template():
    assert len(parse_layers_json(json.dumps([SHAPE, TEXT]).encode())) == 2
    assert len(parse_layers_json(json.dumps({"name": "Classic", "layers": [SHAPE]}).encode())) == 1


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"{not json", "layers"),
        (b"\xff\xfe", "layers"),
        (b'{"name": "no layers"}', "layers"),
        (b"42", "layers"),
        (json.dumps([SHAPE, SHAPE | {"opacity": 2}]).encode(), "layers.1.opacity"),
    ],
)
def test_a_bad_layers_file_is_refused_naming_the_field(raw, field):
    with pytest.raises(ValidationFailed) as caught:
        parse_layers_json(raw)
    assert caught.value.field == field


# Checks against the store


@pytest.fixture
def shop(app):
    """Two stores, each with a font, a single-colour and a multicolour clipart, an image and a PDF."""
    with app.app_context():
        account = accounts.create_account("Owner", "owner@example.com", "Passw0rd!")
        stores = {}
        for name in ("mine", "theirs"):
            store = accounts.create_store(account, name)
            rows = {
                "font": Font(
                    store_id=store.id,
                    family=f"Test Sans {name}",
                    format="ttf",
                    size_bytes=1,
                    storage_key="x",
                ),
                "font2": Font(
                    store_id=store.id, family="Other Serif", format="ttf", size_bytes=1, storage_key="x"
                ),
                "mono": Clipart(
                    store_id=store.id, name="Star", format="svg", storage_key="x", recolorable=True
                ),
                "multi": Clipart(store_id=store.id, name="Flag", format="svg", storage_key="x"),
                "image": _file(store.id, "jpeg"),
                "pdf": _file(store.id, "pdf"),
            }
            db.session.add_all(rows.values())
            db.session.flush()
            stores[name] = {"store": store.id} | {key: row.id for key, row in rows.items()}
        db.session.commit()
        yield stores


def _file(store_id: str, format: str) -> File:
    return File(
        store_id=store_id,
        filename=f"f.{format}",
        format=format,
        media_type="application/octet-stream",
        size_bytes=1,
        sha256="0" * 64,
        storage_key="x",
        preflight_status="passed",
        preflight={},
        uploaded_by="secret",
    )


def problems(store_id: str, *layers: dict) -> dict:
    """{field: message} for what check_references finds, {} when the layers pass."""
    try:
        check_references(store_id, prepare_layers(layers_of(*layers)))
    except ValidationFailed as error:
        assert error.field == error.errors[0]["field"]
        return {item["field"]: item["message"] for item in error.errors}
    return {}


def test_layers_naming_the_stores_own_fonts_clipart_and_files_pass(shop):
    mine = shop["mine"]
    assert (
        problems(
            mine["store"],
            TEXT
            | {"fontFamily": None, "fontId": mine["font"], "rules": {"fonts": [mine["font"], mine["font2"]]}},
            TEXT | {"fontFamily": "test sans MINE"},
            IMAGE | {"fileId": mine["image"]},
            IMAGE,
            {"type": "clipart", "clipartId": mine["mono"], "color": "#123456", "width": 1, "height": 1},
            {"type": "clipart", "clipartId": mine["multi"], "width": 1, "height": 1},
            SHAPE,
        )
        == {}
    )


def test_another_stores_references_are_refused_like_unknown_ones(shop):
    mine, theirs = shop["mine"], shop["theirs"]
    found = problems(
        mine["store"],
        TEXT | {"fontFamily": None, "fontId": theirs["font"]},
        IMAGE | {"fileId": theirs["image"]},
        {"type": "clipart", "clipartId": theirs["mono"], "width": 1, "height": 1},
        TEXT | {"fontFamily": None, "fontId": "fnt_unknown"},
        TEXT | {"fontFamily": "Test Sans theirs"},
        TEXT | {"rules": {"fonts": [theirs["font"]]}, "fontFamily": None, "fontId": mine["font"]},
    )
    assert set(found) == {
        "layers.0.fontId",
        "layers.1.fileId",
        "layers.2.clipartId",
        "layers.3.fontId",
        "layers.4.fontFamily",
        "layers.5.rules.fonts.0",
    }
    assert (
        found["layers.0.fontId"]
        == f"Field 'layers.0.fontId': no font with id '{theirs['font']}' in this store"
    )
    assert "theirs" not in found["layers.1.fileId"].replace(theirs["image"], "")


def test_a_text_layer_must_name_its_font(shop):
    found = problems(shop["mine"]["store"], TEXT | {"fontFamily": None})
    assert list(found) == ["layers.0.fontId"]


def test_a_font_family_that_contradicts_the_font_id_is_refused(shop):
    mine = shop["mine"]
    found = problems(mine["store"], TEXT | {"fontId": mine["font"], "fontFamily": "Other Serif"})
    assert list(found) == ["layers.0.fontFamily"]


def test_an_image_layer_takes_images_not_pdfs(shop):
    mine = shop["mine"]
    found = problems(mine["store"], IMAGE | {"fileId": mine["pdf"]})
    assert list(found) == ["layers.0.fileId"] and "pdf" in found["layers.0.fileId"]


def test_only_a_single_colour_clipart_can_be_recoloured(shop):
    mine = shop["mine"]
    clipart = {"type": "clipart", "clipartId": mine["multi"], "color": "#123456", "width": 1, "height": 1}
    assert list(problems(mine["store"], clipart)) == ["layers.0.color"]


def test_text_longer_than_its_rules_max_chars_is_refused(shop):
    store = shop["mine"]["store"]
    assert problems(store, TEXT | {"text": "abcde", "rules": {"maxChars": 5}}) == {}
    assert list(problems(store, TEXT | {"text": "abcdef", "rules": {"maxChars": 5}})) == ["layers.0.text"]


def test_colours_outside_the_rules_colours_are_refused(shop):
    store = shop["mine"]["store"]
    rules = {"colors": ["#FF0000", "#000000"]}
    assert problems(store, SHAPE | {"stroke": "#000000", "rules": rules}) == {}
    assert problems(store, TEXT | {"color": "#000000", "rules": rules}) == {}
    found = problems(
        store,
        SHAPE | {"fill": "#00ff00", "stroke": "#0000ff", "rules": rules},
        TEXT | {"color": "#ffffff", "rules": rules},
    )
    assert set(found) == {"layers.0.fill", "layers.0.stroke", "layers.1.color"}


def test_a_font_outside_the_rules_fonts_is_refused(shop):
    mine = shop["mine"]
    rules = {"fonts": [mine["font"]]}
    assert problems(mine["store"], TEXT | {"fontFamily": None, "fontId": mine["font"], "rules": rules}) == {}
    assert problems(mine["store"], TEXT | {"fontFamily": "Test Sans mine", "rules": rules}) == {}
    found = problems(
        mine["store"],
        TEXT | {"fontFamily": None, "fontId": mine["font2"], "rules": rules},
        TEXT | {"fontFamily": "Other Serif", "rules": rules},
    )
    assert set(found) == {"layers.0.fontId", "layers.1.fontFamily"}
