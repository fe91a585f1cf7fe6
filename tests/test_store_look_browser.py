"""The store's look in Chromium: the merchant sets its colours and logo on the store's settings
page (the logo picker offers no customer's photo, nor does a side's), and the customer's product
page and editor show the store's name, logo and accent instead of Presswork's links; the product
page's gallery chooses a template by its picture, with the mouse or the keyboard."""

import re

from playwright.sync_api import expect

from designer.cli import DEMO_EMAIL, DEMO_PASSWORD
from designer.designs.models import Design
from designer.extensions import db
from designer.tenancy import get_in_store
from tests.browser import log_in_as_demo, violations, wait_for_htmx
from tests.factories import a_second_front_template, basic, bearer, png, upload_file

DESIGN_URL = re.compile(r".*/editor/designs/(des_\w+)$")


def test_the_merchant_sets_the_look_and_customers_see_the_store(tab, demo, client):
    page = tab.page
    logo = upload_file(
        client, bearer(demo["secret"]), png(160, 60), filename="moon-logo.png", purpose="product_image"
    )
    assert logo.status_code == 201, logo.json
    photo = upload_file(
        client, {"X-Publishable-Token": demo["publishable"]}, png(), filename="holiday.png", purpose="upload"
    )
    assert photo.status_code == 201, photo.json

    log_in_as_demo(tab)
    tab.go(f"/dashboard/stores/{demo['store_id']}")
    logo_picker = page.get_by_label("Logo", exact=True)
    expect(logo_picker.locator("option", has_text="moon-logo.png")).to_have_count(1)
    expect(logo_picker.locator("option", has_text="holiday.png")).to_have_count(0)
    page.get_by_label("Brand colours").fill("#7a1f5c #f4c542")
    logo_picker.select_option(logo.json["id"])
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator("form .notice", has_text="Saved.")).to_be_visible()
    store = client.get(f"/api/v1/stores/{demo['store_id']}", headers=basic(DEMO_EMAIL, DEMO_PASSWORD)).json
    assert store["brandColors"] == ["#7a1f5c", "#f4c542"]
    assert store["logoFileId"] == logo.json["id"]

    # A side's background and mockup pickers offer no customer's photo either.
    tab.go(f"/dashboard/stores/{demo['store_id']}/products")
    page.locator("#product-rows").get_by_role("link", name="Business card").click()
    wait_for_htmx(page)
    page.get_by_role("link", name="Front").first.click()
    wait_for_htmx(page)
    for picker in ("Background image", "Mockup image"):
        options = page.get_by_label(picker, exact=True).locator("option")
        expect(options.filter(has_text="moon-logo.png")).to_have_count(1)
        expect(options.filter(has_text="holiday.png")).to_have_count(0)

    # The customer's pages: the store's bar, its logo and accent; none of Presswork's links.
    customer = tab.page.context.browser.new_context()
    try:
        shopper = customer.new_page()
        shopper.goto(f"{tab.base}/editor/stores/{demo['store_id']}/products/business-card")
        wait_for_htmx(shopper)
        check_the_store_look(shopper)
        shopper.get_by_role("button", name="Personalize").click()
        shopper.wait_for_url(DESIGN_URL)
        wait_for_htmx(shopper)
        check_the_store_look(shopper)
        expect(shopper).to_have_title("Personalize Business card · Demo Print Shop")
    finally:
        customer.close()
    assert tab.errors == []


def check_the_store_look(page) -> None:
    bar = page.locator("header.store-bar")
    expect(bar).to_contain_text("Demo Print Shop")
    for presswork in ("Sign up", "Log in", "API reference"):
        expect(page.get_by_role("link", name=presswork)).to_have_count(0)
    logo = bar.locator("img.store-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("(img) => img.complete && img.naturalWidth") == 160
    accent = "rgb(122, 31, 92)"
    expect(bar).to_have_css("border-bottom-color", accent)
    main_button = page.get_by_role("button", name=re.compile("^(Personalize|Save)$")).first
    expect(main_button).to_have_css("background-color", accent)
    expect(main_button).to_have_css("color", "rgb(255, 255, 255)")


def test_the_gallery_chooses_a_template_by_its_picture_or_the_keyboard(tab, demo, client, app):
    page = tab.page
    bold = a_second_front_template(client, demo)
    tab.go(f"/editor/stores/{demo['store_id']}/products/business-card")
    gallery = page.get_by_role("group", name=re.compile("^Front"))
    classic_radio = gallery.get_by_role("radio", name="Classic")
    bold_radio = gallery.get_by_role("radio", name="Bold")
    expect(classic_radio).to_be_checked()
    pictures = gallery.locator("img.thumbnail")
    expect(pictures).to_have_count(2)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.template-gallery img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    # The mouse: a click on Bold's picture chooses it.
    gallery.locator("label.gallery-choice", has_text="Bold").locator("img").click()
    expect(bold_radio).to_be_checked()
    expect(classic_radio).not_to_be_checked()
    # The keyboard: arrows move between the pictures of a side.
    bold_radio.focus()
    page.keyboard.press("ArrowLeft")
    expect(classic_radio).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(bold_radio).to_be_checked()
    assert violations(page) == []

    page.get_by_role("button", name="Personalize").click()
    page.wait_for_url(DESIGN_URL)
    design_id = DESIGN_URL.match(page.url)[1]
    with app.app_context():
        assert get_in_store(Design, design_id, demo["store_id"]).template_id == bold
        db.session.remove()
    assert tab.errors == []
