"""The production board gangs a stage's orders of one product n-up on a press sheet: each line's
print-ready PDF (its approved proof when it has one) placed whole, crop marks outside each bleed,
backs mirrored for work-and-turn, a label, a PDF/X-4 in the product's output mode; the orders
move to press. The sheets are read back with pikepdf, pdftotext and pdftoppm."""

import io
import subprocess

import pikepdf
import pytest

from designer.rendering.pdfx import pdfx4_problems
from designer.units import MM_PER_POINT
from tests.factories import error, events_of, order_body, rasterized, rendered_orders

SRA3_PT = (320 / MM_PER_POINT, 450 / MM_PER_POINT)
NUMBERS = [f"{number}" for number in range(1001, 1013)]  # twelve orders: two sheets of ten


@pytest.fixture
def orders(client, merchant, product, redis_url, app_config) -> list[dict]:
    """Twelve paid orders of two-sided business cards (85 × 55 mm, 3 mm bleed), of four projects
    (taking turns), rendered."""
    return rendered_orders(client, merchant.bearer, product, NUMBERS, redis_url, app_config, projects=4)


def gang(client, merchant, **fields):
    return client.post("/api/v1/gang-sheets", json=fields, headers=merchant.bearer)


def sheet_pdf(client, merchant, sheet: dict) -> bytes:
    response = client.get(sheet["pdfUrl"], headers=merchant.bearer)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["ETag"].strip('"') == sheet["sha256"]
    return response.data


def placements(page: pikepdf.Page) -> list[tuple[list[float], pikepdf.Object]]:
    """Each item placed on the page: its `cm` matrix and its form, in drawing order."""
    placed, matrix = [], None
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "cm":
            matrix = [float(value) for value in operands]
        elif str(operator) == "Do":
            placed.append((matrix, page.Resources.XObject[operands[0]]))
    return placed


