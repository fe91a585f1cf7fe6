"""Spot colours in the print-ready PDF: a side's die line stroked in a `CutContour` Separation
(0.25 pt, overprinting), a rectangle with rounded corners or a contour around the artwork at its
offset; white ink, varnish and foil as plates of the layers a template marks, which a customer
cannot mark; crop marks outside the bleed. Each PDF read back with pikepdf, checked by qpdf and
the PDF/X-4 check, and drawn by poppler."""

import io
import math
import re

import pikepdf
import pytest
from PIL import Image

from designer.composer import Assets, Side, compose
from designer.composer.die_line import ArtMask, contour_path, rectangle_path
from designer.composer.layers import load_layers
from designer.designs.models import Design
from designer.extensions import db
from designer.products.models import Side as SideRow
from designer.projects.models import Project
from designer.rendering.pdf import MARK_GAP_MM, PrintPage, render_pdf
from designer.rendering.pdfx import pdfx4_problems
from designer.rendering.renders import identity_of, printed
from designer.tenancy import in_store
from designer.units import MM_PER_POINT
from tests.factories import bearer, create_product, error, rasterized, sign_up_to_dashboard, storefront

BADGE = {"cx": 35.0, "cy": 35.0, "rx": 27.0, "ry": 21.0}  # the demo sticker's badge, in mm
OFFSET_MM = 3.0


@pytest.fixture
def context(app):
    with app.app_context():
        yield


@pytest.fixture
def dashboard(app):
    return sign_up_to_dashboard(app)


def read(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def pdf_of(owner: Design | Project) -> bytes:
    db.session.expire_all()
    pages = printed(owner)
    return render_pdf(pages.pages, identity_of(owner, pages))


def sticker_pdf(client, demo) -> bytes:
    """A customer's design of the demo sticker, as the render job prints it."""
    headers = {"X-Publishable-Token": demo["publishable"]}
    product = client.get("/api/v1/products/die-cut-sticker", headers=bearer(demo["secret"])).json
    made = client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"]},
        headers=headers,
    )
    assert made.status_code == 201, made.json
    design = db.session.scalars(
        in_store(db.select(Design).where(Design.id == made.json["id"]), demo["store_id"])
    )
    return pdf_of(design.one())


def separations(page: pikepdf.Page) -> dict[str, tuple]:
    """The page's Separation colour spaces: resource name → (colourant, alternate, tint at 1)."""
    found = {}
    for name, space in page.Resources.get("/ColorSpace", {}).items():
        if isinstance(space, pikepdf.Array) and space[0] == pikepdf.Name.Separation:
            found[name] = (str(space[1])[1:], str(space[2]), [float(value) for value in space[3].C1])
    return found


