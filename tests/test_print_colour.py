"""Print colour chosen by the merchant (rendering/colour_modes.py, accounts' store settings, the
product form): a store-wide printer profile that CMYK products print through unless they name
their own, refused naming the field when it is not one of the store's CMYK printer profiles; an
ICC file too large to embed refused at upload; the product form showing the output mode, profile,
rendering intent, black as K and photo conversion, with inline errors."""

import re

from werkzeug.datastructures import MultiDict

from designer.extensions import db
from designer.files.models import File
from designer.products.models import Product
from designer.rendering.colour_modes import colour_settings, separation_for
from designer.tenancy import in_store
from tests.factories import error, multipart, open_dashboard, png, printer_profile, upload_file


def uploaded_profile(client, headers, data: bytes, filename: str = "press.icc") -> str:
    response = upload_file(client, headers, data, filename, purpose="color_profile")
    assert response.status_code == 201, response.json
    return response.json["id"]


def cmyk_product(client, merchant, **rules) -> dict:
    response = client.post(
        "/api/v1/products",
        json={
            "name": "Card",
            "dimensionUnit": "mm",
            "sides": [{"name": "Front", "width": 85, "height": 55, "bleed": 3}],
            "personalization": {"colorMode": "cmyk", **rules},
        },
        headers=merchant.bearer,
    )
    assert response.status_code == 201, response.json
    return response.json


def patch_store(client, merchant, profile_id: str | None):
    body = {"colorProfileFileId": profile_id}
    return client.patch(f"/api/v1/stores/{merchant.store_id}", json=body, headers=merchant.basic)


def product_row(store_id: str, product_id: str) -> Product:
    return db.session.scalars(in_store(db.select(Product).where(Product.id == product_id), store_id)).one()


def printed_through(app, store_id: str, product_id: str) -> tuple[bytes, str, str]:
    """The profile the product prints through, its identifier, and its colour settings as hashed."""
    with app.app_context():
        product = product_row(store_id, product_id)
        separation = separation_for(product)
        return separation.profile, separation.identifier, colour_settings(product)


def test_cmyk_products_print_through_the_stores_profile_unless_they_name_their_own(app, client, merchant):
    store_profile = uploaded_profile(client, merchant.bearer, printer_profile(b"PWst"), "store.icc")
    own_profile = uploaded_profile(client, merchant.bearer, printer_profile(b"PWow"), "own.icc")
    plain = cmyk_product(client, merchant)["id"]
    own = cmyk_product(client, merchant, colorProfileFileId=own_profile)["id"]
    fogra, _, fogra_settings = printed_through(app, merchant.store_id, plain)

    response = patch_store(client, merchant, store_profile)
    assert response.status_code == 200, response.json
    assert response.json["colorProfileFileId"] == store_profile
    shown = client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.basic)
    assert shown.json["colorProfileFileId"] == store_profile

    profile, _, settings = printed_through(app, merchant.store_id, plain)
    assert profile == printer_profile(b"PWst") != fogra
    assert settings != fogra_settings  # its renders are made again
    assert printed_through(app, merchant.store_id, own)[0] == printer_profile(b"PWow")

    # The product's own profile set back to none: the store's again.
    personalization = f"/api/v1/products/{own}/personalization"
    cleared = client.patch(personalization, json={"colorProfileFileId": None}, headers=merchant.bearer)
    assert cleared.status_code == 200, cleared.json
    assert cleared.json["personalization"]["colorProfileFileId"] is None
    assert printed_through(app, merchant.store_id, own)[0] == printer_profile(b"PWst")

    # The store's default removed: FOGRA39, and the settings as they were.
    response = patch_store(client, merchant, None)
    assert response.status_code == 200 and response.json["colorProfileFileId"] is None
    assert printed_through(app, merchant.store_id, plain) == (fogra, "FOGRA39", fogra_settings)


def test_a_store_profile_that_is_not_one_of_its_cmyk_printer_profiles_is_refused_naming_the_field(
    client, merchant, make_merchant
):
    picture = upload_file(client, merchant.bearer, png(), "logo.png", purpose="product_image")
    assert picture.status_code == 201, picture.json
    elsewhere = make_merchant("Bo")
    theirs = uploaded_profile(client, elsewhere.bearer, printer_profile())
    for file_id in (picture.json["id"], "fil_nope", theirs):
        response = client.patch(
            f"/api/v1/stores/{merchant.store_id}",
            json={"colorProfileFileId": file_id},
            headers=merchant.basic,
        )
        body = error(response, 422, "validation_error", "colorProfileFileId")
        assert file_id in body["message"]
    stored = client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.basic).json
    assert stored["colorProfileFileId"] is None


