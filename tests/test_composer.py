"""The composer (designer/composer): a side and its layers as one SVG document in millimetres, with
real fonts from the default library, real uploads and real clipart, turned into PDF and PNG by
CairoSVG as the renderer does."""

import base64
import io
import math
import re
import xml.etree.ElementTree as ET

import cairosvg
import pikepdf
import pytest
import uharfbuzz as hb
from PIL import Image

from designer.composer import Composition
from designer.composer import fonts as composer_fonts
from designer.composer import pictures as composer_pictures
from designer.editing import assets as composer_assets
from designer.editing.assets import compose_from_store as compose
from designer.extensions import db
from designer.files.storage import storage
from designer.library.default_library import library_root
from designer.library.models import Clipart, Font
from designer.products.models import Side
from designer.tenancy import in_store
from designer.units import MM_PER_POINT
from tests import xss_corpus
from tests.factories import (
    STAR,
    WITH_SCRIPT,
    demo_card,
    layers,
    library_clipart,
    make_side,
    png_bytes,
    text_layer,
    upload_clipart,
    upload_file,
)

SVG = "{http://www.w3.org/2000/svg}"
FONTS = library_root() / "fonts"


@pytest.fixture
def context(app):
    with app.app_context():
        yield


@pytest.fixture
def side(client, merchant, context) -> Side:
    return make_side(client, merchant)


def parsed(composition: Composition) -> ET.Element:
    return ET.fromstring(composition.svg)


def embedded(merchant, side: Side, stack: list, mode: str) -> bytes:
    """The bytes of the picture the composition of `stack` in `mode` embeds (its first image)."""
    href = parsed(compose(merchant.store_id, side, stack, mode=mode)).find(f".//{SVG}image").get("href")
    return base64.b64decode(href.split(",", 1)[1])


def layer_group(root: ET.Element, index: int = 0) -> ET.Element:
    return root.findall(f".//{SVG}g[@data-layer-id]")[index]


def picked(element: ET.Element, expected: dict[str, str]) -> dict[str, str | None]:
    """The element's attributes named in `expected`, to compare with it."""
    return {name: element.get(name) for name in expected}


def glyph_uses(group: ET.Element) -> list[ET.Element]:
    return group.findall(f".//{SVG}use")


def harfbuzz(font_file: str, text: str, features: dict | None = None):
    font = hb.Font(hb.Face(hb.Blob((FONTS / font_file).read_bytes())))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, features or {})
    return font, buffer


def codes(composition: Composition) -> list[str]:
    return [item.code for item in composition.problems]


# The document


def test_the_print_document_is_in_millimetres_and_spans_the_trim_plus_bleed(side, merchant):
    composition = compose(merchant.store_id, side, [], mode="print")

    root = parsed(composition)
    assert root.tag == f"{SVG}svg" and root.get("class") == "composition" and root.get("data-mode") == "print"
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("91mm", "61mm", "-3 -3 91 61")
    assert not composition.svg.startswith("<?xml")
    assert root.find(f".//{SVG}g[@class='guides']") is None
    assert composition.problems == [] and composition.image_dpi == {}


def test_shapes_keep_their_millimetre_geometry_fill_and_stroke(side, merchant):
    shapes = layers(
        {"type": "shape", "shape": "rect", "x": 5, "y": 6.5, "width": 20, "height": 10, "fill": "#112233"},
        {
            "type": "shape",
            "shape": "ellipse",
            "x": 30,
            "y": 10,
            "width": 20,
            "height": 10,
            "stroke": "#ff0000",
            "strokeWidth": 0.5,
        },
        {
            "type": "shape",
            "shape": "line",
            "x": 10,
            "y": 40,
            "width": 60,
            "height": 2,
            "stroke": "#00ff00",
            "strokeWidth": 0.25,
        },
    )

    root = parsed(compose(merchant.store_id, side, shapes, mode="print"))

    rect = {"x": "5", "y": "6.5", "width": "20", "height": "10", "fill": "#112233"}
    assert picked(layer_group(root, 0).find(f"{SVG}rect"), rect) == rect
    ellipse = {"cx": "40", "cy": "15", "rx": "10", "ry": "5", "fill": "none", "stroke": "#ff0000"}
    ellipse["stroke-width"] = "0.5"
    assert picked(layer_group(root, 1).find(f"{SVG}ellipse"), ellipse) == ellipse
    line = {"x1": "10", "y1": "41", "x2": "70", "y2": "41", "stroke-width": "0.25"}
    assert picked(layer_group(root, 2).find(f"{SVG}line"), line) == line


def test_a_layer_rotates_about_its_centre_and_fades_with_its_opacity(side, merchant):
    shape = {"type": "shape", "shape": "rect", "x": 10, "y": 20, "width": 30, "height": 10, "fill": "#000000"}
    root = parsed(
        compose(merchant.store_id, side, layers(shape | {"rotation": 30, "opacity": 0.4}), mode="print")
    )

    group = layer_group(root)
    assert group.get("transform") == "rotate(30 25 25)" and group.get("opacity") == "0.4"