def strokes_in(page: pikepdf.Page, colourant: str) -> list[dict]:
    """Each path stroked in the Separation `colourant`: its line width, graphics state, the
    subpaths started and its points (on the curve) in mm from the trim's top-left corner."""
    spaces = {name for name, (ink, _, _) in separations(page).items() if ink == colourant}
    media_h = float(page.MediaBox[3])
    trim_left, trim_top = float(page.TrimBox[0]), float(page.TrimBox[3])
    strokes, space, width, state, points, moves = [], None, 1.0, None, [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "CS":
            space = str(operands[0])
        elif name == "w":
            width = float(operands[0])
        elif name == "gs":
            state = str(operands[0])
        elif name in ("m", "l", "c"):
            x, y = float(operands[-2]), float(operands[-1])
            points.append(((x - trim_left) * MM_PER_POINT, (trim_top - y) * MM_PER_POINT))
            moves += name == "m"
        elif name == "S":
            if space in spaces:
                strokes.append({"width": width, "state": state, "points": points, "subpaths": moves})
            points, moves = [], 0
        elif name in ("f", "f*", "n", "B", "b"):
            points, moves = [], 0
        elif name == "Q":
            space, state = None, None
    assert media_h > 0
    return strokes


def distance_to_badge(x: float, y: float) -> float:
    samples = (
        (
            BADGE["cx"] + BADGE["rx"] * math.cos(t / 2000 * math.tau),
            BADGE["cy"] + BADGE["ry"] * math.sin(t / 2000 * math.tau),
        )
        for t in range(2000)
    )
    return min(math.hypot(x - sx, y - sy) for sx, sy in samples)


# The demo sticker


def test_the_demo_sticker_prints_a_die_cut_cutcontour_at_a_quarter_point_overprinting(client, demo, context):
    pdf = read(sticker_pdf(client, demo))

    assert pdfx4_problems(pdf) == []
    assert pdf.check_pdf_syntax() == []  # qpdf --check
    [page] = pdf.pages
    spaces = separations(page)
    assert ("CutContour", "/DeviceCMYK", [0.0, 1.0, 0.0, 0.0]) in spaces.values()
    [cut] = strokes_in(page, "CutContour")
    assert cut["width"] == 0.25
    state = page.Resources.ExtGState[cut["state"]]
    assert (state.OP, state.op, int(state.OPM)) == (True, True, 1)
    assert cut["subpaths"] == 1  # one outline: the badge and its text are one piece of art


def test_the_demo_stickers_contour_runs_around_its_art_at_the_offset(client, demo, context):
    pdf = read(sticker_pdf(client, demo))
    [page] = pdf.pages
    [cut] = strokes_in(page, "CutContour")

    distances = [distance_to_badge(x, y) for x, y in cut["points"]]
    assert len(distances) > 20
    assert min(distances) > OFFSET_MM - 0.3 and max(distances) < OFFSET_MM + 0.3
    # All the way round: points on every side of the badge.
    xs, ys = [x for x, _ in cut["points"]], [y for _, y in cut["points"]]
    assert min(xs) == pytest.approx(BADGE["cx"] - BADGE["rx"] - OFFSET_MM, abs=0.3)
    assert max(xs) == pytest.approx(BADGE["cx"] + BADGE["rx"] + OFFSET_MM, abs=0.3)
    assert min(ys) == pytest.approx(BADGE["cy"] - BADGE["ry"] - OFFSET_MM, abs=0.3)
    assert max(ys) == pytest.approx(BADGE["cy"] + BADGE["ry"] + OFFSET_MM, abs=0.3)


def test_the_demo_stickers_white_underprint_is_a_white_plate_and_not_process_colour(client, demo, context):
    pdf = read(sticker_pdf(client, demo))
    [page] = pdf.pages

    white = [name for name, (ink, _, _) in separations(page).items() if ink == "White"]
    assert len(white) == 1
    stencils = [xobject for xobject in page.Resources.XObject.values() if xobject.get("/ImageMask") is True]
    [stencil] = stencils
    width_px, height_px = int(stencil.Width), int(stencil.Height)
    assert width_px == round(74 / 25.4 * 600)  # the bleed box at 600 dpi
    bits = Image.frombytes("1", (width_px, height_px), stencil.read_bytes())
    px_per_mm = width_px / 74

    def painted(x_mm: float, y_mm: float) -> bool:  # Decode [1 0]: a set bit paints
        return bool(bits.getpixel((round((x_mm + 2) * px_per_mm), round((y_mm + 2) * px_per_mm))))

    assert [list(stencil.Decode)] == [[1, 0]]
    assert painted(35, 35) and painted(10, 35) and painted(35, 16)
    assert not painted(3, 3) and not painted(66, 66) and not painted(35, 10)
    content = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).decode("latin-1")
    assert f"{white[0]} cs 1 scn" in content.replace("\n", " ")


