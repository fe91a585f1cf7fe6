"""Print-ready PDF (designer/rendering): the composer's print SVG of each side as one page, read back
with pikepdf: boxes, pictures as they were uploaded, vectors kept, nothing fetched, the same bytes
every time, and hostile documents refused."""

import base64
import io
import math
from dataclasses import replace
from datetime import UTC, datetime

import pikepdf
import pytest
from PIL import Image, ImageChops

from designer.editing.assets import compose_from_store as compose
from designer.rendering import PrintPage, RenderError, render_pdf, render_png
from designer.rendering import pdf as rendering
from designer.rendering.pdfx import Identity
from designer.units import MM_PER_POINT
from tests.factories import demo_card, layers, make_side, png_bytes, rasterized, text_layer, upload_file

SVG_NS = "http://www.w3.org/2000/svg"


@pytest.fixture
def context(app):
    with app.app_context():
        yield


def printed(side, store_id: str, stack: list) -> PrintPage:
    """The side composed for print, as a page to render."""
    svg = compose(store_id, side, stack, mode="print").svg
    return PrintPage(svg, side.width_mm, side.height_mm, side.bleed_mm)


def card(body: str = "", width_mm: float = 85, height_mm: float = 55, bleed_mm: float = 3) -> PrintPage:
    """A hand-written page spanning the trim plus bleed, as the composer's documents do."""
    media_w, media_h = width_mm + 2 * bleed_mm, height_mm + 2 * bleed_mm
    svg = (
        f'<svg xmlns="{SVG_NS}" width="{media_w}mm" height="{media_h}mm" '
        f'viewBox="{-bleed_mm} {-bleed_mm} {media_w} {media_h}">{body}</svg>'
    )
    return PrintPage(svg, width_mm, height_mm, bleed_mm)


def image_tag(href: str, **geometry) -> str:
    box = {"x": 0, "y": 0, "width": 40, "height": 30} | geometry
    return f'<image href="{href}" ' + " ".join(f'{name}="{value}"' for name, value in box.items()) + "/>"


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def jpeg_bytes(width_px: int, height_px: int, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    Image.effect_noise((width_px, height_px), 40).convert("RGB").save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def read(pdf_bytes: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf_bytes))


def images(page: pikepdf.Page) -> list[pikepdf.Stream]:
    return list(page.get_images().values())


def in_mm(box) -> list[float]:
    return [round(float(value) * MM_PER_POINT, 2) for value in box]


# Pages and boxes


def test_one_page_per_side_in_order_each_the_trim_plus_its_bleed(client, merchant, context):
    front = make_side(client, merchant)  # 85 × 55 mm, 3 mm bleed
    back = make_side(client, merchant, width=90, height=50, bleed=2)
    pages = [printed(front, merchant.store_id, demo_card(merchant)), printed(back, merchant.store_id, [])]

    pdf = read(render_pdf(pages + [pages[0]]))

    assert len(pdf.pages) == 3
    assert [in_mm(page.mediabox) for page in pdf.pages] == [[0, 0, 91, 61], [0, 0, 94, 54], [0, 0, 91, 61]]
    assert [in_mm(page.obj.BleedBox) for page in pdf.pages] == [in_mm(page.mediabox) for page in pdf.pages]
    assert [in_mm(page.trimbox) for page in pdf.pages] == [
        [3, 3, 88, 58],
        [2, 2, 92, 52],
        [3, 3, 88, 58],
    ]


def test_crop_marks_sit_in_the_slug_outside_the_bleed(client, merchant, context):
    side = make_side(client, merchant)  # 85 × 55 mm, 3 mm bleed
    plain = printed(side, merchant.store_id, [])
    marked = PrintPage(plain.svg, 85, 55, 3, slug_mm=rendering.SLUG_MM)

    pdf = read(render_pdf([marked]))
    [page] = pdf.pages

    assert in_mm(page.mediabox) == [0, 0, 111, 81]  # trim + bleed + 10 mm slug on every edge
    assert in_mm(page.obj.BleedBox) == [10, 10, 101, 71]
    assert in_mm(page.trimbox) == [13, 13, 98, 68]
    marks = _stroked_lines_mm(page)
    assert len(marks) == 8  # two at each corner of the trim
    for (x0, y0), (x1, y1) in marks:
        in_bleed = [10 <= x <= 101 and 10 <= y <= 71 for x, y in ((x0, y0), (x1, y1))]
        assert not any(in_bleed)  # nothing of a mark shows on a sheet cut within its bleed
        assert x0 in (13, 98) or y0 in (13, 68)  # each is in line with an edge of the trim
        assert abs(x1 - x0) + abs(y1 - y0) == rendering.MARK_LENGTH_MM


