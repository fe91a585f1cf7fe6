"""The editor's approval step in a real browser (Debian's Chromium, the app on a local port, a real RQ
worker for the proofs and the PDF): after Save the customer sees the pages as they will print with
the checks, approves them for print (a design changed since Save is refused, with the reason), and an
order of the project prints exactly that PDF."""

import hashlib
import os
import subprocess
import sys

from playwright.sync_api import expect

from tests.browser import open_product
from tests.factories import order_body

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_worker_until_idle(redis_url: str, app_config: dict) -> None:
    """A real RQ worker on the live server's Redis and database, until the queues are empty."""
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    subprocess.run([sys.executable, "-m", "worker", "--burst"], cwd=ROOT, env=env, check=True, timeout=120)


def test_the_customer_approves_the_proof_after_saving_and_the_order_prints_it(
    tab, demo, api, redis_url, app_config
):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    project_id = api.get(f"/api/v1/designs/{design_id}")["projectId"]
    page.get_by_label("Name", exact=True).fill("Grace Hopper")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#save-result")).to_contain_text("Saved.")
    run_worker_until_idle(redis_url, app_config)

    # The pages as they will print, the checks, then the approval.
    expect(page.get_by_role("img", name="Proof of the Front side, as it will print")).to_be_visible(
        timeout=15_000
    )
    expect(page.get_by_role("img", name="Proof of the Back side, as it will print")).to_be_visible()
    expect(page.locator("#save-result .render-checks")).to_contain_text("Checks before print")
    approve = page.get_by_role("button", name="Approve for print")
    expect(approve).to_be_visible()

    # Changed after Save, the design is not what the PDF shows: approving it is refused, with why.
    page.get_by_label("Name", exact=True).fill("Grace B. Hopper")
    expect(page.locator("#preview").get_by_role("img", name="Grace B. Hopper")).to_have_count(1)
    approve.click()
    expect(page.locator("#save-result .approval p.error")).to_contain_text("save again")
    expect(page.locator("#editor-status")).to_contain_text("save again")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#save-result")).to_contain_text("Saved.")
    run_worker_until_idle(redis_url, app_config)
    approve = page.get_by_role("button", name="Approve for print")
    expect(approve).to_be_visible(timeout=15_000)
    approve.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#save-result .approval.approved")).to_contain_text("Approved for print")

    approval = api.get(f"/api/v1/projects/{project_id}/approval")
    assert (approval["approvedBy"], approval["via"], approval["current"]) == (
        "customer",
        "editor_session",
        True,
    )
    expect(page.locator("#save-result .sha256")).to_have_text(approval["sha256"])

    order = api.call("POST", "/api/v1/orders", order_body(project_id, status="paid"))
    [line] = order["lineItems"]
    assert line["approvalId"] == approval["id"]
    printed = page.request.get(line["printUrl"], headers={"Authorization": f"Bearer {api.secret}"})
    assert printed.status == 200 and hashlib.sha256(printed.body()).hexdigest() == approval["sha256"]
    # The browser logs the refusal (409, the API's answer) as a failed load; it is no error of the page.
    assert [error for error in tab.errors if "409" not in error] == []
