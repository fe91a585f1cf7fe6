"""What the customer's editor says stays true, in Chromium: each proof says it is ready only once
the worker made it; a refused Save says what to fix in plain words and clears once a Save goes
through; the status line drops a refusal after the next edit that goes through."""

import re

from playwright.sync_api import expect

from tests.browser import layer_item, open_product
from tests.factories import run_worker

JARGON = re.compile(r"preflight|request body|JSON|\b4\d\d\b|\blayer\b|blocking|field '", re.IGNORECASE)


def test_the_proof_ready_note_appears_once_the_proofs_exist_and_not_before(tab, demo, redis_url, app_config):
    page = tab.page
    open_product(tab, demo["store_id"])
    page.get_by_role("button", name="Save").click()
    result = page.locator("#save-result")
    expect(result).to_contain_text("Saved.")
    expect(result).to_contain_text("Preparing your proof of the Front side")
    # No worker has run: nothing may say the proof is ready, even after the page asked again.
    page.wait_for_event("requestfinished", lambda request: "/proof" in request.url)
    expect(result.locator(".proof-ready")).to_have_count(0)
    expect(result).not_to_contain_text("ready")
    run_worker(redis_url, app_config)
    expect(result.locator(".proof-ready")).to_have_count(2, timeout=15_000)
    expect(result.locator(".proof-ready").first).to_have_text("Your proof of the Front side is ready.")
    expect(result).not_to_contain_text("Preparing your proof")
    assert tab.errors == []


def test_a_refused_save_says_what_to_fix_and_clears_after_a_save_that_goes_through(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"])
    name = page.get_by_label("Name", exact=True)
    name.fill("")
    expect(page.locator("#warnings li.blocking")).to_have_count(1)
    warnings = page.locator("#warnings").inner_text()
    assert "“Name” is required" in warnings and "Show where" in warnings
    assert not JARGON.search(warnings), warnings

    page.get_by_role("button", name="Save").click()
    result = page.locator("#save-result")
    status = page.locator("#editor-status")
    expect(result.locator(".error")).to_have_text("Not saved yet: fix one thing first.")
    expect(result).to_contain_text("Front: “Name” is required: fill it in")
    expect(status).to_have_text("Not saved yet: fix one thing first.")
    assert not JARGON.search(result.inner_text()), result.inner_text()

    # The next edit that goes through leaves no stale refusal on the status line.
    name.fill("Grace Hopper")
    expect(page.locator("#warnings li.blocking")).to_have_count(0)
    expect(status).to_have_text("")
    expect(status).not_to_have_class(re.compile(r"\berror\b"))

    page.get_by_role("button", name="Save").click()
    expect(result).to_contain_text("Saved.")
    expect(result.locator(".error")).to_have_count(0)
    expect(result).not_to_contain_text("Not saved")
    expect(status).to_have_text("")
    # The browser logs the refusal (422, the API's answer) as a failed load; it is no error of the page.
    assert [error for error in tab.errors if "422" not in error] == []


def test_a_refusal_on_the_status_line_goes_with_the_next_edit(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"])
    status = page.locator("#editor-status")
    # The locked accent bar refuses a move with the keyboard: the status line says so.
    bar = layer_item(page, "Accent bar")
    bar.locator(".select").click()
    page.locator("#preview").focus()
    page.keyboard.press("ArrowRight")
    expect(status).to_have_text("“Accent bar” is locked: it cannot be moved.")
    expect(status).to_have_class(re.compile(r"\berror\b"))
    page.get_by_label("Name", exact=True).fill("Ada Lovelace")
    expect(page.locator("#preview").get_by_role("img", name="Ada Lovelace")).to_have_count(1)
    expect(status).to_have_text("")
    assert tab.errors == []