def test_an_icc_profile_too_large_to_embed_in_every_pdf_is_refused_at_upload(client, merchant):
    profile = printer_profile()
    padded = profile + bytes(8 * 1024 * 1024 + 1 - len(profile))
    form = multipart({"file": (padded, "huge.icc"), "purpose": "color_profile"})
    response = client.post("/api/v1/files/upload", headers=merchant.bearer, **form)
    body = error(response, 422, "validation_error", "file")
    assert "a printer profile may be at most 8.0 MB" in body["message"]


def test_the_product_form_shows_print_colour_and_saves_cmyk_with_its_profile_or_says_what_is_wrong(app):
    browser, store_id = open_dashboard(app)
    browser.get(f"/dashboard/stores/{store_id}/files")
    headers = {"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id}

    def htmx(method: str, path: str, fields):
        return getattr(browser.client, method)(path, headers=headers, data=fields)

    uploaded = browser.client.post(
        "/api/v1/files/upload",
        headers=headers,
        **multipart({"file": (printer_profile(), "press.icc"), "purpose": "color_profile"}),
    )
    assert uploaded.status_code == 201, uploaded.text
    assert htmx("post", "/api/v1/products", {"name": "Card", "dimensionUnit": "mm"}).status_code == 201
    with app.app_context():
        product_id = db.session.scalars(in_store(db.select(Product.id), store_id)).one()
        (profile_id,) = db.session.scalars(in_store(db.select(File.id).where(File.format == "icc"), store_id))

    page = browser.get(f"/dashboard/stores/{store_id}/products/{product_id}").text
    modes = re.search(r'<select id="rules-colorMode".*?</select>', page, re.S)[0]
    assert '<option value="rgb" selected>' in modes and 'value="cmyk"' in modes
    profiles = re.search(r'<select id="rules-colorProfileFileId".*?</select>', page, re.S)[0]
    assert (
        "The store&#39;s default (FOGRA39)" in profiles
        and f'<option value="{profile_id}">press.icc' in profiles
    )
    assert 'id="rules-renderingIntent"' in page and 'id="rules-blackTextAsK"' in page
    assert 'id="rules-convertImages"' in page

    rules = f"/api/v1/products/{product_id}/personalization"
    wrong = htmx("patch", rules, {"colorMode": "cmyk", "colorProfileFileId": "fil_nope"})
    assert wrong.status_code == 422 and 'id="rules-colorProfileFileId-note"' in wrong.text
    assert "no file with id &#39;fil_nope&#39; in this store" in wrong.text
    vivid = htmx("patch", rules, {"renderingIntent": "vivid"})
    assert vivid.status_code == 422 and 'id="rules-renderingIntent-note"' in vivid.text

    saved = htmx(
        "patch",
        rules,
        MultiDict(
            [
                ("colorMode", "cmyk"),
                ("colorProfileFileId", profile_id),
                ("renderingIntent", "perceptual"),
                ("blackTextAsK", "false"),
                ("convertImages", "true"),
                ("convertImages", "false"),
            ]
        ),
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    assert printed_through(app, store_id, product_id)[0] == printer_profile()
    with app.app_context():
        rules_saved = product_row(store_id, product_id).personalization
    assert (rules_saved["colorMode"], rules_saved["renderingIntent"]) == ("cmyk", "perceptual")
    assert (rules_saved["blackTextAsK"], rules_saved["convertImages"]) == (False, True)

    # The store's settings choose its default profile the same way.
    settings = browser.get(f"/dashboard/stores/{store_id}").text
    assert f'<option value="{profile_id}">press.icc' in settings
    store = htmx("patch", f"/api/v1/stores/{store_id}", {"colorProfileFileId": "fil_nope"})
    assert store.status_code == 422 and 'id="settings-colorProfileFileId-note"' in store.text
    store = htmx("patch", f"/api/v1/stores/{store_id}", {"colorProfileFileId": profile_id})
    assert store.status_code == 200 and "Saved." in store.text
    assert f'<option value="{profile_id}" selected>press.icc' in store.text