def test_drawn_at_254_dpi_a_millimetre_is_ten_pixels_and_rotation_turns_about_the_centre(side, merchant):
    flat = {"type": "shape", "shape": "rect", "x": 10, "y": 10, "width": 20, "height": 10, "fill": "#000000"}
    turned = flat | {"x": 50, "rotation": 90}
    svg = compose(merchant.store_id, side, layers(flat, turned), mode="print").svg

    image = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg.encode(), dpi=254)))
    assert image.size == (910, 610)
    alpha = image.convert("RGBA").getchannel("A")  # no background: ink is what is opaque

    def inked(x_mm: float, y_mm: float) -> bool:  # the page starts 3 mm (30 px) before the trim
        return alpha.getpixel((round((x_mm + 3) * 10), round((y_mm + 3) * 10))) > 128

    # The flat one: 10-30 mm across, 10-20 mm down.
    assert inked(10.5, 10.5) and inked(29.5, 19.5) and not inked(30.5, 15) and not inked(20, 20.5)
    # The turned one: its centre (60, 15) stays, 20 × 10 becomes 10 × 20: 55-65 across, 5-25 down.
    assert inked(55.5, 5.5) and inked(64.5, 24.5) and not inked(54.5, 15) and not inked(66, 15)
    assert not inked(60, 4.5) and inked(60, 24.5)


def test_layers_are_drawn_by_z_then_by_their_place_in_the_list(side, merchant):
    bodies = [
        {"type": "shape", "shape": "rect", "name": name, "width": 5, "height": 5, "fill": "#000000", "z": z}
        for name, z in (("back", 0), ("front", 9), ("middle", 3), ("middle too", 3))
    ]
    stack = layers(*bodies)

    root = parsed(compose(merchant.store_id, side, stack, mode="print"))

    drawn = [group.get("data-layer-id") for group in root.findall(f".//{SVG}g[@data-layer-id]")]
    assert drawn == [stack[0].id, stack[2].id, stack[3].id, stack[1].id]


def test_everything_is_clipped_to_the_trim_plus_bleed(side, merchant):
    wide = {
        "type": "shape",
        "shape": "rect",
        "x": -40,
        "y": -40,
        "width": 200,
        "height": 200,
        "fill": "#ff0000",
    }
    composition = compose(merchant.store_id, side, layers(wide), mode="print")

    root = parsed(composition)
    page = root.find(f"{SVG}g[@class='page']")
    clip = root.find(f".//{SVG}clipPath[@id='{page.get('clip-path')[5:-1]}']/{SVG}rect")
    assert [clip.get(name) for name in ("x", "y", "width", "height")] == ["-3", "-3", "91", "61"]
    assert page.find(f".//{SVG}g[@data-layer-id]") is not None
    # Drawn, the red reaches every edge of the page and nothing lies beyond it.
    image = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=composition.svg.encode(), output_width=182)))
    assert image.size == (182, 122)
    assert image.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    assert image.convert("RGB").getpixel((181, 121)) == (255, 0, 0)


def test_the_preview_adds_guides_hit_areas_and_accessible_names_the_print_has_none(side, merchant):
    stack = layers(text_layer("Ada Lovelace"), {"type": "shape", "shape": "rect", "width": 5, "height": 5})

    preview = parsed(compose(merchant.store_id, side, stack, mode="preview"))
    printed = parsed(compose(merchant.store_id, side, stack, mode="print"))

    guides = preview.find(f"{SVG}g[@class='guides']")
    assert guides.get("aria-hidden") == "true"
    assert {element.get("class") for element in guides} == {"bleed", "trim", "safe-zone", "cut-line"}
    safe = guides.find(f"{SVG}rect[@class='safe-zone']")
    assert [safe.get(name) for name in ("x", "y", "width", "height")] == ["4", "4", "77", "47"]
    text = layer_group(preview, 0)
    assert text.get("role") == "img" and text.get("aria-label") == "Ada Lovelace"
    assert text.find(f"{SVG}title").text == "Ada Lovelace"
    assert len(preview.findall(f".//{SVG}rect[@class='hit']")) == 2
    assert printed.find(f".//{SVG}g[@class='guides']") is None
    assert printed.find(f".//{SVG}rect[@class='hit']") is None and printed.find(f".//{SVG}title") is None
    assert layer_group(printed, 0).get("aria-label") is None
    assert preview.get("viewBox") == printed.get("viewBox") == "-3 -3 91 61"


def test_a_background_not_printed_shows_in_the_preview_only(client, merchant, context):
    side = make_side(
        client, merchant, backgroundType="color", backgroundColor="#fde2e4", backgroundPrinted=False
    )

    preview = parsed(compose(merchant.store_id, side, [], mode="preview"))
    printed = parsed(compose(merchant.store_id, side, [], mode="print"))

    background = preview.find(f".//{SVG}rect[@class='background']")
    assert background.get("fill") == "#fde2e4" and background.get("width") == "91"
    assert printed.find(f".//{SVG}rect[@class='background']") is None