def placed_box_mm(matrix: list[float], form: pikepdf.Object) -> tuple[float, float, float, float]:
    """The form's bounding box (the item's bleed box) where the matrix puts it, in mm."""
    a, b, c, d, e, f = matrix
    left, bottom, right, top = (float(value) for value in form.BBox)
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (left, right) for y in (bottom, top)]
    xs, ys = [x * MM_PER_POINT for x, _ in corners], [y * MM_PER_POINT for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def centre(box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def mark_lines_mm(page: pikepdf.Page) -> list[tuple[float, float, float, float]]:
    """The crop marks: the lines (m, l) drawn in the registration colour, in mm."""
    lines, start, registration = [], None, False
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "CS":
            registration = str(operands[0]) == "/PwAll"
        elif name == "m" and registration:
            start = [float(value) * MM_PER_POINT for value in operands]
        elif name == "l" and registration:
            end = [float(value) * MM_PER_POINT for value in operands]
            lines.append((*start, *end))
    return lines


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_the_production_board_gangs_business_cards_ten_up_on_sra3_with_backs_aligned(
    client, merchant, product, orders, app, tmp_path
):
    headers = merchant.basic | {"X-Store-Id": merchant.store_id, "HX-Request": "true"}
    form = {"productId": product["id"], "stage": "queue", "sheet": "sra3", "order": "step_and_repeat"}
    answer = client.post("/api/v1/gang-sheets", data=form | {"nUp": "10", "gutterMm": "6"}, headers=headers)
    assert answer.status_code == 201, answer.text
    assert "Download the sheet PDF" in answer.text and 'hx-swap-oob="true"' in answer.text
    sheet_id = answer.text.split('id="ganged-')[1].split('"')[0]
    sheet = client.get(f"/api/v1/gang-sheets/{sheet_id}", headers=merchant.bearer).json
    assert (sheet["sheetCount"], sheet["duplex"], sheet["layout"]["nUp"], sheet["layout"]["turned"]) == (
        2,
        True,
        10,
        False,
    )
    assert sheet["orderIds"] == [order["id"] for order in orders]

    data = sheet_pdf(client, merchant, sheet)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdfx4_problems(pdf) == []
        assert len(pdf.pages) == 4  # two sheets, front and back
        intent = pdf.Root.OutputIntents[0]
        assert int(intent.DestOutputProfile.N) == 3
        for page in pdf.pages:
            assert [round(float(value), 2) for value in page.MediaBox] == [
                0,
                0,
                *(round(v, 2) for v in SRA3_PT),
            ]
            assert list(page.TrimBox) == list(page.MediaBox) == list(page.BleedBox)
        front, back = placements(pdf.pages[0]), placements(pdf.pages[1])
        assert len(front) == len(back) == 10
        assert len(placements(pdf.pages[2])) == len(placements(pdf.pages[3])) == 2
        width_mm = 320.0
        fronts = [placed_box_mm(*placed) for placed in front]
        backs = [placed_box_mm(*placed) for placed in back]
        for front_box, back_box in zip(fronts, backs, strict=True):
            assert front_box[2] - front_box[0] == pytest.approx(91, abs=0.01)  # 85 mm and its bleed
            (front_x, front_y), (back_x, back_y) = centre(front_box), centre(back_box)
            assert back_x == pytest.approx(width_mm - front_x, abs=0.01)
            assert back_y == pytest.approx(front_y, abs=0.01)
        # The forms are the items' pages, their pictures and drawing copied, not drawn again.
        assert front[0][1].Subtype == pikepdf.Name.Form and "/Resources" in front[0][1]

        for number, boxes in ((0, fronts), (1, backs)):
            lines = mark_lines_mm(pdf.pages[number])
            assert len(lines) == 8 * len(boxes)  # two at each corner of each trim
            for x1, y1, x2, y2 in lines:
                for left, bottom, right, top in boxes:
                    outside = max(x1, x2) <= left or min(x1, x2) >= right or max(y1, y2) <= bottom
                    assert outside or min(y1, y2) >= top, (x1, y1, x2, y2)
            # Every corner of every trim (3 mm inside the bleed) has its marks in line with its edges.
            for left, _, right, _ in boxes:
                for x in (left + 3, right - 3):
                    assert sum(1 for line in lines if line[0] == pytest.approx(x, abs=0.01) == line[2]) >= 2

    text = pdftotext(data)
    assert "orders 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010" in text
    assert "sheet 1 of 2 · front" in text and "sheet 1 of 2 · back" in text and "sheet 2 of 2" in text
    assert "Business card" in text

    # Each back's red rectangle (5 mm in from its trim's top-left corner) prints behind its front.
    back_image = rasterized(data, tmp_path, 50, page=2)
    assert back_image.size == (round(320 / 25.4 * 50), round(450 / 25.4 * 50))
    for left, _, _, top in backs:
        x_mm, y_mm = left + 3 + 15, top - 3 - 10
        pixel = back_image.getpixel((round(x_mm / 25.4 * 50), round((450 - y_mm) / 25.4 * 50)))
        assert pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60, pixel

    listed = client.get("/api/v1/orders?productionStage=press", headers=merchant.bearer).json["data"]
    assert {order["id"] for order in listed} == {order["id"] for order in orders}
    moved = events_of(app, merchant.store_id, "production.status_changed")
    assert len(moved) == 12
    assert {(event["data"]["from"], event["data"]["to"]) for event in moved} == {("queue", "press")}


def test_a_cmyk_product_gangs_its_approved_proofs_as_a_cmyk_pdfx4_with_its_output_intent(
    client, merchant, product, redis_url, app_config
):
    changed = client.patch(
        f"/api/v1/products/{product['id']}/personalization",
        json={"colorMode": "cmyk"},
        headers=merchant.bearer,
    )
    assert changed.status_code == 200, changed.json
    orders = rendered_orders(
        client, merchant.bearer, product, ["2001", "2002"], redis_url, app_config, approve=True
    )
    assert all(order["lineItems"][0]["approvalId"] for order in orders)

    made = gang(client, merchant, productId=product["slug"], sheet="a3")
    assert made.status_code == 201, made.json
    assert made.json["layout"] | {"columns": 0, "rows": 0} == {
        "sheet": "a3",
        "widthMm": 297.0,
        "heightMm": 420.0,
        "order": "step_and_repeat",
        "gutterMm": 6.0,
        "marginMm": 10.0,
        "columns": 0,
        "rows": 0,
        "nUp": 16,  # upright, 2 × 5 fit; turned, 4 × 4
        "turned": True,
    }
    data = sheet_pdf(client, merchant, made.json)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdfx4_problems(pdf) == []
        intent = pdf.Root.OutputIntents[0]
        assert int(intent.DestOutputProfile.N) == 4 and "FOGRA39" in str(intent.OutputConditionIdentifier)
        assert "PDF/X-4" in pdf.Root.Metadata.read_bytes().decode()
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert len(pdf.pages) == 2 and [len(placements(page)) for page in pdf.pages] == [2, 2]
        assert [round(float(value) * MM_PER_POINT, 1) for value in pdf.pages[0].MediaBox] == [0, 0, 297, 420]
    assert "orders 2001, 2002" in pdftotext(data)


def test_items_turn_when_more_fit_and_cut_and_stack_keeps_each_pile_in_order(
    client, merchant, product, redis_url, app_config
):
    orders = rendered_orders(
        client, merchant.bearer, product, ["3001", "3002", "3003", "3004"], redis_url, app_config
    )
    landscape = {"productId": product["id"], "sheet": "custom", "widthMm": 450, "heightMm": 320}

    # Upright, 16 cards fit on this sheet; turned, 18: they are turned, their backs the other way.
    made = gang(client, merchant, **landscape)
    assert made.status_code == 201, made.json
    assert (made.json["layout"]["turned"], made.json["layout"]["columns"], made.json["layout"]["rows"]) == (
        True,
        6,
        3,
    )
    with pikepdf.open(io.BytesIO(sheet_pdf(client, merchant, made.json))) as pdf:
        assert pdfx4_problems(pdf) == []
        front, back = placements(pdf.pages[0]), placements(pdf.pages[1])
        assert {tuple(matrix[:4]) for matrix, _ in front} == {(0, 1, -1, 0)}
        assert {tuple(matrix[:4]) for matrix, _ in back} == {(0, -1, 1, 0)}
        for (front_matrix, front_form), (back_matrix, back_form) in zip(front, back, strict=True):
            front_box, back_box = (
                placed_box_mm(front_matrix, front_form),
                placed_box_mm(back_matrix, back_form),
            )
            assert front_box[2] - front_box[0] == pytest.approx(61, abs=0.01)  # 55 mm and its bleed, turned
            assert centre(back_box)[0] == pytest.approx(450 - centre(front_box)[0], abs=0.01)
            assert centre(back_box)[1] == pytest.approx(centre(front_box)[1], abs=0.01)

    # Ganged again from press, cut and stack two up: the first sheet holds 3001 and 3003.
    stacked = gang(client, merchant, **landscape, stage="press", order="cut_and_stack", nUp=2)
    assert stacked.status_code == 201, stacked.json
    assert (stacked.json["sheetCount"], stacked.json["layout"]["turned"]) == (2, False)
    text = pdftotext(sheet_pdf(client, merchant, stacked.json))
    assert "orders 3001, 3003" in text and "sheet 1 of 2" in text
    assert "orders 3002, 3004" in text and "sheet 2 of 2" in text
    stages = {
        client.get(f"/api/v1/orders/{order['id']}", headers=merchant.bearer).json["productionStage"]
        for order in orders
    }
    assert stages == {"press"}


def test_a_gang_that_cannot_be_made_is_refused_with_the_field_and_moves_nothing(
    client, merchant, product, redis_url, app_config
):
    nothing = gang(client, merchant, productId=product["id"])
    assert "nothing to gang" in error(nothing, 409, "conflict", "productId")["message"]
    orders = rendered_orders(client, merchant.bearer, product, ["4001"], redis_url, app_config)

    assert (
        "at most 18"
        in error(gang(client, merchant, productId=product["id"], nUp=40), 422, "validation_error", "nUp")[
            "message"
        ]
    )
    error(gang(client, merchant, productId=product["id"], gutterMm=1), 422, "validation_error", "gutterMm")
    error(gang(client, merchant, productId=product["id"], marginMm=2), 422, "validation_error", "marginMm")
    error(
        gang(client, merchant, productId=product["id"], sheet="custom", widthMm=300),
        422,
        "validation_error",
        "heightMm",
    )
    tiny = gang(client, merchant, productId=product["id"], sheet="custom", widthMm=80, heightMm=80)
    assert "does not fit" in error(tiny, 422, "validation_error", "sheet")["message"]
    error(gang(client, merchant, productId=product["id"], order="zigzag"), 422, "validation_error", "order")
    error(gang(client, merchant, productId="no-such-product"), 422, "validation_error", "productId")

    # The board's form comes back with the message beside its field.
    headers = merchant.basic | {"X-Store-Id": merchant.store_id, "HX-Request": "true"}
    form = {
        "productId": product["id"],
        "stage": "queue",
        "sheet": "sra3",
        "order": "step_and_repeat",
        "nUp": "40",
    }
    refused = client.post("/api/v1/gang-sheets", data=form, headers=headers)
    assert refused.status_code == 422 and "at most 18 items fit" in refused.text
    assert f'id="gang-{product["id"]}-nUp"' in refused.text and 'aria-invalid="true"' in refused.text

    # A line whose PDF was never rendered stops the gang, naming its order.
    design = client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"], "layers": []},
        headers=merchant.bearer,
    ).json
    unrendered = client.post(
        "/api/v1/orders",
        json=order_body(design["projectId"], status="paid", number="4002"),
        headers=merchant.bearer,
    )
    assert unrendered.status_code == 201, unrendered.json
    stopped = error(gang(client, merchant, productId=product["id"]), 409, "conflict")
    assert "Order 4002" in stopped["message"] and "render it" in stopped["message"]
    stage = client.get(f"/api/v1/orders/{orders[0]['id']}", headers=merchant.bearer).json["productionStage"]
    assert stage == "queue"


def test_the_gang_sheet_routes_are_documented(client):
    document = client.get("/api/v1/openapi.json").json
    assert "post" in document["paths"]["/api/v1/gang-sheets"]
    assert "get" in document["paths"]["/api/v1/gang-sheets/{gangSheetId}"]
    pdf = document["paths"]["/api/v1/gang-sheets/{gangSheetId}/pdf"]["get"]
    assert "application/pdf" in pdf["responses"]["200"]["content"]