def test_a_layer_printed_in_its_ink_only_is_left_out_of_the_process_drawing():
    side = Side(id="s", width_mm=40, height_mm=40, bleed_mm=2)
    white_only = {
        "type": "shape",
        "shape": "rect",
        "x": 5,
        "y": 5,
        "width": 10,
        "height": 10,
        "fill": "#123456",
    }
    varnished = {**white_only, "x": 20, "fill": "#654321"}
    layers = load_layers(
        [white_only | {"ink": {"name": "White", "only": True}}, varnished | {"ink": {"name": "Varnish"}}]
    )

    print_svg = compose(side, layers, Assets(), "print").svg
    preview_svg = compose(side, layers, Assets(), "preview").svg
    data = render_pdf([PrintPage(print_svg, 40, 40, 2)])
    pdf = read(data)

    assert 'data-ink="White" data-ink-only="true" display="none"' in print_svg
    assert 'data-ink="Varnish"' in print_svg and "data-ink" not in preview_svg
    [page] = pdf.pages
    assert sorted(ink for ink, _, _ in separations(page).values()) == ["Varnish", "White"]
    assert pdfx4_problems(pdf) == [] and pdf.check_pdf_syntax() == []
    colours = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).decode("latin-1")
    assert "0.396078 0.262745 0.129412 rg" in colours  # the varnished rectangle prints in process colour too
    assert "0.070588 0.203922 0.337255 rg" not in colours  # the white-only one does not
    assert render_pdf([PrintPage(print_svg, 40, 40, 2)]) == data  # the same bytes again


# Die lines through the API


def test_a_rectangle_die_line_follows_the_trim_with_rounded_corners(client, merchant, context):
    product = create_product(
        client,
        merchant,
        sides=[
            {
                "name": "Front",
                "width": 85,
                "height": 55,
                "bleed": 3,
                "dieLine": "rectangle",
                "dieLineRadius": 4,
            }
        ],
    )
    [side] = product["sides"]
    assert (side["dieLine"], side["dieLineRadius"], side["dieLineOffset"]) == ("rectangle", 4, 0)
    made = client.post(
        "/api/v1/designs",
        json={
            "productId": product["id"],
            "sideId": side["id"],
            "layers": [
                {
                    "type": "shape",
                    "shape": "rect",
                    "x": 10,
                    "y": 10,
                    "width": 20,
                    "height": 10,
                    "fill": "#0b5cad",
                }
            ],
        },
        headers=storefront(merchant),
    )
    assert made.status_code == 201, made.json
    design = db.session.scalars(
        in_store(db.select(Design).where(Design.id == made.json["id"]), merchant.store_id)
    )
    pdf = read(pdf_of(design.one()))

    assert pdfx4_problems(pdf) == [] and pdf.check_pdf_syntax() == []
    [cut] = strokes_in(pdf.pages[0], "CutContour")
    points = cut["points"]
    assert cut["width"] == 0.25 and cut["subpaths"] == 1
    assert points[0] == pytest.approx((4, 0), abs=0.01)  # the top edge starts after the corner
    assert min(x for x, _ in points) == pytest.approx(0, abs=0.01)
    assert max(x for x, _ in points) == pytest.approx(85, abs=0.01)
    assert max(y for _, y in points) == pytest.approx(55, abs=0.01)
    assert (0, 0) not in [(round(x, 2), round(y, 2)) for x, y in points]  # no square corner
    for x, y in points:  # on the trim's edges or its rounded corners
        on_edge = min(abs(x), abs(x - 85), abs(y), abs(y - 55)) < 0.01
        corner = min(math.hypot(x - cx, y - cy) for cx in (4, 81) for cy in (4, 51))
        assert on_edge or corner == pytest.approx(4, abs=0.01)


