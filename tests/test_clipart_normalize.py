"""Clipart normalized at upload into what CairoSVG draws right (library/svg_normalize.py), compared
with the reference renderer (library/clipart_print.py), and printed as a picture when the
merchant asks: each normalization on a small drawing (CairoSVG's raster of it against resvg's of
the original, and CairoSVG's of the original, which must differ), uploads of corpus drawings,
printAsRaster in the PDF, and hostile SVGs that stay refused."""

import base64
import io
import re

import cairosvg
import pikepdf
import pytest

from designer.composer.pictures import inline_clipart
from designer.extensions import db
from designer.files.storage import storage
from designer.library.clipart_print import differing_fraction, on_white, reference_png
from designer.library.models import Clipart
from designer.library.svg_normalize import normalize_svg
from designer.rendering.pdf import PrintPage, render_pdf
from designer.tenancy import across_stores
from tests.clipart_corpus import clipart as corpus_clipart
from tests.factories import layers, make_side, multipart, open_dashboard, upload_clipart

SIZE = 128


def svg(body: str, head: str = "") -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">'
        f"{head}{body}</svg>"
    ).encode()


def as_printed(drawing: bytes) -> bytes:
    """The drawing placed in a page as the composer places a clipart for print: inlined, or one
    with a style sheet embedded as a picture."""
    inlined = inline_clipart(f"test/{hash(drawing)}", drawing, "c-", (100, 100), None)
    if inlined is None:
        href = "data:image/svg+xml;base64," + base64.b64encode(drawing).decode()
        content = f'<image href="{href}" width="{SIZE}" height="{SIZE}"/>'
    else:
        view_box, body = inlined
        content = f'<svg width="{SIZE}" height="{SIZE}" viewBox="{view_box}"{body}</svg>'
    page = f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}">{content}</svg>'
    return page.encode()


def cairo_vs_reference(drawn: bytes, original: bytes) -> float:
    cairo = on_white(cairosvg.svg2png(bytestring=as_printed(drawn), unsafe=False), (SIZE, SIZE))
    reference = on_white(reference_png(original, SIZE, SIZE), (SIZE, SIZE))
    return differing_fraction(cairo, reference)


def cairosvg_vs_reference(drawn: bytes, original: bytes) -> float:
    """cairo_vs_reference, with a drawing CairoSVG refuses to draw counted as all different."""
    try:
        return cairo_vs_reference(drawn, original)
    except cairosvg.surface.cairo.CairoError:
        return 1.0


# Drawings CairoSVG draws wrong (or not at all) as they come.
DRAWN_WRONG = {
    "paint-order": svg(
        '<circle cx="50" cy="50" r="30" fill="#e9c46a" stroke="#1d3557" stroke-width="20" '
        'paint-order="stroke"/>'
    ),
    "markers": svg(
        '<polyline points="10,90 50,20 90,90" fill="none" stroke="#222" stroke-width="4" '
        'marker-start="url(#a)" marker-mid="url(#d)" marker-end="url(#a)"/>',
        '<defs><marker id="d" markerWidth="8" markerHeight="8" refX="4" refY="4">'
        '<circle cx="4" cy="4" r="3" fill="#e63946"/></marker>'
        '<marker id="a" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="4" markerHeight="4" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10z" fill="#1d3557"/></marker></defs>',
    ),
    "bounding-box clip path": svg(
        '<g clip-path="url(#c)"><rect x="10" y="10" width="80" height="80" fill="#457b9d"/></g>',
        '<defs><clipPath id="c" clipPathUnits="objectBoundingBox"><circle cx="0.5" cy="0.5" r="0.5"/>'
        "</clipPath></defs>",
    ),
    "even-odd clip path": svg(
        '<g clip-path="url(#c)"><rect width="100" height="100" fill="#6a4c93"/></g>',
        '<defs><clipPath id="c"><path clip-rule="evenodd" d="M10,10 H90 V90 H10Z M30,30 H70 V70 H30Z"/>'
        "</clipPath></defs>",
    ),
    "mask": svg(
        '<rect width="100" height="100" fill="#e63946" mask="url(#m)"/>',
        '<defs><linearGradient id="g"><stop offset="0" stop-color="white"/>'
        '<stop offset="1" stop-color="black"/></linearGradient>'
        '<mask id="m"><rect width="100" height="100" fill="url(#g)"/></mask></defs>',
    ),
    "pattern": svg(
        '<circle cx="50" cy="50" r="45" fill="url(#p)"/>',
        '<defs><pattern id="p" width="0.5" height="0.5" patternContentUnits="objectBoundingBox">'
        '<path d="M0,0 L0.25,0.5 L0.5,0Z" fill="#2a9d8f"/></pattern></defs>',
    ),
}
# Drawings CairoSVG draws right alone, written plainer all the same (a style sheet would restyle
# the page a preview inlines the clipart in; a <use> of a symbol is what CairoSVG's page drawing
# nests least well).
REWRITTEN = {
    "style sheet": (
        svg(
            '<rect class="a b" width="50" height="100" fill="#e63946"/>'
            '<g id="g"><rect class="c" x="50" width="50" height="100"/></g>',
            "<style>.a { fill: #1d3557 } .a.b { fill: #2a9d8f !important } "
            "#g .c { fill: none; stroke: #e9c46a; stroke-width: 10 } rect { opacity: 0.8 }</style>",
        ),
        b"<style",
    ),
    "symbol through use": (
        svg(
            '<use href="#s" width="100" height="40"/><use href="#s" y="50" width="30" height="50"/>',
            '<defs><symbol id="s" viewBox="0 0 20 10"><path d="M0,10 L10,0 L20,10Z" fill="#2a9d8f"/></symbol>'
            "</defs>",
        ),
        b"<use",
    ),
    "units": (
        svg(
            '<g style="font-size:20px"><rect x="1em" y="1em" width="2em" height="50%" fill="#e63946" '
            'stroke="#222" stroke-width="0.3em"/></g><circle cx="70%" cy="30%" r="20%" fill="#457b9d"/>'
        ),
        b"em",
    ),
}