def test_a_background_image_covers_the_page_and_the_overlay_shows_as_the_side_says(client, merchant, context):
    background = upload_file(
        client, merchant.bearer, png_bytes(91, 61), "paper.png", purpose="background"
    ).json
    overlay = upload_file(client, merchant.bearer, png_bytes(91, 61), "frame.png", purpose="overlay").json
    side = make_side(
        client,
        merchant,
        backgroundType="image",
        backgroundFileId=background["id"],
        overlayFileId=overlay["id"],
        showOverlay=True,
        overlayPrinted=False,
    )
    stack = layers({"type": "shape", "shape": "rect", "width": 5, "height": 5, "fill": "#000000"})

    preview = parsed(compose(merchant.store_id, side, stack, mode="preview"))
    printed = parsed(compose(merchant.store_id, side, stack, mode="print"))

    page = list(preview.find(f"{SVG}g[@class='page']"))
    assert [group.get("class") for group in page] == ["background", "layer layer-shape", "overlay"]
    image = page[0].find(f"{SVG}image")
    assert [image.get(name) for name in ("x", "y", "width", "height", "preserveAspectRatio")] == [
        "-3",
        "-3",
        "91",
        "61",
        "xMidYMid slice",
    ]
    assert [group.get("class") for group in printed.find(f"{SVG}g[@class='page']")] == [
        "background",
        "layer layer-shape",
    ]


def test_a_preview_with_a_mockup_grows_to_the_mockup_mapping_the_design_area_on_the_trim(
    client, merchant, context
):
    mockup = upload_file(
        client, merchant.bearer, png_bytes(400, 300, (200, 200, 200)), "mug.png", purpose="mockup"
    ).json
    side = make_side(
        client,
        merchant,
        width=100,
        height=50,
        bleed=0,
        mockupFileId=mockup["id"],
        designArea={"x": 100, "y": 50, "width": 200, "height": 100},
    )

    preview = parsed(compose(merchant.store_id, side, [], mode="preview"))
    printed = parsed(compose(merchant.store_id, side, [], mode="print"))

    # 0.5 mm per mockup pixel: the 400 × 300 px mockup spans 200 × 150 mm, starting 50 × 25 mm
    # before the trim box's corner.
    assert preview.get("viewBox") == "-50 -25 200 150"
    assert (preview.get("width"), preview.get("height")) == ("200mm", "150mm")
    image = preview.find(f"{SVG}g[@class='mockup']/{SVG}image")
    assert [image.get(name) for name in ("x", "y", "width", "height")] == ["-50", "-25", "200", "150"]
    assert preview.find(f".//{SVG}rect[@class='design-area']") is not None
    assert printed.get("viewBox") == "0 0 100 50" and printed.find(f".//{SVG}g[@class='mockup']") is None


# Text


def test_text_is_drawn_from_outlines_defined_once_with_harfbuzz_kerning_and_ligatures(side, merchant):
    composition = compose(
        merchant.store_id,
        side,
        layers(text_layer("AVATAR office office", fontSize=10, width=70)),
        mode="print",
    )

    root = parsed(composition)
    assert "<text" not in composition.svg
    font, shaped = harfbuzz("Roboto_400Regular.ttf", "AVATAR office office")
    glyph_ids = [info.codepoint for info in shaped.glyph_infos]
    # Kerning: A and V are closer than their plain advances; ligature: "ffi" is one glyph.
    assert shaped.glyph_positions[0].x_advance < font.get_glyph_h_advance(glyph_ids[0])
    assert len(glyph_ids) < len("AVATAR office office")
    uses = glyph_uses(layer_group(root))
    drawn = [int(use.get("href").rsplit("-", 1)[1]) for use in uses]
    assert drawn == [gid for gid in glyph_ids if gid != font.get_nominal_glyph(ord(" "))]
    # The pen positions are HarfBuzz's advances, summed.
    expected, pen = [], 0
    for info, position in zip(shaped.glyph_infos, shaped.glyph_positions, strict=True):
        if info.codepoint != font.get_nominal_glyph(ord(" ")):
            expected.append(pen + position.x_offset)
        pen += position.x_advance
    assert [float(use.get("x")) for use in uses] == expected
    # One definition per glyph, however often it is used.
    definitions = root.findall(f"{SVG}defs/{SVG}path")
    assert len(definitions) == len(set(drawn)) and all(d.get("id").startswith("g-") for d in definitions)
    # The line is scaled from font units (2048 per em) to 10 pt in mm, flipped for y up.
    line = layer_group(root).find(f"{SVG}g/{SVG}g")
    scale = 10 * MM_PER_POINT / 2048
    assert re.search(r"scale\(([\d.]+) -([\d.]+)\)", line.get("transform"))[1] == f"{scale:.7f}".rstrip("0")


def test_arabic_is_joined_and_set_right_to_left(side, merchant):
    arabic = "مرحبا"
    composition = compose(
        merchant.store_id, side, layers(text_layer(arabic, fontFamily="Noto Sans Arabic")), mode="print"
    )

    font, shaped = harfbuzz("NotoSansArabic_400Regular.ttf", arabic)
    assert shaped.direction == "rtl"
    clusters = [info.cluster for info in shaped.glyph_infos]
    assert clusters == sorted(clusters, reverse=True)  # the last letter is drawn leftmost
    drawn = [int(use.get("href").rsplit("-", 1)[1]) for use in glyph_uses(layer_group(parsed(composition)))]
    assert drawn == [info.codepoint for info in shaped.glyph_infos]
    isolated = [font.get_nominal_glyph(ord(letter)) for letter in reversed(arabic)]
    assert drawn != isolated  # joining forms, not the letters standing alone