def test_die_line_fields_are_validated_naming_the_field(client, merchant):
    product = create_product(
        client, merchant, sides=[{"name": "Front", "width": 85, "height": 55, "bleed": 3}]
    )
    side_url = f"/api/v1/sides/{product['sides'][0]['id']}"

    error(
        client.patch(side_url, json={"dieLine": "star"}, headers=merchant.bearer),
        422,
        "validation_error",
        "dieLine",
    )
    too_round = client.patch(
        side_url, json={"dieLine": "rectangle", "dieLineRadius": 30}, headers=merchant.bearer
    )
    assert (
        "half the trim's shorter side"
        in error(too_round, 422, "validation_error", "dieLineRadius")["message"]
    )
    error(
        client.patch(side_url, json={"dieLineOffset": -1}, headers=merchant.bearer),
        422,
        "validation_error",
        "dieLineOffset",
    )
    error(
        client.patch(side_url, json={"dieLineOffset": 25}, headers=merchant.bearer),
        422,
        "validation_error",
        "dieLineOffset",
    )
    changed = client.patch(
        side_url, json={"dieLine": "contour", "dieLineOffset": 2.5}, headers=merchant.bearer
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["dieLine"], changed.json["dieLineOffset"]) == ("contour", 2.5)


def test_the_editor_shows_a_rectangle_die_line_as_dashed_magenta_and_print_does_not_draw_it():
    side = Side(id="s", width_mm=85, height_mm=55, bleed_mm=3, die_line="rectangle", die_line_radius_mm=4)

    preview = compose(side, [], Assets(), "preview").svg
    printed_svg = compose(side, [], Assets(), "print").svg

    assert f'class="die-line" d="{rectangle_path(85, 55, 4)}"' in preview
    assert 'stroke="#ec008c"' in preview and "stroke-dasharray" in preview
    assert (
        'die-line"' not in printed_svg and 'data-die-line="rectangle" data-die-line-radius="4"' in printed_svg
    )


# Inks: the merchant's


def test_customers_cannot_mark_a_layer_with_an_ink_nor_change_one(client, demo, context):
    headers = {"X-Publishable-Token": demo["publishable"]}
    product = client.get("/api/v1/products/die-cut-sticker", headers=bearer(demo["secret"])).json
    side_id = product["sides"][0]["id"]
    design = client.post(
        "/api/v1/designs", json={"productId": product["id"], "sideId": side_id}, headers=headers
    ).json
    url = f"/api/v1/designs/{design['id']}/layers"
    message = next(layer for layer in design["layers"] if layer["name"] == "Message")
    underprint = next(layer for layer in design["layers"] if layer["name"] == "White underprint")
    assert underprint["ink"] == {"name": "White", "only": True}

    own = {"type": "shape", "shape": "rect", "x": 1, "y": 1, "width": 5, "height": 5, "fill": "#000000"}
    error(client.post(url, json=own | {"ink": {"name": "Foil"}}, headers=headers), 403, "forbidden", "ink")
    marked = client.patch(f"{url}/{message['id']}", json={"ink": {"name": "Varnish"}}, headers=headers)
    error(marked, 403, "forbidden", "ink")
    error(
        client.patch(f"{url}/{underprint['id']}", json={"ink": None}, headers=headers),
        403,
        "forbidden",
        "ink",
    )
    whole = [
        dict(layer, ink={"name": "Foil", "only": False}) if layer["name"] == "Message" else layer
        for layer in design["layers"]
    ]
    error(
        client.post(
            "/api/v1/designs",
            json={"productId": product["id"], "sideId": side_id, "layers": whole},
            headers=headers,
        ),
        403,
        "forbidden",
        "layers.2.ink",
    )
    assert client.post(url, json=own, headers=headers).status_code == 201


def test_a_merchant_marks_a_template_layer_with_an_ink(client, demo):
    secret = bearer(demo["secret"])
    product = client.get("/api/v1/products/die-cut-sticker", headers=secret).json
    [template] = client.get(f"/api/v1/sides/{product['sides'][0]['id']}/templates", headers=secret).json[
        "data"
    ]
    message = next(layer for layer in template["layers"] if layer["name"] == "Message")
    url = f"/api/v1/templates/{template['id']}/layers/{message['id']}"

    marked = client.patch(url, json={"ink": {"name": "Foil", "only": True}}, headers=secret)
    assert marked.status_code == 200, marked.json
    again = client.get(f"/api/v1/templates/{template['id']}", headers=secret).json
    assert next(layer for layer in again["layers"] if layer["name"] == "Message")["ink"] == {
        "name": "Foil",
        "only": True,
    }
    error(
        client.patch(url, json={"ink": {"name": "Gold"}}, headers=secret),
        422,
        "validation_error",
        "ink.name",
    )


