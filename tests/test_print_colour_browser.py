"""Print colour in a real browser (Debian's Chromium, the app on a local port, a real RQ worker for
the PDF): the merchant uploads the printer's ICC profile on the Files page, sets the demo business
card to CMYK PDF/X-4 through it in the product form (meeting an inline error on the way), and the
card's print-ready PDF carries that profile as its output intent."""

import io
import os
import subprocess
import sys
import urllib.request

import pikepdf
from playwright.sync_api import expect

from designer.rendering.pdfx import pdfx4_problems
from tests.browser import log_in_as_demo, wait_for_htmx
from tests.factories import printer_profile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_worker_until_idle(redis_url: str, app_config: dict) -> None:
    """A real RQ worker on the live server's Redis and database, until the queues are empty."""
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    subprocess.run([sys.executable, "-m", "worker", "--burst"], cwd=ROOT, env=env, check=True, timeout=120)


def rendered_pdf(api, design_id: str) -> bytes:
    """The design's print-ready PDF as the API serves it, once the render is done (202 until then)."""
    request = urllib.request.Request(
        f"{api.base}/api/v1/designs/{design_id}/render",
        headers={"Authorization": f"Bearer {api.secret}", "Accept": "application/pdf"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read() if response.status == 200 else b""


def test_merchant_sets_cmyk_through_their_printers_profile_and_the_pdf_carries_it(
    tab, demo, api, redis_url, app_config
):
    page = tab.page
    profile = printer_profile(b"PWbr")
    log_in_as_demo(tab)
    tab.go(f"/dashboard/stores/{demo['store_id']}/files")
    page.get_by_label("Image, PDF or colour profile").set_input_files(
        files=[{"name": "press.icc", "mimeType": "application/vnd.iccprofile", "buffer": profile}]
    )
    page.get_by_label("Used as").select_option("color_profile")
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_text("press.icc").first).to_be_visible()

    card = api.get("/api/v1/products/business-card")
    tab.go(f"/dashboard/stores/{demo['store_id']}/products/{card['id']}")
    tab.mark()
    page.get_by_label("Print-ready PDFs", exact=True).select_option("cmyk")
    page.get_by_label("Printer's colour profile").select_option(label="press.icc")
    page.get_by_label("Rendering intent").select_option("perceptual")
    ink = page.get_by_label("Most ink a colour may take (%)")
    ink.fill("50")
    page.get_by_role("button", name="Save rules").click()
    wait_for_htmx(page)
    expect(page.get_by_label("Most ink a colour may take (%)")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#rules-maxTotalInk-note")).to_contain_text("100")
    # The choices made survive the refused save: the form comes back as it was sent.
    expect(page.get_by_label("Print-ready PDFs", exact=True)).to_have_value("cmyk")
    page.get_by_label("Most ink a colour may take (%)").fill("300")
    page.get_by_role("button", name="Save rules").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    assert tab.marked(), "saving the rules reloaded the page"
    rules = api.get("/api/v1/products/business-card")["personalization"]
    assert (rules["colorMode"], rules["renderingIntent"]) == ("cmyk", "perceptual")

    design = api.call("POST", "/api/v1/designs", {"productId": card["id"], "sideId": card["sides"][0]["id"]})
    assert rendered_pdf(api, design["id"]) == b""  # asked for: queued
    run_worker_until_idle(redis_url, app_config)
    data = rendered_pdf(api, design["id"])  # the worker committed it before it exited
    with pikepdf.open(io.BytesIO(data)) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.DestOutputProfile.read_bytes() == profile
        assert intent.DestOutputProfile.N == 4
        assert pdfx4_problems(pdf) == []