def test_digits_in_arabic_read_left_to_right_and_an_arabic_name_in_latin_text_right_to_left(side, merchant):
    stack = layers(
        text_layer("هاتف 123", fontFamily="Noto Sans Arabic"),
        text_layer("Dear مرحبا!", fontFamily="Noto Sans Arabic", y=30),
    )
    root = parsed(compose(merchant.store_id, side, stack, mode="print"))

    font, _ = harfbuzz("NotoSansArabic_400Regular.ttf", "")
    digits = [font.get_nominal_glyph(ord(digit)) for digit in "123"]
    phone = [int(use.get("href").rsplit("-", 1)[1]) for use in glyph_uses(layer_group(root, 0))]
    assert phone[:3] == digits  # leftmost, in reading order; the Arabic word to their right
    _, word = harfbuzz("NotoSansArabic_400Regular.ttf", "مرحبا")
    greeting = [int(use.get("href").rsplit("-", 1)[1]) for use in glyph_uses(layer_group(root, 1))]
    latin = [font.get_nominal_glyph(ord(letter)) for letter in "Dear"]
    assert greeting[:4] == latin
    assert greeting[4:-1] == [info.codepoint for info in word.glyph_infos]
    assert greeting[-1] == font.get_nominal_glyph(ord("!"))


def test_devanagari_and_korean_are_shaped_from_their_fonts(side, merchant):
    stack = layers(
        text_layer("नमस्ते", fontFamily="Noto Sans Devanagari"),
        text_layer("다람쥐", fontFamily="NanumGothic", y=30),
    )
    composition = compose(merchant.store_id, side, stack, mode="print")

    root = parsed(composition)
    assert composition.problems == []
    for index, (font_file, text) in enumerate(
        [("NotoSansDevanagari_400Regular.ttf", "नमस्ते"), ("NanumGothic_400Regular.ttf", "다람쥐")]
    ):
        _, shaped = harfbuzz(font_file, text)
        drawn = [int(use.get("href").rsplit("-", 1)[1]) for use in glyph_uses(layer_group(root, index))]
        assert drawn == [info.codepoint for info in shaped.glyph_infos]


def test_alignment_lines_and_line_height(side, merchant):
    size_pt = 10
    stack = layers(
        text_layer("Left", align="left"),
        text_layer("Centre", align="center"),
        text_layer("Right", align="right"),
        text_layer("One\nTwo", lineHeight=1.5, fontSize=size_pt),
    )
    root = parsed(compose(merchant.store_id, side, stack, mode="print"))

    def lines(index: int) -> list[tuple[float, float]]:
        return [
            tuple(
                float(value)
                for value in re.match(r"translate\(([-\d.]+) ([-\d.]+)\)", g.get("transform")).groups()
            )
            for g in layer_group(root, index).findall(f"{SVG}g/{SVG}g")
        ]

    def width_mm(text: str) -> float:
        _, shaped = harfbuzz("Roboto_400Regular.ttf", text)
        return sum(position.x_advance for position in shaped.glyph_positions) * 12 * MM_PER_POINT / 2048

    assert lines(0)[0][0] == 10
    assert lines(1)[0][0] == pytest.approx(10 + (60 - width_mm("Centre")) / 2, abs=1e-3)
    assert lines(2)[0][0] == pytest.approx(70 - width_mm("Right"), abs=1e-3)
    (_, first), (_, second) = lines(3)
    assert second - first == pytest.approx(1.5 * size_pt * MM_PER_POINT, abs=1e-3)


def test_letter_spacing_adds_to_every_cluster_but_the_last(side, merchant):
    plain, spaced = (
        layer_group(
            parsed(
                compose(merchant.store_id, side, layers(text_layer("office", letterSpacing=s)), mode="print")
            )
        )
        for s in (0, 100)
    )
    plain_x = [float(use.get("x")) for use in glyph_uses(plain)]
    spaced_x = [float(use.get("x")) for use in glyph_uses(spaced)]
    # Roboto: o, ffi, c, e (2048 units per em, so 100/1000 em is 204.8 units per cluster).
    assert [b - a for a, b in zip(plain_x, spaced_x, strict=True)] == pytest.approx([0, 204.8, 409.6, 614.4])


def test_a_paragraph_wraps_at_spaces_and_a_justified_line_fills_the_box(side, merchant):
    words = "The quick brown fox jumps over the lazy dog"
    root = parsed(
        compose(
            merchant.store_id,
            side,
            layers(text_layer(words, width=30, height=40, align="justify")),
            mode="print",
        )
    )

    line_groups = layer_group(root).findall(f"{SVG}g/{SVG}g")
    assert len(line_groups) > 1
    first = glyph_uses(line_groups[0])
    scale = 12 * MM_PER_POINT / 2048
    last_glyph_end = (float(first[-1].get("x")) + 1100) * scale  # about one glyph's advance
    assert 28 < last_glyph_end < 32