# Crop marks and the contour's geometry


def test_crop_marks_stay_outside_the_bleed_with_a_die_line(client, merchant, context, tmp_path):
    product = create_product(
        client,
        merchant,
        personalization={"cropMarks": True},
        sides=[
            {
                "name": "Front",
                "width": 60,
                "height": 40,
                "bleed": 3,
                "dieLine": "rectangle",
                "dieLineRadius": 3,
            }
        ],
    )
    made = client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"], "layers": []},
        headers=storefront(merchant),
    )
    assert made.status_code == 201, made.json
    design = db.session.scalars(
        in_store(db.select(Design).where(Design.id == made.json["id"]), merchant.store_id)
    )
    data = pdf_of(design.one())
    pdf = read(data)
    assert pdfx4_problems(pdf) == [] and pdf.check_pdf_syntax() == []
    bleed = [float(value) / 72 * 100 for value in pdf.pages[0].BleedBox]  # in pixels at 100 dpi
    height_px = float(pdf.pages[0].MediaBox[3]) / 72 * 100

    drawn = rasterized(data, tmp_path, 100)
    black = [
        (x, y)
        for y in range(drawn.height)
        for x in range(drawn.width)
        if max(drawn.getpixel((x, y))) < 96  # the marks' black, not the cut line's magenta
    ]
    assert black, "the crop marks are drawn"
    gap_px = MARK_GAP_MM / 25.4 * 100
    left, right = bleed[0] - gap_px + 1.5, bleed[2] + gap_px - 1.5
    top, bottom = height_px - bleed[3] - gap_px + 1.5, height_px - bleed[1] + gap_px - 1.5
    assert all(not (left < x < right and top < y < bottom) for x, y in black)


def test_a_contour_leaves_out_holes_and_art_inside_another_outline():
    art = Image.new("L", (600, 600), 0)
    ring = Image.new("L", (600, 600), 0)
    from PIL import ImageDraw

    draw = ImageDraw.Draw(art)
    draw.ellipse((100, 100, 500, 500), fill=255)
    draw.ellipse((200, 200, 400, 400), fill=0)  # a hole
    draw.ellipse((280, 280, 320, 320), fill=255)  # a dot inside the hole
    draw.rectangle((530, 20, 580, 70), fill=255)  # a separate piece
    path = contour_path(ArtMask(art, 0, 0, 0.1), 1.0)

    assert path.count("M") == 2  # the ring's outline and the square's, no hole, no dot
    assert contour_path(ArtMask(ring, 0, 0, 0.1), 1.0) is None


def test_a_contour_keeps_to_the_page_where_the_art_and_its_offset_reach_past_it():
    from PIL import ImageDraw

    art = Image.new("L", (400, 300), 0)  # a page from (-3, -3) to (37, 27) mm, 0.1 mm a pixel
    ImageDraw.Draw(art).ellipse((-100, 50, 200, 250), fill=255)  # runs off the left edge
    ImageDraw.Draw(art).rectangle((300, 100, 340, 140), fill=255)  # well inside
    path = contour_path(ArtMask(art, -3, -3, 0.1), 2.0)
    numbers = [float(value) for value in re.findall(r"-?\d+(?:\.\d+)?", path)]
    xs, ys = numbers[0::2], numbers[1::2]

    assert path.count("M") == 2
    assert min(xs) == -3 and all(-3 <= y <= 27 for y in ys)  # along the page's left edge, not past it
    # Along the edge from about 0.6 to 23.4 mm: where the ellipse crosses it, 2 mm further each way.
    along = [y for x, y in zip(xs, ys, strict=True) if x < -2.8]
    assert min(along) < 1.2 and max(along) > 22.8, along
    assert max(xs) == pytest.approx(34 - 3 + 2, abs=0.3)  # the square's contour, 2 mm out, untouched
    covered = contour_path(ArtMask(Image.new("L", (400, 300), 255), -3, -3, 0.1), 2.0)
    covered_numbers = [float(value) for value in re.findall(r"-?\d+(?:\.\d+)?", covered)]
    assert (min(covered_numbers[0::2]), max(covered_numbers[0::2])) == (-3, 37)  # the page's outline
    assert (min(covered_numbers[1::2]), max(covered_numbers[1::2])) == (-3, 27)


