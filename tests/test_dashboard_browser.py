"""The merchant dashboard in a real browser: Debian's Chromium driven by Playwright against the
real app served on a local port. Sign-up, stores, tokens and the publishable token, with htmx
doing the small actions (no page reload), the keyboard alone, and a phone-width screen."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, create_store, screenshot_dir, sign_up, wait_for_htmx


def test_merchant_walks_from_sign_up_to_tokens_without_page_reloads(tab, tmp_path):
    page = tab.page
    sign_up(tab)
    expect(page.get_by_text("No stores yet")).to_be_visible()

    tab.mark()
    create_store(tab, "Paper Moon")
    assert tab.marked(), "creating a store reloaded the page"
    expect(page.get_by_text("No stores yet")).to_be_hidden()
    expect(page.locator("#flash")).to_have_text("Store “Paper Moon” created.")
    expect(page.get_by_label("Store name")).to_have_value("")
    page.screenshot(
        path=os.path.join(screenshot_dir(tmp_path), "presswork-stores-desktop.png"), full_page=True
    )

    page.get_by_role("link", name="Paper Moon").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paper Moon")
    wait_for_htmx(page)
    tab.mark()

    page.get_by_label("Token name").fill("Shop backend")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Secret", exact=True)
    expect(secret).to_have_value(re.compile(r"^sk_[A-Za-z0-9]{43}$"))
    hint = "sk_…" + secret.input_value()[-4:]
    row = page.locator("#token-list li", has_text="Shop backend")
    expect(row).to_contain_text(hint)
    expect(page.get_by_label("Token name")).to_have_value("")

    page.get_by_role("button", name="Revoke Shop backend").click()
    expect(row).to_have_class("revoked")
    expect(row).to_contain_text("revoked")
    expect(page.get_by_role("button", name="Revoke Shop backend")).to_have_count(0)

    publishable = page.get_by_role("textbox", name="Publishable token")
    old = publishable.input_value()
    page.get_by_role("button", name="Renew").click()
    expect(publishable).not_to_have_value(old)
    expect(publishable).to_have_value(re.compile(r"^pk_[A-Za-z0-9]{43}$"))
    expect(page.get_by_text("Renewed. The old token no longer works.")).to_be_visible()

    assert tab.marked(), "a token or publishable-token action reloaded the page"
    page.screenshot(
        path=os.path.join(screenshot_dir(tmp_path), "presswork-store-desktop.png"), full_page=True
    )
    assert tab.errors == []


def test_settings_show_the_inline_error_save_without_reloading_and_the_store_can_go(tab):
    page = tab.page
    sign_up(tab)
    create_store(tab, "Paper Moon")
    page.get_by_role("link", name="Paper Moon").click()
    wait_for_htmx(page)
    tab.mark()

    rate_limit = page.get_by_label("Rate limit (requests per minute per token)")
    rate_limit.fill("0")
    page.get_by_role("button", name="Save settings").click()
    expect(rate_limit).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#settings-rateLimitPerMinute-note")).to_have_text(
        "This field should be greater than or equal to 1"
    )

    rate_limit.fill("120")
    page.get_by_label("Store name").fill("Paper Sun")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paper Sun")
    expect(rate_limit).not_to_have_attribute("aria-invalid", "true")
    assert tab.marked()

    page.get_by_role("button", name="Delete store").click()
    expect(page).to_have_url(tab.base + "/dashboard/")
    expect(page.get_by_text("No stores yet")).to_be_visible()
    # The 422 answer is how htmx gets the form back; it is no error of the page.
    assert [error for error in tab.errors if "422" not in error] == []


def test_keyboard_alone_creates_a_store(tab):
    page = tab.page
    sign_up(tab)
    tab.mark()

    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "new-store-name":
            break
    else:
        pytest.fail("Tab never reached the store-name field")
    page.keyboard.type("Keyboard Prints")
    page.keyboard.press("Enter")

    expect(page.locator("#store-list").get_by_role("link", name="Keyboard Prints")).to_be_visible()
    assert tab.marked()
    # htmx puts focus back on the field it replaced, ready for the next store.
    assert page.evaluate("() => document.activeElement.id") == "new-store-name"
    assert tab.errors == []


def test_store_page_fits_a_phone_screen(tab, tmp_path):
    page = tab.page
    page.set_viewport_size(PHONE)
    sign_up(tab, email="a-rather-long-address-for-a-phone@print-shop.example.com")
    create_store(tab, "Paper Moon")
    page.get_by_role("link", name="Paper Moon").click()
    wait_for_htmx(page)
    page.get_by_label("Token name").fill("Shop backend with a long name")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_label("Secret", exact=True)).to_be_visible()

    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the store page scrolls sideways by {overflow}px at {PHONE['width']}px"
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-store-phone.png"), full_page=True)
    assert tab.errors == []