def test_text_that_does_not_fit_is_a_blocking_problem_unless_auto_fit_shrinks_it(side, merchant):
    long_name = "Alexandra Montgomery-Smythe"
    fixed, fitted = (
        compose(
            merchant.store_id,
            side,
            layers(text_layer(long_name, name="Name", fontSize=24, width=50, height=10, autoFit=auto)),
            mode="print",
        )
        for auto in (False, True)
    )

    [overflow] = fixed.problems
    assert (overflow.code, overflow.blocking) == ("text_overflow", True)
    assert overflow.message.startswith("“Name” does not fit its box")
    assert fitted.problems == []
    size = float(layer_group(parsed(fitted)).get("data-font-size"))
    assert 4 <= size < 24
    # The fitted size is the largest that fits: a little larger would not.
    bigger = compose(
        merchant.store_id,
        side,
        layers(text_layer(long_name, fontSize=size * 1.05, width=50, height=10, autoFit=False)),
        mode="print",
    )
    assert codes(bigger) == ["text_overflow"]


def test_auto_fit_reports_text_that_does_not_fit_even_at_the_smallest_size(side, merchant):
    composition = compose(
        merchant.store_id, side, layers(text_layer("W" * 200, width=5, height=2, autoFit=True)), mode="print"
    )
    assert codes(composition) == ["text_overflow"] and "even at 4 pt" in composition.problems[0].message


def test_curved_text_follows_an_arc_arching_up_or_dipping(side, merchant):
    def glyph_centres(curve: float) -> list[tuple[float, float, float]]:
        group = layer_group(
            parsed(
                compose(merchant.store_id, side, layers(text_layer("CURVED TEXT", curve=curve)), mode="print")
            )
        )
        placed = []
        for use in glyph_uses(group):
            a, b, _c, _d, e, f = (float(value) for value in use.get("transform")[7:-1].split())
            placed.append((e, f, math.degrees(math.atan2(b, a))))
        return placed

    up, down = glyph_centres(90), glyph_centres(-90)
    # Arching up: the ends sit lower than the middle and lean outwards, left one anticlockwise.
    middle = len(up) // 2
    assert up[0][1] > up[middle][1] and up[-1][1] > up[middle][1]
    assert up[0][2] < 0 < up[-1][2]
    assert down[0][1] < down[middle][1] and down[-1][1] < down[middle][1]
    assert down[0][2] > 0 > down[-1][2]
    # 90 degrees: the first and last glyphs turn by about ±45° (less half a glyph).
    assert 35 < up[-1][2] < 45


def test_control_characters_are_left_out_and_the_document_stays_xml(side, merchant):
    typed = "Ada\tLovelace\r\nLine\x01two\x7f"
    composition = compose(merchant.store_id, side, layers(text_layer(typed)), mode="preview")

    group = layer_group(parsed(composition))
    assert group.get("aria-label") == "Ada Lovelace Linetwo"
    assert len(group.findall(f"{SVG}g/{SVG}g")) == 2  # two lines
    drawn = [int(use.get("href").rsplit("-", 1)[1]) for use in glyph_uses(group)]
    assert 0 not in drawn  # no .notdef box
    composition.svg.encode("utf-8")


def test_an_empty_required_text_is_a_blocking_problem_naming_the_layer(side, merchant):
    composition = compose(
        merchant.store_id,
        side,
        layers(text_layer("  ", name="Name", rules={"required": True})),
        mode="preview",
    )
    [empty] = composition.blocking
    assert (empty.code, empty.message) == ("required_empty", "“Name” is required: fill it in")
    assert empty.to_json() == {
        "layerId": composition.problems[0].layer_id,
        "code": "required_empty",
        "message": "“Name” is required: fill it in",
        "blocking": True,
    }


def test_a_font_that_no_longer_exists_is_a_missing_asset(side, merchant):
    stack = layers(text_layer("Hello", fontId="fnt_gone"), text_layer("Hi", fontFamily="No Such Family"))
    composition = compose(merchant.store_id, side, stack, mode="preview")
    assert codes(composition) == ["missing_asset", "missing_asset"]
    assert all(item.blocking for item in composition.problems)


def test_a_font_family_picks_its_regular_face(side, merchant):
    root = parsed(
        compose(merchant.store_id, side, layers(text_layer("Hi", fontFamily="roboto")), mode="print")
    )
    regular = db.session.scalars(
        in_store(
            db.select(Font).where(Font.family == "Roboto", Font.weight == 400, Font.style == "normal"),
            merchant.store_id,
        )
    ).one()
    assert glyph_uses(layer_group(root))[0].get("href").startswith(f"#g-{regular.id}-")


# The safe zone


def test_content_outside_the_safe_zone_is_a_warning_but_a_full_bleed_panel_is_not(side, merchant):
    stack = layers(
        text_layer("Edge", name="Title", x=2, y=10, width=30, height=10),
        {"type": "shape", "shape": "rect", "name": "Panel", "x": -3, "y": -3, "width": 91, "height": 20},
        {"type": "shape", "shape": "rect", "name": "Stripe", "x": 1, "y": 20, "width": 20, "height": 5},
        {"type": "shape", "shape": "rect", "name": "Inside", "x": 10, "y": 30, "width": 20, "height": 5},
    )
    composition = compose(merchant.store_id, side, stack, mode="preview")

    warned = [(item.layer_id, item.code, item.blocking) for item in composition.problems]
    assert warned == [(stack[0].id, "outside_safe_zone", False), (stack[2].id, "outside_safe_zone", False)]
    assert composition.problems[0].message == "“Title” is too close to the edge: it may be cut off"


