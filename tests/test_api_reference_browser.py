"""The API references a person reads, in Debian's Chromium: /api/docs (the native API) and
/v1/docs (PrintCart's dialect), each drawn by Redoc from static/vendor out of its OpenAPI
document. A reader finds an operation by searching, reads its request and response examples, and
the page asks nothing of any other host."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser import TIMEOUT_MS

PRODUCT_ID_EXAMPLE = "prd_01JGZK3X8T4M2N6P9Q5R7S1V0W"


@pytest.mark.parametrize(
    ("path", "search", "summary", "operation_id"),
    [
        (
            "/api/docs",
            "Create a product",
            "Create a product with its sides and personalization rules",
            "create_product",
        ),
        ("/v1/docs", "Create Product", "Create Product", "create_product"),
    ],
)
def test_a_reference_finds_an_operation_by_search_and_shows_its_examples_from_this_host_alone(
    tab, path, search, summary, operation_id
):
    page = tab.page
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(tab.base + path)
    box = page.get_by_role("textbox", name="Search")
    box.wait_for(timeout=6 * TIMEOUT_MS)  # Redoc draws the page once it has read the document
    # Grouped by resource: the sidebar lists the document's tags.
    expect(page.locator(".menu-content")).to_contain_text("Webhook")
    box.fill(search)
    page.locator('[data-role="search:results"]').get_by_text(summary, exact=True).first.click()
    # The search took the reader to the operation (Redoc may still be laying the page out under
    # load, so where it scrolled is read from the address, then the section is brought in view).
    expect(page).to_have_url(re.compile(rf"#tag/[^/]+/operation/{operation_id}$"), timeout=3 * TIMEOUT_MS)
    operation = page.locator(f'[id$="/operation/{operation_id}"]')
    operation.scroll_into_view_if_needed()
    expect(operation).to_be_in_viewport()
    # The request's example body and the response's, with the schemas' example values.
    expect(operation).to_contain_text("Request samples")
    expect(operation).to_contain_text("Response samples")
    expect(operation).to_contain_text(PRODUCT_ID_EXAMPLE)
    # blob: and data: URLs (the search's worker) are the page's own; everything else is this host.
    hosts = {urlsplit(url).netloc for url in asked if not url.startswith(("blob:", "data:"))}
    assert hosts == {urlsplit(tab.base).netloc}, asked
    assert tab.errors == []
