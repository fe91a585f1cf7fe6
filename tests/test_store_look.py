"""The store's look on its customer pages (accounts/look.py, web/editor.py): brand colours and a
logo set through the API and the dashboard, served to the product page and the editor; the
pickers that offer a store's images leave customers' photos out; the thumbnails of the strip of
sides and of the template gallery."""

import re

import pytest

from designer.accounts.look import text_colour_on
from designer.accounts.models import Store
from designer.cli import DEMO_EMAIL, DEMO_PASSWORD
from designer.designs.models import Design
from designer.extensions import db
from designer.tenancy import in_store
from tests.factories import (
    FORM_CSRF,
    HTML,
    PASSWORD,
    a_second_front_template,
    add_file,
    basic,
    bearer,
    error,
    open_dashboard,
    png,
    storefront,
    upload_file,
)


def get_page(client, path: str, **headers):
    return client.get(path, headers={"Accept": HTML, **headers})


def patch_store(client, merchant, **body):
    return client.patch(f"/api/v1/stores/{merchant.store_id}", json=body, headers=merchant.basic)


def merchant_png(client, merchant) -> str:
    response = upload_file(client, merchant.bearer, png(), filename="logo.png", purpose="product_image")
    assert response.status_code == 201, response.json
    return response.json["id"]


def personalized_design(client, store_id: str) -> str:
    """Press "Personalize" on the demo business card as a customer's browser; the design's id."""
    page = get_page(client, f"/editor/stores/{store_id}/products/business-card")
    token = FORM_CSRF.search(page.text)[1]
    response = client.post(
        f"/editor/stores/{store_id}/products/business-card",
        data={"csrf_token": token},
        headers={"Accept": HTML},
    )
    assert response.status_code == 303, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


# Brand colours


def test_brand_colours_are_kept_lower_case_in_order_without_repeats(client, merchant):
    response = patch_store(client, merchant, brandColors=["#0B5CAD", "#f4c542", "#0b5cad"])
    assert response.status_code == 200, response.json
    assert response.json["brandColors"] == ["#0b5cad", "#f4c542"]
    again = client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.bearer)
    assert again.json["brandColors"] == ["#0b5cad", "#f4c542"]


@pytest.mark.parametrize(
    "colours, field",
    [
        (["red"], "brandColors.0"),
        (["#0b5cad", "#12345"], "brandColors.1"),
        (["#0b5cad; background: url(x)"], "brandColors.0"),
        (["#gggggg"], "brandColors.0"),
        (["#000000"] * 13, "brandColors"),
    ],
)
def test_a_brand_colour_that_is_not_rrggbb_is_refused_naming_it(client, merchant, colours, field):
    body = error(patch_store(client, merchant, brandColors=colours), 422, "validation_error", field)
    assert "brandColors" in body["message"]


def test_a_new_store_takes_its_brand_colours(client, merchant):
    response = client.post(
        "/api/v1/stores", json={"name": "Second", "brandColors": ["#112233"]}, headers=merchant.basic
    )
    assert response.status_code == 201, response.json
    assert response.json["brandColors"] == ["#112233"]
    assert response.json["logoFileId"] is None


# The logo


def test_the_logo_is_one_of_the_stores_own_images_and_null_removes_it(client, merchant):
    logo_id = merchant_png(client, merchant)
    response = patch_store(client, merchant, logoFileId=logo_id)
    assert response.status_code == 200, response.json
    assert response.json["logoFileId"] == logo_id
    # A change of something else keeps it.
    assert patch_store(client, merchant, name="Renamed").json["logoFileId"] == logo_id
    assert patch_store(client, merchant, logoFileId=None).json["logoFileId"] is None


def test_a_logo_of_another_store_is_refused_naming_the_field(client, merchant, make_merchant):
    other = make_merchant("Other")
    theirs = merchant_png(client, other)
    body = error(patch_store(client, merchant, logoFileId=theirs), 422, "validation_error", "logoFileId")
    assert "no file" in body["message"]


def test_a_logo_that_is_not_an_image_is_refused_naming_the_field(app, client, merchant):
    pdf_id = add_file(app, merchant.store_id, format="pdf", purpose="product_image")
    body = error(patch_store(client, merchant, logoFileId=pdf_id), 422, "validation_error", "logoFileId")
    assert "pdf" in body["message"]


def test_a_customers_photo_cannot_be_the_logo(client, merchant):
    photo = upload_file(client, storefront(merchant), png(), filename="me.png", purpose="upload")
    assert photo.status_code == 201, photo.json
    response = patch_store(client, merchant, logoFileId=photo.json["id"])
    body = error(response, 422, "validation_error", "logoFileId")
    assert "not one of the store's own images" in body["message"]


def test_a_new_store_cannot_name_a_logo_it_does_not_hold(client, merchant):
    logo_id = merchant_png(client, merchant)
    response = client.post(
        "/api/v1/stores", json={"name": "Second", "logoFileId": logo_id}, headers=merchant.basic
    )
    error(response, 422, "validation_error", "logoFileId")


