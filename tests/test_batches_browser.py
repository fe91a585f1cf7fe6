"""The dashboard's Batches page in a real browser (Debian's Chromium, the app on a local port, a real
RQ worker in the background): the merchant uploads a spreadsheet for a template, sees the rows with
problems, starts the render, watches the progress update itself, and downloads the merged PDF."""

import os
import signal
import subprocess
import sys

import pikepdf
from playwright.sync_api import expect

from tests.browser import log_in_as_demo, wait_for_htmx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROWS = 24


def spreadsheet() -> bytes:
    lines = ["Name,Title"] + [f"Person {number:02d},Designer" for number in range(1, ROWS + 1)]
    lines[5] = "A name that is far too long for the forty characters allowed,Designer"  # row 5
    return ("\n".join(lines) + "\n").encode()


def background_worker(redis_url: str, app_config: dict) -> subprocess.Popen:
    """A real RQ worker on the renders queue, listening until stopped."""
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    return subprocess.Popen([sys.executable, "-m", "worker", "--queues", "renders"], cwd=ROOT, env=env)


def test_merchant_uploads_a_spreadsheet_watches_the_batch_and_downloads_the_merged_pdf(
    tab, demo, redis_url, app_config
):
    page = tab.page
    log_in_as_demo(tab)
    tab.go(f"/dashboard/stores/{demo['store_id']}/batches")
    wait_for_htmx(page)
    expect(page.get_by_text("No batches yet")).to_be_visible()
    tab.mark()

    # A file that is no spreadsheet is refused, the reason under the field.
    page.get_by_label("Spreadsheet", exact=True).set_input_files(
        files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": b"\x89PNG\r\n\x1a\n\x00\x00\x00"}]
    )
    page.get_by_role("button", name="Upload and check the rows").click()
    expect(page.locator("#batch-file-note .error")).to_contain_text("not a spreadsheet")

    page.get_by_label("Template").select_option(label="Classic — Business card, Front")
    page.get_by_label("Spreadsheet", exact=True).set_input_files(
        files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": spreadsheet()}]
    )
    page.get_by_role("button", name="Upload and check the rows").click()
    batch = page.locator("#batch-list .batch")
    expect(batch).to_have_attribute("data-status", "checking")

    worker = background_worker(redis_url, app_config)
    try:
        expect(batch).to_have_attribute("data-status", "checked", timeout=60_000)
        expect(batch.get_by_role("status")).to_contain_text(f"{ROWS - 1} of {ROWS} rows made a design")
        problem = batch.locator("table.batch-problems tbody tr")
        expect(problem).to_have_count(1)
        expect(problem).to_contain_text("5")
        expect(problem).to_contain_text("Name")
        expect(problem).to_contain_text("this layer takes at most 40")

        batch.get_by_role("button", name=f"Render {ROWS - 1} PDFs").click()
        expect(batch).to_have_attribute("data-status", "rendering")
        expect(batch.get_by_role("status")).to_contain_text("Rendering the PDFs")
        expect(batch).to_have_attribute("data-status", "done", timeout=90_000)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    expect(batch.get_by_role("status")).to_contain_text(f"Done: {ROWS - 1} PDFs")
    with page.expect_download() as download:
        batch.get_by_role("link", name="Download the merged PDF").click()
    with pikepdf.open(download.value.path()) as pdf:
        assert len(pdf.pages) == ROWS - 1
    assert tab.marked(), "the batch page reloaded"
    assert [error for error in tab.errors if "422" not in error] == []