@pytest.mark.parametrize("feature", DRAWN_WRONG)
def test_each_normalization_makes_cairosvg_draw_what_the_reference_draws(feature):
    original = DRAWN_WRONG[feature]

    normalized = normalize_svg(original)

    assert cairosvg_vs_reference(original, original) > 0.01, "CairoSVG draws this right already"
    assert cairosvg_vs_reference(normalized.svg, original) <= 0.01


@pytest.mark.parametrize("feature", REWRITTEN)
def test_style_sheets_uses_and_units_are_written_out_and_draw_the_same(feature):
    original, gone = REWRITTEN[feature]

    normalized = normalize_svg(original)

    assert gone not in normalized.svg
    assert cairosvg_vs_reference(normalized.svg, original) <= 0.01


def test_masks_become_embedded_pictures_and_say_so():
    normalized = normalize_svg(DRAWN_WRONG["mask"])

    assert normalized.rasterized == ("masks",)
    assert (
        b"data:image/png;base64," in normalized.svg and b"<mask" not in normalized.svg.split(b"</defs>")[-1]
    )


def test_a_drawing_cairosvg_draws_right_is_left_as_it_is_drawn():
    plain = svg('<rect x="10" y="10" width="80" height="80" fill="#1d3557"/>')

    normalized = normalize_svg(plain)

    assert normalized.resolved == () and normalized.rasterized == ()
    assert cairo_vs_reference(normalized.svg, plain) == 0


def test_what_is_not_an_svg_comes_back_as_it_came():
    assert normalize_svg(b"not xml at all").svg == b"not xml at all"


# Uploads


def original_of(app, clipart_id: str) -> bytes:
    """The file as uploaded (sanitized), kept beside the normalized one."""
    with app.app_context():
        row = db.session.scalar(across_stores(db.select(Clipart).where(Clipart.id == clipart_id)))
        return storage().read(row.original_key)


def test_an_upload_is_stored_normalized_with_its_original_kept(app, client, merchant):
    drawing = REWRITTEN["style sheet"][0]

    clipart = upload_clipart(client, merchant.bearer, drawing, "sheet.svg").json

    served = client.get(clipart["fileUrl"], headers=merchant.bearer).data
    assert b"<style" not in served and b"fill:#2a9d8f" in served
    assert clipart["printWarning"] is None and clipart["printDiffering"] <= 0.01
    assert clipart["printAsRaster"] is False
    assert b"<style>" in original_of(app, clipart["id"])


# Blend modes: CairoSVG draws the circles as if they were not blended.
BLENDED = svg(
    '<circle cx="40" cy="50" r="35" fill="#e9c46a"/>'
    '<circle cx="60" cy="50" r="35" fill="#457b9d" style="mix-blend-mode:multiply"/>'
)


def test_a_drawing_that_prints_differently_is_flagged_in_plain_words(client, merchant):
    clipart = upload_clipart(client, merchant.bearer, BLENDED, "blended.svg").json

    assert clipart["printDiffering"] > 0.01
    assert "prints differently from how a browser shows it" in clipart["printWarning"]
    assert "blend modes" in clipart["printWarning"] and "Print as a picture" in clipart["printWarning"]


