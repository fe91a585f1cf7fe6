"""The side editor's diagrams: pure functions from a side to SVG, drawn to scale in millimetres."""

import xml.etree.ElementTree as ElementTree
from types import SimpleNamespace

import pytest

from designer.products.side_diagram import describe_side, mockup_diagram_svg, side_diagram_svg

SVG = "{http://www.w3.org/2000/svg}"


def a_side(**fields) -> SimpleNamespace:
    values = dict(
        name="Front",
        width_mm=85.0,
        height_mm=55.0,
        bleed_mm=3.0,
        safe_zone_mm=4.0,
        cut_line_mm=0.0,
        show_safe_zone=True,
        show_cut_line=True,
        die_line="none",
        die_line_radius_mm=0.0,
        die_line_offset_mm=0.0,
        background_type="transparent",
        background_color=None,
    )
    return SimpleNamespace(**(values | fields))


def parts(svg: str) -> dict[str, dict]:
    root = ElementTree.fromstring(svg)
    return {rect.get("data-part"): rect.attrib for rect in root.iter(f"{SVG}rect") if rect.get("data-part")}


def box(attributes: dict) -> tuple[float, ...]:
    return tuple(float(attributes[name]) for name in ("x", "y", "width", "height"))


def test_the_side_is_drawn_to_scale_in_millimetres_from_the_trim_box():
    drawn = parts(side_diagram_svg(a_side(cut_line_mm=1.5), "mm"))
    assert box(drawn["trim"]) == (0, 0, 85, 55)
    assert box(drawn["bleed"]) == (-3, -3, 91, 61)
    assert box(drawn["safe-zone"]) == (4, 4, 77, 47)
    assert box(drawn["cut-line"]) == (-1.5, -1.5, 88, 58)
    assert drawn["safe-zone"]["stroke-dasharray"]


def test_a_rectangle_die_line_is_drawn_on_the_trim_and_a_contour_is_said_in_words():
    svg = side_diagram_svg(a_side(die_line="rectangle", die_line_radius_mm=3.0), "mm")
    root = ElementTree.fromstring(svg)
    (die_line,) = [path for path in root.iter(f"{SVG}path") if path.get("data-part") == "die-line"]
    assert die_line.get("d").startswith("M3 0H82C") and die_line.get("stroke") == "#ec008c"
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert "Die line (CutContour, the cutter's path)" in texts
    assert "die line on the trim, its corners rounded to 3 mm" in root.find(f"{SVG}desc").text

    contour = ElementTree.fromstring(
        side_diagram_svg(a_side(die_line="contour", die_line_offset_mm=2.5), "mm")
    )
    assert not [path for path in contour.iter(f"{SVG}path") if path.get("data-part") == "die-line"]
    assert "die line around each design's art, 2.5 mm from it" in contour.find(f"{SVG}desc").text
    assert "Die line: around each design's art (CutContour)" in [
        text.text for text in contour.iter(f"{SVG}text")
    ]
    plain = side_diagram_svg(a_side(), "mm")
    assert "die-line" not in plain and "Die line" not in plain


def test_the_view_holds_the_bleed_the_labels_and_the_legend():
    root = ElementTree.fromstring(side_diagram_svg(a_side(), "mm"))
    left, top, width, height = (float(value) for value in root.get("viewBox").split())
    assert left < -3 and top < -3 and left + width > 88 and top + height > 58 + 10
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert {"85 mm", "55 mm", "Safe zone (keep text inside)", "Cut line"} <= set(texts)
    assert (
        root.get("role") == "img"
        and root.get("aria-labelledby") == "side-diagram-svg-title side-diagram-svg-desc"
    )


def test_the_title_and_description_say_the_numbers_in_the_products_unit():
    side = a_side(width_mm=88.9, height_mm=50.8, bleed_mm=3.175, safe_zone_mm=6.35, cut_line_mm=1.5875)
    root = ElementTree.fromstring(side_diagram_svg(side, "inch"))
    assert root.find(f"{SVG}title").text == "Front: 3.5 × 2 inch"
    assert root.find(f"{SVG}desc").text == (
        "Trim 3.5 × 2 inch, bleed 0.125 inch on each edge, safe zone 0.25 inch inside the trim, "
        "cut line 0.0625 inch outside the trim."
    )
    assert describe_side(a_side(show_cut_line=False, show_safe_zone=False), "cm") == (
        "Trim 8.5 × 5.5 cm, bleed 0.3 cm on each edge, safe zone 0.4 cm inside the trim (hidden), "
        "cut line hidden."
    )


def test_hidden_or_empty_guides_are_not_drawn():
    drawn = parts(side_diagram_svg(a_side(show_safe_zone=False, show_cut_line=False), "mm"))
    assert set(drawn) == {"bleed", "trim"}
    assert "safe-zone" not in parts(side_diagram_svg(a_side(safe_zone_mm=0), "mm"))


def test_a_colour_background_fills_the_trim():
    assert (
        parts(side_diagram_svg(a_side(background_type="color", background_color="#ffeecc"), "mm"))["trim"][
            "fill"
        ]
        == "#ffeecc"
    )
    assert parts(side_diagram_svg(a_side(background_color="#ffeecc"), "mm"))["trim"]["fill"] == "#ffffff"


def test_the_name_is_escaped():
    svg = side_diagram_svg(a_side(name='<script>alert("x")</script> & co'), "mm")
    root = ElementTree.fromstring(svg)
    assert root.find(f"{SVG}title").text.startswith('<script>alert("x")</script> & co:')
    assert "<script>" not in svg


@pytest.mark.parametrize(("width_mm", "height_mm"), [(20, 500), (1000, 10), (1, 1)])
def test_extreme_shapes_still_fit_their_legend(width_mm, height_mm):
    root = ElementTree.fromstring(
        side_diagram_svg(a_side(width_mm=width_mm, height_mm=height_mm, safe_zone_mm=0.2, bleed_mm=0), "mm")
    )
    left, _, width, _ = (float(value) for value in root.get("viewBox").split())
    drawn = parts(ElementTree.tostring(root, encoding="unicode"))
    assert left <= 0 and left + width >= width_mm
    assert box(drawn["trim"]) == (0, 0, width_mm, height_mm)


def test_the_mockup_is_shown_with_its_design_area():
    svg = mockup_diagram_svg(
        "/api/v1/files/fil_1/content?storeId=sto_1&x=1",
        1000,
        800,
        {"x": 250, "y": 100, "width": 500, "height": 600},
        "Front",
    )
    root = ElementTree.fromstring(svg)
    assert root.get("viewBox") == "0 0 1000 800"
    assert root.find(f"{SVG}image").get("href") == "/api/v1/files/fil_1/content?storeId=sto_1&x=1"
    assert box(parts(svg)["design-area"]) == (250, 100, 500, 600)
    assert "design area at x 250, y 100, 500 × 600 px" in root.find(f"{SVG}title").text
    bare = mockup_diagram_svg("/m.png", 10, 10, None, "Front")
    assert "design-area" not in parts(bare) and "no design area" in bare
