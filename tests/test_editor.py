"""The editor's pages through the Flask test client: who may open a product, a design and a
template, what the pages hold, and the parts htmx gets after an edit."""

import io
import re

import pikepdf

from designer.cli import DEMO_EMAIL, DEMO_PASSWORD
from designer.designs.models import Design
from designer.extensions import db
from designer.templates.models import Template
from designer.tenancy import get_in_store, in_store
from tests.factories import FORM_CSRF, HTML, PASSWORD, bearer, run_worker


def get_page(client, path: str, **headers):
    return client.get(path, headers={"Accept": HTML, **headers})


def personalize(client, store_id: str, slug: str = "business-card", fields: dict | None = None):
    """Open the product's editor page and press "Personalize" as a customer's browser does."""
    page = get_page(client, f"/editor/stores/{store_id}/products/{slug}")
    assert page.status_code == 200, page.text
    token = FORM_CSRF.search(page.text)[1]
    return client.post(
        f"/editor/stores/{store_id}/products/{slug}",
        data={"csrf_token": token, **(fields or {})},
        headers={"Accept": HTML},
    )


def started_design_id(response) -> str:
    assert response.status_code == 303, response.text
    match = re.fullmatch(r".*/editor/designs/(des_[0-9A-Za-z]+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return match[1]


def log_in(client, email: str, password: str) -> None:
    page = get_page(client, "/login")
    token = FORM_CSRF.search(page.text)[1]
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.text


def test_a_published_products_page_offers_each_sides_templates(client, demo):
    page = get_page(client, f"/editor/stores/{demo['store_id']}/products/business-card")
    assert page.status_code == 200
    assert "Personalize Business card" in page.text
    for text in ("Front", "Back", "Classic", "Logo back", ">Personalize</button>"):
        assert text in page.text


def test_an_unknown_unpublished_or_other_stores_product_is_a_404_page(client, demo, merchant):
    store_id = demo["store_id"]
    assert get_page(client, f"/editor/stores/{store_id}/products/no-such-card").status_code == 404
    assert get_page(client, f"/editor/stores/{merchant.store_id}/products/business-card").status_code == 404
    hidden = client.patch(
        "/api/v1/products/business-card", json={"status": "draft"}, headers=bearer(demo["secret"])
    )
    assert hidden.status_code == 200, hidden.json
    page = get_page(client, f"/editor/stores/{store_id}/products/business-card")
    assert page.status_code == 404
    assert "Not found" in page.text


def test_personalizing_starts_a_project_this_browser_owns_and_opens_its_first_side(app, client, demo):
    design_id = started_design_id(personalize(client, demo["store_id"]))
    page = get_page(client, f"/editor/designs/{design_id}")
    assert page.status_code == 200
    text = page.text
    assert "Personalize Business card" in text
    assert "<svg" in text and 'class="composition"' in text
    assert f'"X-Publishable-Token": "{demo["publishable"]}"' in text
    # The strip of sides: the front is this page, the back is the project's other design.
    links = re.findall(
        r'<a href="/editor/designs/(des_\w+)"[^>]*?( aria-current="page")?>'
        r"\s*<img[^>]*>\s*<span>(\w+)</span>",
        text,
    )
    assert [(current, name) for _, current, name in links] == [
        (' aria-current="page"', "Front"),
        ("", "Back"),
    ]
    back_id = links[1][0]
    assert get_page(client, f"/editor/designs/{back_id}").status_code == 200
    # The text layers are labelled fields holding their text; the locked bar cannot be moved.
    assert re.search(r'<label for="f-lyr_\w+-text">Name</label>', text)
    assert 'value="Alex Morgan"' in text
    assert "locked against moving, editing, deleting" in text
    with app.app_context():
        design = get_in_store(Design, design_id, demo["store_id"])
        assert design.project_id is not None
        assert [layer["name"] for layer in design.layers] == ["Accent bar", "Name", "Title", "Contact"]


def test_the_chosen_template_of_each_side_is_used(app, client, demo):
    with app.app_context():
        classic = db.session.scalars(
            in_store(db.select(Template).where(Template.name == "Classic"), demo["store_id"])
        ).one()
        copy = client.post(
            f"/api/v1/templates/{classic.id}/duplicate",
            json={"name": "Classic copy"},
            headers=bearer(demo["secret"]),
        )
        assert copy.status_code == 201, copy.json
        side_id = classic.side_id
    design_id = started_design_id(
        personalize(client, demo["store_id"], fields={f"template-{side_id}": copy.json["id"]})
    )
    with app.app_context():
        assert get_in_store(Design, design_id, demo["store_id"]).template_id == copy.json["id"]


def test_a_template_of_another_side_is_refused_naming_it(client, demo):
    product = client.get("/api/v1/products/business-card", headers=bearer(demo["secret"])).json
    front, back = product["sides"]
    back_templates = client.get(f"/api/v1/sides/{back['id']}/templates", headers=bearer(demo["secret"])).json
    response = personalize(
        client, demo["store_id"], fields={f"template-{front['id']}": back_templates["data"][0]["id"]}
    )
    assert response.status_code == 422
    assert f"templateIds.{front['id']}" in response.text


def test_a_design_opens_with_its_editor_link_in_another_browser_and_not_without(app, client, demo):
    design_id = started_design_id(personalize(client, demo["store_id"]))
    design = client.get(f"/api/v1/designs/{design_id}", headers=bearer(demo["secret"])).json
    link = design["editorUrl"]
    assert link.startswith("http://localhost/editor/designs/" + design_id + "?key=")

    other = app.test_client()
    assert get_page(other, f"/editor/designs/{design_id}").status_code == 404
    assert get_page(other, f"/editor/designs/{design_id}?key=not-the-key").status_code == 404
    assert get_page(other, link.removeprefix("http://localhost")).status_code == 200
    # The key opened the project for this browser: its other side needs no key.
    assert get_page(other, f"/editor/designs/{design_id}").status_code == 200

    # A key opens its own project only.
    second_id = started_design_id(personalize(client, demo["store_id"]))
    third = app.test_client()
    key = link.split("key=")[1]
    assert get_page(third, f"/editor/designs/{second_id}?key={key}").status_code == 404
    assert get_page(third, "/editor/designs/des_doesnotexist").status_code == 404


def test_the_merchant_opens_their_stores_designs_and_another_merchant_does_not(app, client, demo, merchant):
    design_id = started_design_id(personalize(client, demo["store_id"]))
    owner = app.test_client()
    log_in(owner, DEMO_EMAIL, DEMO_PASSWORD)
    assert get_page(owner, f"/editor/designs/{design_id}").status_code == 200
    stranger = app.test_client()
    log_in(stranger, merchant.email, PASSWORD)
    assert get_page(stranger, f"/editor/designs/{design_id}").status_code == 404


def test_the_template_editor_is_the_merchants_own(app, client, demo, merchant):
    with app.app_context():
        classic = db.session.scalars(
            in_store(db.select(Template).where(Template.name == "Classic"), demo["store_id"])
        ).one()
        path = f"/dashboard/stores/{demo['store_id']}/templates/{classic.id}/edit"
    assert get_page(client, path).status_code == 302  # to the log-in page

    log_in(client, DEMO_EMAIL, DEMO_PASSWORD)
    page = get_page(client, path)
    assert page.status_code == 200
    assert "Template “Classic”" in page.text
    assert f'"X-Store-Id": "{demo["store_id"]}"' in page.text
    assert "Locked against" in page.text and 'name="locked.move"' in page.text
    assert 'name="rules.maxChars"' in page.text
    assert "X-Publishable-Token" not in page.text

    stranger = app.test_client()
    log_in(stranger, merchant.email, PASSWORD)
    assert get_page(stranger, path).status_code == 404
    assert (
        get_page(client, f"/dashboard/stores/{demo['store_id']}/templates/tpl_nope/edit").status_code == 404
    )


def test_the_dashboard_links_each_template_to_its_editor(client, demo):
    log_in(client, DEMO_EMAIL, DEMO_PASSWORD)
    page = get_page(client, f"/dashboard/stores/{demo['store_id']}/templates")
    links = re.findall(rf'href="(/dashboard/stores/{demo["store_id"]}/templates/tpl_\w+/edit)"', page.text)
    assert len(links) == 8  # every demo template
    assert get_page(client, links[0]).status_code == 200


def _layer_id(client, design_id: str, name: str, secret: str) -> str:
    layers = client.get(f"/api/v1/designs/{design_id}", headers=bearer(secret)).json["layers"]
    return next(layer["id"] for layer in layers if layer.get("name") == name)


def test_an_edit_from_the_editor_answers_the_new_preview_and_the_changed_parts(client, demo):
    design_id = started_design_id(personalize(client, demo["store_id"]))
    name_id = _layer_id(client, design_id, "Name", demo["secret"])
    headers = {"HX-Request": "true", "X-Publishable-Token": demo["publishable"]}
    url = f"/api/v1/designs/{design_id}/layers/{name_id}"

    typed = client.patch(
        url, json={"text": "Grace Hopper"}, headers={**headers, "HX-Trigger": f"f-{name_id}-text"}
    )
    assert typed.status_code == 200, typed.text
    assert typed.text.lstrip().startswith("<svg")
    assert 'aria-label="Grace Hopper"' in typed.text or "<title>Grace Hopper</title>" in typed.text
    assert 'id="warnings" hx-swap-oob="innerHTML"' in typed.text
    assert 'id="history" hx-swap-oob="innerHTML"' in typed.text
    # The field being typed in is not sent back.
    assert 'id="layers"' not in typed.text

    dragged = client.patch(url, json={"x": 14, "y": 15}, headers={**headers, "HX-Trigger": "js-1"})
    assert dragged.status_code == 200
    assert 'id="layers" hx-swap-oob="innerHTML"' in dragged.text
    assert re.search(rf'id="f-{name_id}-x" name="x" type="number" step="0.1" value="14.0"', dragged.text)
    assert 'id="undo"' in dragged.text and 'id="undo" hx-post' in dragged.text


def test_the_page_itself_answers_htmx_with_the_changed_parts(client, demo):
    design_id = started_design_id(personalize(client, demo["store_id"]))
    response = client.get(f"/editor/designs/{design_id}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<svg")
    assert 'hx-swap-oob="innerHTML"' in response.text
    assert "<html" not in response.text


def personalized_and_saved(client, demo) -> tuple[str, object]:
    """A customer personalizes the demo business card and presses Save: (the front design's id,
    the answer to the editor's Save)."""
    design_id = started_design_id(personalize(client, demo["store_id"]))
    page = get_page(client, f"/editor/designs/{design_id}")
    project_id = re.search(r'hx-post="/api/v1/projects/(prj_\w+)/complete"', page.text)[1]
    saved = client.post(
        f"/api/v1/projects/{project_id}/complete",
        headers={"HX-Request": "true", "X-Publishable-Token": demo["publishable"]},
    )
    return design_id, saved


def test_the_proof_place_polls_until_the_worker_rendered_it(app, client, demo):
    design_id, saved = personalized_and_saved(client, demo)
    assert saved.status_code == 200, saved.text
    assert "Saved." in saved.text
    assert saved.text.count('hx-trigger="load delay:1s"') == 2  # front and back

    pending = client.get(f"/api/v1/designs/{design_id}/proof", headers={"HX-Request": "true"})
    assert 'hx-trigger="load delay:1s"' in pending.text
    assert client.get(f"/editor/designs/{design_id}/proof.png").status_code == 404

    from worker.proofs import render_proof

    with app.app_context():
        render_proof(design_id)
    ready = client.get(f"/api/v1/designs/{design_id}/proof", headers={"HX-Request": "true"})
    assert f'src="/editor/designs/{design_id}/proof.png"' in ready.text
    assert "hx-trigger" not in ready.text
    image = client.get(f"/editor/designs/{design_id}/proof.png")
    assert image.status_code == 200
    assert image.mimetype == "image/png"
    assert image.data.startswith(b"\x89PNG")
    assert app.test_client().get(f"/editor/designs/{design_id}/proof.png").status_code == 404


def test_layers_are_listed_front_first_with_the_z_their_buttons_send(app):
    from designer.composer.layers import load_layers
    from designer.web.editor import layers_front_to_back

    layers = load_layers(
        [
            {"type": "shape", "shape": "rect", "width": 1, "height": 1, "z": 0, "id": "lyr_a"},
            {"type": "shape", "shape": "rect", "width": 1, "height": 1, "z": 1, "id": "lyr_b"},
            {"type": "shape", "shape": "rect", "width": 1, "height": 1, "z": 1, "id": "lyr_c"},
        ]
    )
    stacked = layers_front_to_back(layers)
    # Layers stack by z, then list order: a, b, c from the back. One layer's z is all a button
    # changes: c goes behind b at z 0 (ahead of a, which is earlier in the list); b cannot go
    # behind a without a negative z; a passes b (and c, which shares b's z) at z 2.
    assert [(item.layer.id, item.forward_z, item.backward_z) for item in stacked] == [
        ("lyr_c", None, 0),
        ("lyr_b", 2, None),
        ("lyr_a", 2, None),
    ]


def test_saving_queues_the_print_ready_pdf_the_editor_then_offers_to_download(
    app, client, demo, redis_url, app_config
):
    design_id, saved = personalized_and_saved(client, demo)
    project_id = re.search(r'hx-get="/api/v1/projects/(prj_\w+)/render"', saved.text)[1]
    pending = client.get(f"/api/v1/projects/{project_id}/render", headers={"HX-Request": "true"})
    assert "<progress" in pending.text and 'hx-trigger="load delay:1s"' in pending.text
    assert client.get(f"/editor/designs/{design_id}/print.pdf").status_code == 404

    run_worker(redis_url, app_config)  # saving queued it: nobody had to ask

    ready = client.get(f"/api/v1/projects/{project_id}/render", headers={"HX-Request": "true"})
    assert f'href="/editor/designs/{design_id}/print.pdf"' in ready.text and "hx-trigger" not in ready.text
    pdf = client.get(f"/editor/designs/{design_id}/print.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    with pikepdf.open(io.BytesIO(pdf.data)) as document:
        assert len(document.pages) == 2  # the project: front and back
    assert app.test_client().get(f"/editor/designs/{design_id}/print.pdf").status_code == 404