def test_the_safe_zone_check_uses_the_rotated_box(side, merchant):
    # 50 × 4 mm in the middle, inside the 77 mm wide safe zone; turned 90°, 50 mm tall in 47.
    long_bar = {
        "type": "shape",
        "shape": "rect",
        "x": 12,
        "y": 25,
        "width": 50,
        "height": 4,
        "fill": "#000000",
    }
    flat = compose(merchant.store_id, side, layers(long_bar), mode="preview")
    turned = compose(merchant.store_id, side, layers(long_bar | {"rotation": 90}), mode="preview")
    assert codes(flat) == [] and codes(turned) == ["outside_safe_zone"]


# Images


def test_an_image_reports_its_effective_dpi_and_warns_below_the_minimum(side, client, merchant):
    photo = upload_file(client, merchant.bearer, png_bytes(600, 300), "photo.png").json
    # 600 px across 50.8 mm (2 in) is 300 DPI; contained in a box twice as wide, the same.
    image = {
        "type": "image",
        "name": "Photo",
        "fileId": photo["id"],
        "x": 10,
        "y": 10,
        "width": 50.8,
        "height": 25.4,
    }
    stack = layers(image, image | {"fit": "contain", "width": 101.6}, image | {"crop": {"width": 0.5}})

    composition = compose(merchant.store_id, side, stack, mode="print", min_dpi=250)

    assert list(composition.image_dpi.values()) == [300.0, 300.0, 150.0]
    [low] = composition.problems
    assert (low.layer_id, low.code, low.blocking) == (stack[2].id, "low_dpi", False)
    assert low.message.startswith("“Photo” is too small to print sharply (150 DPI; this product needs 250)")


def test_cover_fills_the_box_and_crops_contain_shows_it_all(side, client, merchant):
    photo = upload_file(client, merchant.bearer, png_bytes(400, 200), "photo.png").json
    box = {"type": "image", "fileId": photo["id"], "x": 0, "y": 0, "width": 20, "height": 20}
    root = parsed(compose(merchant.store_id, side, layers(box, box | {"fit": "contain"}), mode="print"))

    def placed(index: int):
        group = layer_group(root, index)
        image = group.find(f".//{SVG}image")
        clip_id = group.find(f"{SVG}g").get("clip-path")[5:-1]
        clip = root.find(f".//{SVG}clipPath[@id='{clip_id}']/{SVG}rect")
        return [float(image.get(name)) for name in ("x", "y", "width", "height")], [
            float(clip.get(name)) for name in ("x", "y", "width", "height")
        ]

    assert placed(0) == ([-10, 0, 40, 20], [0, 0, 20, 20])  # cover: 40 mm wide, centred, clipped
    assert placed(1) == ([0, 5, 20, 10], [0, 5, 20, 10])  # contain: letterboxed


def test_a_photo_turned_by_its_exif_orientation_is_placed_upright(side, client, merchant):
    # Stored 200 × 100 px, tagged "turn 90° clockwise to show" as a phone's portrait shot is.
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    Image.new("RGB", (200, 100), (200, 30, 30)).save(out, "JPEG", exif=exif)
    photo = upload_file(client, merchant.bearer, out.getvalue(), "portrait.jpg").json
    assert (photo["widthPx"], photo["heightPx"]) == (200, 100)
    stack = layers({"type": "image", "fileId": photo["id"], "x": 0, "y": 0, "width": 10, "height": 20})

    composition = compose(merchant.store_id, side, stack, mode="print")

    image = layer_group(parsed(composition)).find(f".//{SVG}image")
    assert [float(image.get(name)) for name in ("width", "height")] == [10, 20]  # upright, not stretched
    assert composition.image_dpi[stack[0].id] == round(100 / (10 / 25.4), 1)


def test_print_carries_the_original_bytes_and_the_preview_the_thumbnail(side, client, merchant):
    original = png_bytes(1200, 800)
    photo = upload_file(client, merchant.bearer, original, "photo.png").json
    stack = layers({"type": "image", "fileId": photo["id"], "width": 30, "height": 20})

    assert embedded(merchant, side, stack, "print") == original
    thumbnail = Image.open(io.BytesIO(embedded(merchant, side, stack, "preview")))
    assert max(thumbnail.size) <= 400


def test_an_empty_photo_frame_shows_a_placeholder_in_the_preview_and_may_be_required(side, merchant):
    frame = layers({"type": "image", "name": "Photo", "width": 30, "height": 20, "rules": {"required": True}})

    preview = compose(merchant.store_id, side, frame, mode="preview")
    printed = compose(merchant.store_id, side, frame, mode="print")

    assert parsed(preview).find(f".//{SVG}rect[@class='placeholder']") is not None
    assert parsed(printed).find(f".//{SVG}rect[@class='placeholder']") is None
    assert (
        codes(preview) == ["required_empty"]
        and preview.problems[0].message == "“Photo” is required: add a photo"
    )