def test_a_corpus_drawing_with_a_mask_says_that_part_prints_as_a_picture(client, merchant):
    drawing = corpus_clipart(3)
    assert "mask" in drawing.features

    clipart = upload_clipart(client, merchant.bearer, drawing.svg, "masked.svg").json

    assert clipart["printDiffering"] <= 0.01
    assert "masks print as a picture" in clipart["printWarning"]


def test_print_as_raster_puts_a_picture_of_the_reference_in_the_pdf(app, client, merchant):
    clipart = upload_clipart(client, merchant.bearer, corpus_clipart(3).svg, "masked.svg").json
    changed = client.patch(
        f"/api/v1/clipart/{clipart['id']}", json={"printAsRaster": True}, headers=merchant.bearer
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["printAsRaster"] is True

    with app.app_context():
        from designer.editing.assets import compose_from_store

        side = make_side(client, merchant)
        layer = {"type": "clipart", "clipartId": clipart["id"], "x": 5, "y": 5, "width": 40, "height": 40}
        composition = compose_from_store(merchant.store_id, side, layers(layer), mode="print")
        pdf = render_pdf([PrintPage(composition.svg, side.width_mm, side.height_mm, side.bleed_mm)])

    assert re.search(r'href="data:image/png;base64,', composition.svg)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        images = [
            item for item in document.pages[0].get_images().values() if item.Subtype == pikepdf.Name.Image
        ]
    assert images and max(int(image.Width) for image in images) >= 900  # 40 mm at 600 dpi: 945 px


def test_print_as_raster_is_refused_for_a_recolourable_clipart_naming_the_field(client, merchant):
    clipart = upload_clipart(client, merchant.bearer).json

    response = client.patch(
        f"/api/v1/clipart/{clipart['id']}", json={"printAsRaster": True}, headers=merchant.bearer
    )

    assert response.status_code == 422
    assert response.json["error"]["field"] == "printAsRaster"


# Hostile drawings


HOSTILE = {
    "script": svg('<script>alert(1)</script><rect width="10" height="10" onclick="alert(1)"/>'),
    "external use": svg('<use href="https://attacker.example/x.svg#a"/><rect width="10" height="10"/>'),
    "style sheet loading": svg(
        '<rect class="a" width="10" height="10"/>',
        "<style>.a { fill: url(https://attacker.example/p) }</style>",
    ),
    "foreignObject": svg(
        '<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div>'
        '</foreignObject><rect width="10" height="10"/>'
    ),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_parts_stay_refused_after_normalization(client, merchant, kind):
    clipart = upload_clipart(client, merchant.bearer, HOSTILE[kind], "hostile.svg").json

    served = client.get(clipart["fileUrl"], headers=merchant.bearer).data.lower()
    for refused in (b"script", b"onclick", b"attacker", b"foreignobject", b"xhtml"):
        assert refused not in served


def test_an_svg_declaring_entities_is_still_refused(client, merchant):
    entities = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaa">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&a;</text></svg>'
    )

    response = upload_clipart(client, merchant.bearer, entities, "entities.svg")

    assert response.status_code == 422 and response.json["error"]["field"] == "file"


def test_the_dashboard_shows_the_warning_and_switches_to_print_as_a_picture(app):
    browser, store_id = open_dashboard(app, "clipart")
    uploaded = browser.client.post(
        "/api/v1/clipart",
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id},
        **multipart({"file": (BLENDED, "blended.svg")}),
    )
    assert uploaded.status_code == 201, uploaded.text
    assert "prints differently from how a browser shows it" in uploaded.text
    clipart_id = re.search(r'id="clipart-(clp_\w+)"', uploaded.text)[1]
    assert 'aria-pressed="false">Print as a picture</button>' in uploaded.text

    switched = browser.client.patch(
        f"/api/v1/clipart/{clipart_id}",
        data={"printAsRaster": "true"},
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id},
    )

    assert switched.status_code == 200, switched.text
    assert f'<li id="clipart-{clipart_id}">' in switched.text
    assert 'aria-pressed="true">Print as vectors</button>' in switched.text


def test_a_pattern_fill_becomes_vector_tiles_clipped_to_the_shape():
    normalized = normalize_svg(DRAWN_WRONG["pattern"])

    assert normalized.rasterized == () and "patterns drawn as tiles" in normalized.resolved
    assert b"data:image" not in normalized.svg and b"url(#p)" not in normalized.svg