def test_the_logo_is_served_to_anyone_and_a_store_without_one_has_none(client, merchant):
    assert client.get(f"/editor/stores/{merchant.store_id}/logo").status_code == 404
    logo_id = merchant_png(client, merchant)
    patch_store(client, merchant, logoFileId=logo_id)
    response = client.get(f"/editor/stores/{merchant.store_id}/logo")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data == png()
    assert "public" in response.headers["Cache-Control"]
    assert client.get("/editor/stores/sto_nosuchstore/logo").status_code == 404


# The store's style sheet


def test_the_theme_sets_the_accent_and_a_text_colour_that_reads_on_it(client, merchant):
    patch_store(client, merchant, brandColors=["#f4c542", "#0b5cad"])
    response = client.get(f"/editor/stores/{merchant.store_id}/theme.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert "--store-accent: #f4c542;" in css
    assert "--store-accent-text: #000000;" in css
    assert response.headers["ETag"]


def test_a_store_without_colours_gets_presswork_accent(client, merchant):
    css = client.get(f"/editor/stores/{merchant.store_id}/theme.css").get_data(as_text=True)
    assert "--store-accent: #0b5cad;" in css
    assert "--store-accent-text: #ffffff;" in css


@pytest.mark.parametrize(
    "background, text",
    [("#000000", "#ffffff"), ("#ffffff", "#000000"), ("#f4c542", "#000000"), ("#7a1f5c", "#ffffff")],
)
def test_the_text_colour_on_an_accent_is_the_one_with_more_contrast(background, text):
    assert text_colour_on(background) == text


# Customer pages


def test_the_product_page_shows_the_store_not_presswork(client, demo, app):
    store_id = demo["store_id"]
    logo_id = upload_file(
        client, bearer(demo["secret"]), png(), filename="logo.png", purpose="product_image"
    ).json["id"]
    response = client.patch(
        f"/api/v1/stores/{store_id}",
        json={"logoFileId": logo_id, "brandColors": ["#7a1f5c"]},
        headers=basic(DEMO_EMAIL, DEMO_PASSWORD),
    )
    assert response.status_code == 200, response.json
    text = get_page(client, f"/editor/stores/{store_id}/products/business-card").text
    assert "Demo Print Shop" in text
    for presswork in ("Sign up", "Log in", "API reference"):
        assert presswork not in text
    assert re.search(rf'<link rel="stylesheet" href="/editor/stores/{store_id}/theme.css\?v=\d+">', text)
    assert f'src="/editor/stores/{store_id}/logo?v={logo_id}"' in text
    assert "style=" not in text


def test_the_customers_editor_shows_the_store_and_the_merchants_template_editor_presswork(client, demo):
    design_id = personalized_design(client, demo["store_id"])
    text = get_page(client, f"/editor/designs/{design_id}").text
    assert "Demo Print Shop" in text and "Sign up" not in text
    assert "<title>Personalize Business card · Demo Print Shop</title>" in text


# The pickers


def test_the_side_and_logo_pickers_offer_the_merchants_images_never_customers_photos(app):
    browser, store_id = open_dashboard(app)
    with app.app_context():
        publishable = db.session.get(Store, store_id).publishable_token
    mockup = add_file(app, store_id, purpose="mockup")
    photo = upload_file(
        browser.client, {"X-Publishable-Token": publishable}, png(), filename="holiday.png", purpose="upload"
    )
    assert photo.status_code == 201, photo.json
    settings = browser.get(f"/dashboard/stores/{store_id}").text
    logo_options = re.search(r'<select id="settings-logoFileId".*?</select>', settings, re.S)[0]
    assert mockup in logo_options
    assert photo.json["id"] not in logo_options and "holiday.png" not in logo_options
    body = {
        "name": "Poster",
        "dimensionUnit": "mm",
        "sides": [{"name": "Front", "width": 300, "height": 400}],
    }
    account = basic("ada@example.com", PASSWORD) | {"X-Store-Id": store_id}
    product = browser.client.post("/api/v1/products", json=body, headers=account)
    assert product.status_code == 201, product.json
    side_id = product.json["sides"][0]["id"]
    side_page = browser.get(
        f"/dashboard/stores/{store_id}/products/{product.json['id']}/sides/{side_id}"
    ).text
    assert f'value="{mockup}"' in side_page
    assert photo.json["id"] not in side_page


def test_the_settings_form_saves_colours_and_a_logo(app):
    browser, store_id = open_dashboard(app)
    mockup = add_file(app, store_id, purpose="product_image")
    browser.get(f"/dashboard/stores/{store_id}")
    response = browser.htmx(
        "PATCH",
        f"/api/v1/stores/{store_id}",
        {"name": "Paper Moon", "shopOrigins": "", "brandColors": "#7A1F5C, #f4c542", "logoFileId": mockup},
    )
    assert response.status_code == 200, response.text
    assert "Saved." in response.text
    assert 'value="#7a1f5c #f4c542"' in response.text
    refused = browser.htmx(
        "PATCH", f"/api/v1/stores/{store_id}", {"name": "Paper Moon", "brandColors": "purple"}
    )
    assert refused.status_code == 422
    assert "#rrggbb" in refused.text
    cleared = browser.htmx("PATCH", f"/api/v1/stores/{store_id}", {"name": "Paper Moon", "logoFileId": ""})
    assert cleared.status_code == 200, cleared.text
    assert "selected>None" in cleared.text.replace('value="" selected', "selected")


# Thumbnails and the gallery


def test_a_designs_thumbnail_is_its_preview_for_the_browser_that_opened_it_only(app, client, demo):
    design_id = personalized_design(client, demo["store_id"])
    response = client.get(f"/editor/designs/{design_id}/thumbnail.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b'class="composition"' in response.data
    assert app.test_client().get(f"/editor/designs/{design_id}/thumbnail.svg").status_code == 404


def test_the_editor_page_gives_its_body_to_the_strip_and_its_changes_to_an_edit(client, demo):
    design_id = personalized_design(client, demo["store_id"])
    page = get_page(client, f"/editor/designs/{design_id}").text
    back_id = re.search(r'<a href="/editor/designs/(des_\w+)" hx-get="[^"]+"\s+data-design-id="\1">', page)[1]
    assert f"/editor/designs/{back_id}/thumbnail.svg?v=" in page
    strip = client.get(f"/editor/designs/{back_id}", headers={"HX-Request": "true", "HX-Target": "editor"})
    assert 'id="editor"' in strip.text and "side-strip" in strip.text
    restore = client.get(
        f"/editor/designs/{back_id}", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert 'id="editor"' in restore.text
    edit = client.get(f"/editor/designs/{back_id}", headers={"HX-Request": "true", "HX-Target": "preview"})
    assert 'id="editor"' not in edit.text and 'hx-swap-oob="innerHTML"' in edit.text


def test_the_gallery_shows_each_template_as_a_picture_to_choose(app, client, demo):
    bold = a_second_front_template(client, demo)
    page = get_page(client, f"/editor/stores/{demo['store_id']}/products/business-card").text
    assert "Choose a design to start from" in page
    radios = re.findall(r'<input type="radio" name="template-(\w+)" value="(\w+)"', page)
    assert len(radios) == 2 and radios[1][1] == bold
    # The back, with one template, is shown without a choice.
    assert len(re.findall(r'<input type="hidden" name="template-\w+" value="\w+">', page)) == 1
    for _, template_id in radios:
        url = f"/editor/stores/{demo['store_id']}/templates/{template_id}/thumbnail.svg"
        assert url in page
        assert client.get(url).mimetype == "image/svg+xml"


def test_with_one_template_per_side_there_is_nothing_to_choose(app, client, demo):
    page = get_page(client, f"/editor/stores/{demo['store_id']}/products/business-card").text
    assert 'type="radio"' not in page
    assert "Your design starts like this" in page
    assert len(re.findall(r'<input type="hidden" name="template-\w+" value="\w+">', page)) == 2


def test_an_unpublished_template_has_no_public_thumbnail(app, client, demo):
    secret = bearer(demo["secret"])
    product = client.get("/api/v1/products/business-card", headers=secret).json
    template = client.get(f"/api/v1/sides/{product['sides'][0]['id']}/templates", headers=secret).json[
        "data"
    ][0]
    client.patch(f"/api/v1/templates/{template['id']}", json={"status": "draft"}, headers=secret)
    url = f"/editor/stores/{demo['store_id']}/templates/{template['id']}/thumbnail.svg"
    assert client.get(url).status_code == 404
    with app.app_context():
        assert db.session.scalars(in_store(db.select(Design), demo["store_id"])).first() is None


def test_a_logo_whose_file_was_deleted_is_left_out_of_the_page(client, demo):
    store_id = demo["store_id"]
    logo = upload_file(client, bearer(demo["secret"]), png(), filename="logo.png", purpose="product_image")
    client.patch(
        f"/api/v1/stores/{store_id}",
        json={"logoFileId": logo.json["id"]},
        headers=basic(DEMO_EMAIL, DEMO_PASSWORD),
    )
    page = f"/editor/stores/{store_id}/products/business-card"
    assert "store-logo" in get_page(client, page).text
    assert client.delete(f"/api/v1/files/{logo.json['id']}", headers=bearer(demo["secret"])).status_code in (
        200,
        204,
    )
    text = get_page(client, page).text
    assert "store-logo" not in text and "Demo Print Shop" in text
    assert client.get(f"/editor/stores/{store_id}/logo").status_code == 404