def printed_alone(merchant, side: Side, body: dict) -> Composition:
    """The print composition of the side with this one layer on it."""
    return compose(merchant.store_id, side, layers(body), mode="print")


def test_an_image_file_that_no_longer_exists_is_a_missing_asset(side, merchant):
    composition = printed_alone(
        merchant, side, {"type": "image", "fileId": "fil_gone", "width": 5, "height": 5}
    )
    assert codes(composition) == ["missing_asset"] and composition.blocking


# Clipart


def stored_clipart(store_id: str, name: str, data: bytes) -> Clipart:
    """A clipart row over bytes written straight to storage (past preflight, as a damaged or
    hand-placed file would be)."""
    key = f"{store_id}/clipart/{name}"
    storage().save(key, data, "image/svg+xml")
    clipart = Clipart(store_id=store_id, name=name, format="svg", storage_key=key)
    db.session.add(clipart)
    db.session.flush()
    return clipart


def test_vector_clipart_is_inlined_with_its_ids_prefixed_per_layer(side, merchant):
    badge = library_clipart(merchant.store_id, "Rosette badge")
    stack = layers(
        {"type": "clipart", "clipartId": badge.id, "x": 5, "y": 5, "width": 20, "height": 20},
        {"type": "clipart", "clipartId": badge.id, "x": 40, "y": 5, "width": 20, "height": 20},
    )
    composition = compose(merchant.store_id, side, stack, mode="print")

    root = parsed(composition)
    nested = layer_group(root).find(f"{SVG}svg")
    assert [nested.get(name) for name in ("x", "y", "width", "height")] == ["5", "5", "20", "20"]
    assert nested.get("viewBox") and "<image" not in composition.svg
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    for index, layer in enumerate(stack):
        for element in layer_group(root, index).iter():
            if element.get("id"):
                assert element.get("id").startswith(f"c-{layer.id}-")


def test_clipart_is_sanitized_again_on_the_way_into_the_document(side, merchant):
    hostile = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'viewBox="0 0 10 10" '
        b'onload="steal()"><script>alert(1)</script><foreignObject><p>hi</p></foreignObject>'
        b'<a href="javascript:alert(2)"><circle id="dot" cx="5" cy="5" r="5" onclick="steal()"/></a>'
        b'<use xlink:href="https://evil.example/x.svg#a"/><use href="#dot"/>'
        b'<rect width="2" height="2" fill="url(https://evil.example/p)"/></svg>'
    )
    clipart = stored_clipart(merchant.store_id, "hostile.svg", hostile)
    stack = layers({"type": "clipart", "clipartId": clipart.id, "width": 10, "height": 10})

    composition = compose(merchant.store_id, side, stack, mode="preview")

    for word in ("script", "onload", "onclick", "foreignObject", "javascript", "evil.example", "<p>"):
        assert word not in composition.svg
    assert f'href="#c-{stack[0].id}-dot"' in composition.svg


def test_clipart_with_a_style_sheet_is_embedded_as_an_image_so_its_css_stays_inside(side, merchant):
    styled = stored_clipart(
        merchant.store_id,
        "styled.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>path{fill:red}</style>'
        b'<path d="M0 0h10v10z"/></svg>',
    )
    composition = compose(
        merchant.store_id,
        side,
        layers(text_layer("Hi"), {"type": "clipart", "clipartId": styled.id, "width": 10, "height": 10}),
        mode="print",
    )
    assert "<style" not in composition.svg
    image = layer_group(parsed(composition), 1).find(f"{SVG}image")
    assert image.get("href").startswith("data:image/svg+xml;base64,")


def test_clipart_that_is_not_xml_is_a_missing_asset(side, merchant):
    broken = stored_clipart(merchant.store_id, "broken.svg", b"<svg><path></svg")
    composition = compose(
        merchant.store_id,
        side,
        layers({"type": "clipart", "clipartId": broken.id, "width": 5, "height": 5}),
        mode="print",
    )
    assert codes(composition) == ["missing_asset"]


def test_a_recolorable_clipart_takes_the_layers_colour(side, client, merchant):
    star = upload_clipart(client, merchant.bearer, STAR, "star.svg").json
    dot = upload_clipart(client, merchant.bearer, WITH_SCRIPT, "dot.svg").json
    stack = layers(
        {"type": "clipart", "clipartId": star["id"], "width": 10, "height": 10, "color": "#00aa00"},
        {"type": "clipart", "clipartId": dot["id"], "width": 10, "height": 10, "color": "#0000ff"},
    )
    composition = compose(merchant.store_id, side, stack, mode="print")

    assert "#d7263d" not in composition.svg.lower() and 'fill="#00aa00"' in composition.svg
    image = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=composition.svg.encode(), output_width=910)))
    rgb = image.convert("RGB")
    assert rgb.getpixel((30 + 50, 30 + 50)) == (0, 0, 255)  # the dot, recoloured through currentColor


def test_png_clipart_shows_its_thumbnail_in_the_preview_and_its_original_in_print(side, client, merchant):
    original = png_bytes(1000, 500)
    logo = upload_clipart(client, merchant.bearer, original, "logo.png").json
    stack = layers({"type": "clipart", "clipartId": logo["id"], "width": 20, "height": 10})

    assert embedded(merchant, side, stack, "print") == original
    assert max(Image.open(io.BytesIO(embedded(merchant, side, stack, "preview"))).size) <= 400


