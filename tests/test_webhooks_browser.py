"""Webhooks in a real browser (Debian's Chromium driven by Playwright, the app on a local port): a
merchant registers an endpoint, copies its secret, sends a test event that a real worker delivers
to a real receiver, and reads the delivery in the log, without a console error."""

import re

from playwright.sync_api import expect
from standardwebhooks import Webhook as Verifier

from tests.browser import open_new_store, wait_for_htmx
from tests.factories import WEBHOOK_CONFIG, run_jobs

# receiver and the worker are the webhook tests'.


def test_merchant_registers_a_webhook_and_sees_its_test_event_delivered(app, tab, receiver):
    app.config.update(WEBHOOK_CONFIG)  # the receiver listens on 127.0.0.1, as in development
    page = tab.page
    open_new_store(tab, "Webhooks")

    page.get_by_label("Endpoint URL").fill("http://10.0.0.8/hook")
    page.get_by_label("All events (and any added later)").check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_text("not a public address")).to_be_visible()  # refused inline, naming why

    page.get_by_label("Endpoint URL").fill(receiver.url)
    page.get_by_role("button", name="Add webhook").click()
    secret = page.get_by_label("Signing secret")
    expect(secret).to_have_value(re.compile(r"^whsec_"))
    signing_secret = secret.input_value()

    page.get_by_role("list", name="Webhooks").get_by_role("link", name=receiver.url).click()
    wait_for_htmx(page)
    page.get_by_role("button", name="Send test event").click()
    expect(page.locator("#delivery-notice")).to_contain_text("on its way")

    run_jobs(app)
    [received] = receiver.received
    event = Verifier(signing_secret).verify(received.body, received.headers)
    assert event["type"] == "webhook.test"
    page.reload()
    expect(page.locator("table.deliveries")).to_contain_text("webhook.test")
    expect(page.locator("table.deliveries")).to_contain_text("200")
    # The browser logs the refused URL (422, the API's answer) as a failed load; no error of the page.
    assert [error for error in tab.errors if "422" not in error] == []