def _stroked_lines_mm(page: pikepdf.Page) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The m/l segments of the page's content stream, in mm from the bottom-left, as drawn
    (cairo writes them under one transformation: the device offset)."""
    lines, start, matrix = [], None, pikepdf.Matrix()
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "cm":
            matrix = pikepdf.Matrix(*[float(value) for value in operands]) @ matrix
        elif str(operator) == "m":
            start = matrix.transform((float(operands[0]), float(operands[1])))
        elif str(operator) == "l" and start is not None:
            end = matrix.transform((float(operands[0]), float(operands[1])))
            lines.append(
                (
                    tuple(round(v * MM_PER_POINT, 2) for v in start),
                    tuple(round(v * MM_PER_POINT, 2) for v in end),
                )
            )
    return lines


def test_a_png_proof_is_the_same_drawing_with_its_jpegs_decoded():
    red = io.BytesIO()
    Image.new("RGB", (1200, 800), (220, 20, 30)).save(red, "JPEG", quality=95)
    page = card(image_tag(data_uri("image/jpeg", red.getvalue()), x=-3, y=-3, width=91, height=61))

    proof = Image.open(io.BytesIO(render_png(page, 400)))

    assert proof.format == "PNG" and proof.size == (400, round(400 * 61 / 91))
    red_px = proof.convert("RGB").getpixel((200, 130))
    assert red_px[0] > 200 and red_px[1] < 50 and red_px[2] < 60  # the photo, not an empty surface


def test_a_png_proof_fetches_nothing_from_outside_either():
    with pytest.raises(RenderError, match="not part of the design"):
        render_png(card(image_tag("https://example.com/photo.jpg")), 200)


def test_a_page_whose_svg_is_not_its_trim_plus_bleed_is_refused():
    page = card(width_mm=85, height_mm=55, bleed_mm=3)
    with pytest.raises(
        RenderError, match=r"Page 2: its SVG is 91.00 × 61.00 mm, but the side .* 89.00 × 59.00"
    ):
        render_pdf([page, PrintPage(page.svg, 85, 55, 2)])
    with pytest.raises(RenderError, match="no pages"):
        render_pdf([])


# Pictures


def test_a_jpeg_is_embedded_as_the_uploaded_bytes(client, merchant, context):
    side = make_side(client, merchant)
    original = jpeg_bytes(600, 400)
    photo = upload_file(client, merchant.bearer, original, "photo.jpg").json
    photo_layer = {"type": "image", "fileId": photo["id"], "x": 0, "y": 0, "width": 60, "height": 40}
    stack = layers(photo_layer, photo_layer | {"x": 30})  # the same photo twice

    pdf_bytes = render_pdf([printed(side, merchant.store_id, stack)] * 2)

    pdf = read(pdf_bytes)
    [first], [second] = (images(page) for page in pdf.pages)
    assert first.objgen == second.objgen  # written once, drawn on both pages (and twice on each)
    assert first.Filter == pikepdf.Name.DCTDecode
    assert (int(first.Width), int(first.Height)) == (600, 400)
    assert first.read_raw_bytes() == original  # not decoded, not re-encoded
    assert len(pdf_bytes) < len(original) + 20_000


def test_a_jpeg_turned_by_exif_is_drawn_upright_without_being_decoded():
    # Stored 200 × 100 px, tagged "turn a quarter clockwise to show": shown 100 wide, 200 tall.
    original = jpeg_bytes(200, 100, orientation=6)
    page = card(image_tag(data_uri("image/jpeg", original), width=10, height=20, preserveAspectRatio="none"))

    pdf = read(render_pdf([page]))

    [image] = images(pdf.pages[0])
    assert image.read_raw_bytes() == original and (int(image.Width), int(image.Height)) == (200, 100)
    operations = pikepdf.parse_content_stream(pdf.pages[0])
    draw = next(index for index, (_, operator) in enumerate(operations) if str(operator) == "Do")
    matrix = [float(value) for value in operations[draw - 2][0]]
    assert str(operations[draw - 2][1]) == "cm"
    # The unit square of the stored pixels lands turned: its x axis runs down the page, 20 mm long.
    a, b, c, d, _, _ = matrix
    assert a == pytest.approx(0, abs=1e-6) and d == pytest.approx(0, abs=1e-6)
    assert abs(b) * MM_PER_POINT == pytest.approx(20, abs=0.01)
    assert abs(c) * MM_PER_POINT == pytest.approx(10, abs=0.01)


def test_a_png_is_embedded_at_its_native_resolution_with_its_transparency(client, merchant, context):
    side = make_side(client, merchant)
    solid = upload_file(client, merchant.bearer, png_bytes(640, 480), "solid.png").json
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (200, 10, 10, 128)).save(out, "PNG")
    translucent = upload_file(client, merchant.bearer, out.getvalue(), "glass.png").json
    stack = layers(
        {"type": "image", "fileId": solid["id"], "x": 0, "y": 0, "width": 20, "height": 15},
        {"type": "image", "fileId": translucent["id"], "x": 30, "y": 0, "width": 30, "height": 20},
    )

    pdf = read(render_pdf([printed(side, merchant.store_id, stack)]))
    [page] = pdf.pages

    found = sorted(images(page), key=lambda image: -int(image.Width))
    assert [(int(image.Width), int(image.Height)) for image in found] == [(640, 480), (300, 200)]
    assert all(image.Filter != pikepdf.Name.DCTDecode for image in found)
    assert "/SMask" not in found[0] and "/SMask" in found[1]


def test_text_is_outlines_and_vector_clipart_stays_vector(client, merchant, context):
    side = make_side(client, merchant)

    pdf = read(render_pdf([printed(side, merchant.store_id, demo_card(merchant))]))
    [page] = pdf.pages

    assert images(page) == []
    resources = page.obj.get("/Resources", pikepdf.Dictionary())
    assert "/Font" not in resources
    operators = {str(operator) for _, operator in pikepdf.parse_content_stream(page)}
    assert "f" in operators  # filled paths: the glyphs and the star
    assert not {"Tj", "TJ", "BT"} & operators


def test_an_svg_picture_is_drawn_as_vectors():
    drawing = f'<svg xmlns="{SVG_NS}" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#c00"/></svg>'
    page = card(image_tag(data_uri("image/svg+xml", drawing.encode())))

    pdf = read(render_pdf([page]))
    [pdf_page] = pdf.pages

    assert images(pdf_page) == []
    assert "f" in {str(operator) for _, operator in pikepdf.parse_content_stream(pdf_page)}


# Nothing from outside


@pytest.mark.parametrize(
    "href",
    ["http://127.0.0.1:9/photo.jpg", "file:///etc/hostname", "photo.png", "//example.com/x.png"],
)
def test_a_picture_from_outside_the_design_is_an_error_not_a_blank(href):
    with pytest.raises(RenderError, match="Page 1: the SVG refers to .*, which is not part of the design"):
        render_pdf([card(image_tag(href))])


def test_a_reference_to_another_document_is_an_error():
    with pytest.raises(RenderError, match="not part of the design"):
        render_pdf([card('<use href="http://127.0.0.1:9/other.svg#part"/>')])


def test_the_pages_assets_serve_the_references_they_know():
    served = []

    def assets(url: str) -> bytes | None:
        served.append(url)
        return png_bytes(50, 40) if url == "asset:logo" else None

    page = card(image_tag("asset:logo"))
    pdf = read(render_pdf([PrintPage(page.svg, 85, 55, 3, assets=assets)]))
    [pdf_page] = pdf.pages
    assert served == ["asset:logo"]
    assert [(int(image.Width), int(image.Height)) for image in images(pdf_page)] == [(50, 40)]
    with pytest.raises(RenderError, match="'asset:other', which is not part of the design"):
        render_pdf([PrintPage(card(image_tag("asset:other")).svg, 85, 55, 3, assets=assets)])


def test_a_picture_that_is_not_an_image_is_an_error():
    with pytest.raises(RenderError, match="Page 1: a picture cannot be read"):
        render_pdf([card(image_tag(data_uri("image/png", b"not a picture at all")))])


# The same bytes


def test_the_same_pages_give_the_same_bytes_dated_by_the_design(client, merchant, context):
    side = make_side(client, merchant)
    photo = upload_file(client, merchant.bearer, jpeg_bytes(300, 200), "photo.jpg").json
    stack = demo_card(merchant) + layers(
        {"type": "image", "fileId": photo["id"], "x": 40, "y": 5, "width": 30, "height": 20}
    )
    pages = [printed(side, merchant.store_id, stack)]

    identity = Identity("Card", datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
    first = render_pdf(pages, identity)
    assert render_pdf(pages, identity) == first
    pdf = read(first)
    assert pdf.docinfo.CreationDate == pdf.docinfo.ModDate == "D:20260304050607+00'00'"
    assert pdf.docinfo.Producer == "Presswork"
    assert pdf.trailer.ID[0] == pdf.trailer.ID[1]  # derived from the content, not the clock


# Limits


def test_too_many_elements_are_refused():
    rects = '<rect x="1" y="1" width="1" height="1"/>' * (rendering.MAX_ELEMENTS + 1)
    with pytest.raises(RenderError, match=f"more than {rendering.MAX_ELEMENTS} elements"):
        render_pdf([card(rects)])


def test_elements_nested_too_deep_are_refused():
    nested = "<g>" * (rendering.MAX_DEPTH + 1) + "</g>" * (rendering.MAX_DEPTH + 1)
    with pytest.raises(RenderError, match=f"nests elements more than {rendering.MAX_DEPTH} deep"):
        render_pdf([card(nested)])


def test_references_multiplying_what_is_drawn_are_stopped_quickly(monkeypatch):
    # Ten levels of ten <use> each: ten thousand million rectangles, were they all drawn.
    levels = ['<rect id="l0" width="1" height="1"/>']
    for level in range(1, 11):
        uses = "".join(f'<use href="#l{level - 1}"/>' for _ in range(10))
        levels.append(f'<g id="l{level}">{uses}</g>')
    page = card(f"<defs>{''.join(levels)}</defs><use href='#l10'/>")
    # Quickly, counted rather than timed: the work done before the refusal, whatever the machine.
    counted, drawn = [], []
    count = rendering._Expansion.drawn
    monkeypatch.setattr(
        rendering._Expansion,
        "drawn",
        lambda self, element, depth: counted.append(1) or count(self, element, depth),
    )
    monkeypatch.setattr(rendering._Budget, "count_drawn", lambda self, number: drawn.append(number))

    with pytest.raises(
        RenderError, match=f"Page 1: its SVG would draw more than {rendering.MAX_DRAWN_ELEMENTS}"
    ):
        render_pdf([page])
    assert len(counted) < 1_000  # each element counted once, not once per time it would be drawn
    assert drawn == []  # refused before CairoSVG drew anything


def test_an_element_referring_to_itself_is_refused():
    with pytest.raises(RenderError, match="an element that refers to itself"):
        render_pdf([card('<g id="loop"><rect width="1" height="1"/><use href="#loop"/></g>')])


def test_entities_are_refused():
    svg = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">]>'
        f'<svg xmlns="{SVG_NS}" width="91mm" height="61mm"><text>&lol;</text></svg>'
    )
    with pytest.raises(RenderError, match="Page 1: its SVG cannot be read"):
        render_pdf([PrintPage(svg, 85, 55, 3)])


def test_a_picture_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(rendering, "MAX_IMAGE_PIXELS", 10_000)
    with pytest.raises(RenderError, match=r"a picture of 200 × 100 pixels is larger than"):
        render_pdf([card(image_tag(data_uri("image/jpeg", jpeg_bytes(200, 100))))])


def test_decoded_pictures_are_limited_for_the_whole_document(monkeypatch):
    monkeypatch.setattr(rendering, "MAX_DECODED_PIXELS", 50_000)
    pictures = "".join(
        image_tag(data_uri("image/png", png_bytes(200, 100, colour)))
        for colour in [(1, 2, 3), (4, 5, 6), (7, 8, 9)]
    )
    with pytest.raises(RenderError, match="the document's pictures are more than"):
        render_pdf([card(pictures)])


def test_a_text_layer_renders_to_a_page_the_size_of_the_side(client, merchant, context):
    side = make_side(client, merchant, width=210, height=297, bleed=3)
    stack = layers(text_layer("Poster", fontSize=72, width=180, height=40))
    pdf = read(render_pdf([printed(side, merchant.store_id, stack)]))
    [page] = pdf.pages
    assert in_mm(page.trimbox) == [3, 3, 213, 300]


# The drawing reaches the page's edges


def colours(image: Image.Image, box: tuple[int, int, int, int]) -> set[tuple[int, int, int]]:
    return {colour for _, colour in image.crop(box).getcolors(maxcolors=image.width * image.height)}


@pytest.mark.parametrize("slug_mm", [0.0, rendering.SLUG_MM])
def test_the_background_reaches_every_edge_of_the_bleed_box(client, merchant, context, tmp_path, slug_mm):
    # 91 × 61 mm is 257.95 × 172.91 points: cairo, on a page of that size, stopped drawing at
    # 257 × 172, a third of a millimetre short of the right and bottom edges.
    side = make_side(client, merchant, backgroundType="color", backgroundColor="#1f6f8b")
    page = replace(printed(side, merchant.store_id, []), slug_mm=slug_mm)
    dpi = 300

    raster = rasterized(render_pdf([page]), tmp_path, dpi)

    def px(length_mm: float) -> float:
        return length_mm * dpi / 25.4

    # The pixels wholly inside the bleed box: its edges fall inside pixels, shared with the slug.
    left, top = math.ceil(px(slug_mm)), math.ceil(px(slug_mm))
    right, bottom = math.floor(px(slug_mm + 91)), math.floor(px(slug_mm + 61))
    background = {(0x1F, 0x6F, 0x8B)}
    assert raster.size == (math.ceil(px(91 + 2 * slug_mm)), math.ceil(px(61 + 2 * slug_mm)))
    assert colours(raster, (right - 1, top, right, bottom)) == background  # the right edge
    assert colours(raster, (left, bottom - 1, right, bottom)) == background  # the bottom edge
    assert colours(raster, (left, top, left + 1, bottom)) == background  # the left edge
    assert colours(raster, (left, top, right, top + 1)) == background  # the top edge
    if slug_mm:  # and nothing beyond the bleed but the crop marks' hairlines
        assert colours(raster, (right + 1, top, right + 2, bottom)) == {(255, 255, 255)}
        assert colours(raster, (left, bottom + 1, right, bottom + 2)) == {(255, 255, 255)}


def test_a_use_of_an_outline_draws_as_the_outline_drawn_in_its_place():
    # The composer's glyphs: <use> of bare outlines, drawn from each outline parsed once per process
    # (rendering/pdf.py, _draw_outline_use), must print as CairoSVG draws the outline in the use's
    # place: placed by x and y, by a matrix, with the use's own fill and fill rule.
    outline = "M0 0L700 0L700 700Q350 900 0 700ZM200 200L500 200L500 500L200 500Z"
    placed = [
        ('x="100"', "translate(100 0)", ""),
        ('x="900" y="50"', "translate(900 50)", ""),
        ('transform="matrix(0.5 0.3 0.3 -0.5 1800 400)"', "matrix(0.5 0.3 0.3 -0.5 1800 400)", ""),
        ('x="2600" fill="#c03" fill-rule="evenodd"', "translate(2600 0)", ' fill="#c03" fill-rule="evenodd"'),
    ]
    uses = "".join(f'<use href="#g-a" {where}/>' for where, _, _ in placed)
    paths = "".join(f'<path d="{outline}" transform="{moved}"{paint}/>' for _, moved, paint in placed)
    frame = '<g fill="#1a4d8f"><g transform="translate(5 40) scale(0.018 -0.018)">{}</g></g>'
    with_uses = card(f'<defs><path id="g-a" d="{outline}"/></defs>' + frame.format(uses))
    in_place = card(frame.format(paths))

    drawn, expected = (
        Image.open(io.BytesIO(render_png(page, 900))).convert("RGBA") for page in (with_uses, in_place)
    )

    covered = sum(1 for pixel in expected.get_flattened_data() if pixel[3])
    difference = ImageChops.difference(drawn, expected)
    differing = sum(1 for pixel in difference.get_flattened_data() if any(pixel))
    assert covered > 40_000
    # The same shapes; a curve's edge pixels may differ by how cairo flattens it (within 0.1 px).
    assert differing < covered * 0.005
    assert max(high for _, high in difference.getextrema()) < 64