def test_the_editor_shows_a_contour_die_line_around_the_art_as_dashed_magenta():
    side = Side(
        id="s", width_mm=70, height_mm=70, bleed_mm=2, die_line="contour", die_line_offset_mm=OFFSET_MM
    )
    badge = {
        "type": "shape",
        "shape": "ellipse",
        "x": 8,
        "y": 14,
        "width": 54,
        "height": 42,
        "fill": "#f4a300",
    }
    layers = load_layers([badge | {"ink": {"name": "White", "only": True}, "fill": "#ffffff"}, badge])

    preview = compose(side, layers, Assets(), "preview").svg
    empty = compose(side, [], Assets(), "preview").svg

    start = preview.index('<path class="die-line" d="') + len('<path class="die-line" d="')
    path = preview[start : preview.index('"', start)]
    assert 'stroke="#ec008c"' in preview[start:] and path.count("M") == 1
    numbers = [float(value) for value in path.replace("M", " ").replace("C", " ").replace("Z", " ").split()]
    ends = list(zip(numbers[0::2], numbers[1::2], strict=True))[::3]  # each curve's end point
    assert len(ends) > 8
    assert all(abs(distance_to_badge(x, y) - OFFSET_MM) < 0.6 for x, y in ends)
    assert 'class="die-line"' not in empty  # no art, no contour


def test_the_side_editor_sets_a_die_line_and_says_what_is_wrong_beside_its_field(app, dashboard):
    product = dashboard.htmx("POST", "/api/v1/products", {"name": "Sticker", "dimensionUnit": "mm"})
    product_id = re.search(r"/products/(prd_[0-9A-Z]+)", product.text)[1]
    created = dashboard.htmx(
        "POST", f"/api/v1/products/{product_id}/sides", {"name": "Front", "width": "70", "height": "70"}
    )
    side_id = re.search(r"/sides/(sid_[0-9A-Z]+)", created.text)[1]
    page = dashboard.page(f"/dashboard/stores/{dashboard.store_id}/products/{product_id}/sides/{side_id}")
    assert '<label for="side-dieLine">Die line</label>' in page.text
    assert "Contour around the artwork (die-cut sticker)" in page.text

    fields = {"name": "Front", "width": "70", "height": "70", "dieLine": "rectangle"}
    bad = dashboard.htmx("PATCH", f"/api/v1/sides/{side_id}", fields | {"dieLineRadius": "40"})
    assert bad.status_code == 422 and 'id="side-dieLineRadius-note"' in bad.text
    saved = dashboard.htmx(
        "PATCH", f"/api/v1/sides/{side_id}", fields | {"dieLine": "contour", "dieLineOffset": "2.5"}
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    with app.app_context():
        side = db.session.scalars(
            in_store(db.select(SideRow).where(SideRow.id == side_id), dashboard.store_id)
        ).one()
        assert (side.die_line, side.die_line_offset_mm) == ("contour", 2.5)


def test_the_openapi_document_describes_die_lines_and_inks(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]

    side = schemas["SideOut"]["properties"]
    assert {"dieLine", "dieLineRadius", "dieLineOffset"} <= set(side)
    assert schemas["SideFields"]["properties"]["dieLine"]["enum"] == ["none", "rectangle", "contour"]
    ink = schemas["LayerInk"]["properties"]
    assert ink["name"]["enum"] == ["White", "Varnish", "Foil"] and ink["only"]["type"] == "boolean"