def test_clipart_that_no_longer_exists_is_a_missing_asset(side, merchant):
    composition = printed_alone(
        merchant, side, {"type": "clipart", "clipartId": "clp_gone", "width": 5, "height": 5}
    )
    assert codes(composition) == ["missing_asset"]


def test_characters_the_font_has_no_glyph_for_are_a_blocking_problem_naming_them(side, merchant):
    stack = layers(text_layer("Tokyo 東京 😀 東", name="Name"), text_layer("Tokyo", y=30))
    composition = compose(merchant.store_id, side, stack, mode="print")

    [missing] = composition.problems
    assert missing.to_json() == {
        "layerId": stack[0].id,
        "code": "missing_glyphs",
        "message": "“Name”: the font Roboto cannot draw '東', '京', '😀'; "
        "choose another font or change the text",
        "blocking": True,
    }
    assert composition.blocking == [missing]


def test_spaces_joiners_selectors_and_composed_marks_are_not_missing_glyphs(side, merchant):
    # An em space, a no-break space, a zero-width joiner and a combining accent Roboto composes.
    drawable = layers(text_layer("a\u2003b\u00a0c\u200dd e\u0301"))
    assert compose(merchant.store_id, side, drawable, mode="print").problems == []
    # A heart with the emoji selector: the heart is missing, the selector is not named.
    [heart] = compose(merchant.store_id, side, layers(text_layer("I \u2764\ufe0f it")), mode="print").problems
    assert heart.code == "missing_glyphs" and "draw '\u2764';" in heart.message


def test_a_long_run_of_missing_characters_is_named_in_part(side, merchant):
    hangul = "".join(chr(0xAC00 + index) for index in range(14))
    [missing] = compose(
        merchant.store_id, side, layers(text_layer(hangul, autoFit=True)), mode="preview"
    ).problems
    assert missing.message.startswith("A text: the font Roboto cannot draw '가', '각'")
    assert "and 4 more; choose another font" in missing.message
    # The same text in a Korean font has every glyph.
    korean = layers(text_layer(hangul, fontFamily="NanumGothic", autoFit=True))
    assert compose(merchant.store_id, side, korean, mode="preview").problems == []


# Determinism, caching and rendering


def test_the_same_input_gives_the_same_bytes_with_warm_or_cold_caches(side, merchant):
    stack = demo_card(merchant)
    first = compose(merchant.store_id, side, stack, mode="preview").svg
    again = compose(merchant.store_id, side, stack, mode="preview").svg
    composer_fonts.clear_caches()
    composer_pictures.clear_caches()
    composer_assets.clear_caches()
    cold = compose(merchant.store_id, side, stack, mode="preview").svg
    assert first == again == cold


def test_an_unknown_mode_is_refused(side, merchant):
    with pytest.raises(ValueError, match="mode must be one of preview, print"):
        compose(merchant.store_id, side, [], mode="proof")


def test_cairosvg_turns_the_print_document_into_a_pdf_and_png_of_the_trim_plus_bleed(side, merchant):
    svg = compose(merchant.store_id, side, demo_card(merchant), mode="print").svg.encode()

    pdf = pikepdf.open(io.BytesIO(cairosvg.svg2pdf(bytestring=svg)))
    [page] = pdf.pages
    left, bottom, right, top = (float(value) for value in page.mediabox)
    assert (right - left) / 72 * 25.4 == pytest.approx(91, abs=0.05)
    assert (top - bottom) / 72 * 25.4 == pytest.approx(61, abs=0.05)

    image = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg, dpi=300))).convert("RGB")
    assert image.size == (round(91 / 25.4 * 300), round(61 / 25.4 * 300))
    # The accent bar is printed from the bleed's edge to 6 mm (0-106 px at 300 DPI with 3 mm of bleed).
    assert image.getpixel((10, 300)) == image.getpixel((60, 300)) == (11, 92, 173)
    # The name's glyphs are drawn: dark ink inside its box, none outside the layers.
    name_box = image.crop(
        (round(15 / 25.4 * 300), round(17 / 25.4 * 300), round(70 / 25.4 * 300), round(23 / 25.4 * 300))
    )
    (darkest_red, _), _, _ = name_box.getextrema()
    assert darkest_red < 80


@pytest.mark.parametrize("name", sorted(set(xss_corpus.payloads("sto_test")) - xss_corpus.REFUSED))
def test_a_hostile_clipart_stored_unsanitized_is_inlined_with_nothing_but_its_drawing(name):
    # A drawing stored before an allowlist tightened reaches the inliner as it was uploaded.
    drawing = xss_corpus.payloads("sto_test")[name]
    inlined = composer_pictures.inline_clipart(f"raw-{name}", drawing, "c-l-", (100, 100), None)
    if inlined is None:  # a style sheet: embedded as an image, where no script runs
        assert b"<style" in drawing
        return
    _, body = inlined
    for fragment in xss_corpus.FORBIDDEN:
        assert fragment not in body, fragment
    assert 'fill="#2a6"' in body
