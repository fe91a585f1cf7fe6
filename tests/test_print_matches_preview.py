"""What prints is what the editor shows: a side's print SVG (the composer's, in print mode) drawn by
real Chromium, inlined into an HTML page as the editor inlines its preview, and the PDF the
renderer draws from the same composition, rasterized by poppler, both at 300 dpi and compared
pixel by pixel (and for CMYK, the PDF's inks and the browser's pixels both seen through the
printer's profile). Designs with text in several scripts, shapes, photos and clipart, on sides whose
background colour runs into the bleed: a PDF whose drawing stops short of the page's edges, or a
clipart whose `currentColor` the browser takes from the page around it, shows here."""

import io
import math
import os
import subprocess

import pytest
from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFilter

from designer.designs.models import Design
from designer.editing.service import compose_design
from designer.extensions import db
from designer.library.default_library import library_root
from designer.library.models import Clipart
from designer.rendering import render_pdf
from designer.rendering.cmyk import default_separation, soft_proof
from designer.rendering.renders import print_page
from designer.tenancy import get_in_store, in_store
from tests.factories import rasterized, upload_file

DPI = 300
CSS_PX_PER_INCH = 96
MM_PER_INCH = 25.4
# A channel this far apart is a different colour, not anti-aliasing drawn another way.
CHANNEL_TOLERANCE = 48
MAX_DIFFERING = 0.005  # of the page's pixels
# The colour of the text around the inlined SVG. The editor's is a near-black ink; a page the
# preview is inlined into may have any, and a vivid one makes whatever the SVG inherits from it show.
HOST_TEXT_COLOUR = "#c2185b"
SIDE = {"width": 85, "height": 55, "bleed": 3, "safeZone": 4}  # a business card


# Building the designs through the API


def product_with_sides(client, merchant, backgrounds: list[str]) -> dict:
    """A business card with one side per background colour (printed, so it runs into the bleed)."""
    sides = [
        SIDE | {"name": f"Side {number}", "backgroundType": "color", "backgroundColor": colour}
        for number, colour in enumerate(backgrounds, start=1)
    ]
    response = client.post(
        "/api/v1/products",
        json={"name": "Card", "dimensionUnit": "mm", "sides": sides},
        headers=merchant.bearer,
    )
    assert response.status_code == 201, response.json
    return response.json


def design_on(client, merchant, product: dict, side: int, stack: list[dict]) -> str:
    body = {"productId": product["id"], "sideId": product["sides"][side]["id"], "layers": stack}
    response = client.post("/api/v1/designs", json=body, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    assert not [item for item in response.json["problems"] if item["blocking"]], response.json["problems"]
    return response.json["id"]


def text(value: str, family: str, y: float, **fields) -> dict:
    return {
        "type": "text",
        "text": value,
        "fontFamily": family,
        "fontSize": 11,
        "x": 6,
        "y": y,
        "width": 73,
        "height": 8,
    } | fields


def photo_jpeg() -> bytes:
    """A photo-like JPEG: a smooth sky, a hill and a sun, softened as a lens would."""
    image = Image.new("RGB", (900, 600))
    draw = ImageDraw.Draw(image)
    for row in range(600):
        draw.line([(0, row), (900, row)], fill=(40 + row // 6, 110 + row // 8, 200 - row // 5))
    draw.ellipse((600, 80, 760, 240), fill=(250, 210, 90))
    draw.polygon([(0, 600), (0, 420), (300, 330), (620, 450), (900, 380), (900, 600)], fill=(60, 120, 50))
    out = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(3)).save(out, "JPEG", quality=92)
    return out.getvalue()


def badge_png() -> bytes:
    """A PNG with alpha: an orange disc with a soft edge and a transparent hole."""
    size = 400
    alpha = Image.new("L", (size, size), 0)
    ImageDraw.Draw(alpha).ellipse((20, 20, size - 20, size - 20), fill=255)
    ImageDraw.Draw(alpha).ellipse((140, 140, size - 140, size - 140), fill=0)
    image = Image.new("RGBA", (size, size), (235, 120, 30, 255))
    image.putalpha(alpha.filter(ImageFilter.GaussianBlur(6)))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def uploaded(client, merchant, data: bytes, filename: str) -> str:
    response = upload_file(client, merchant.bearer, data, filename)
    assert response.status_code == 201, response.json
    return response.json["id"]


def library_clipart(app, store_id: str, name: str) -> str:
    with app.app_context():
        query = in_store(db.select(Clipart).where(Clipart.name == name), store_id)
        return db.session.scalars(query).one().id


@pytest.fixture
def designs(app, client, merchant) -> dict[str, str]:
    """The designs compared, by name: their ids. One side each, of one product."""
    product = product_with_sides(client, merchant, ["#ecd9ae", "#1f6f8b", "#e6dcc3"])
    scripts = [
        text("Presswork — Ünïcødé proofs, ﬁne ﬂow", "Roboto", 4, color="#102a43"),
        text("مطبعة الأحلام ترحب بكم", "Noto Sans Arabic", 14, color="#7a1f1f", align="right"),
        text("דפוס החלומות מברך אתכם", "Noto Sans Hebrew", 24, color="#1b4d3e", align="right"),
        text("सपनों की छपाई में स्वागत है", "Noto Sans Devanagari", 33, color="#4a148c"),
        text("꿈의 인쇄소에 오신 것을 환영합니다", "NanumGothic", 42.5, color="#000000", fontSize=10),
    ]
    jpeg = uploaded(client, merchant, photo_jpeg(), "hill.jpg")
    png = uploaded(client, merchant, badge_png(), "disc.png")
    shapes_and_photos = [
        {"type": "image", "fileId": jpeg, "x": -3, "y": -3, "width": 45, "height": 61},
        {"type": "image", "fileId": png, "x": 30, "y": 8, "width": 22, "height": 22, "fit": "contain"},
        {
            "type": "shape",
            "shape": "rect",
            "x": 50,
            "y": 6,
            "width": 28,
            "height": 14,
            "fill": "#f6c85f",
            "stroke": "#2b2d42",
            "strokeWidth": 0.8,
        },
        {
            "type": "shape",
            "shape": "ellipse",
            "x": 52,
            "y": 24,
            "width": 24,
            "height": 14,
            "stroke": "#ffffff",
            "strokeWidth": 1.2,
        },
        {
            "type": "shape",
            "shape": "line",
            "x": 48,
            "y": 44,
            "width": 32,
            "height": 2,
            "stroke": "#ef476f",
            "strokeWidth": 0.6,
            "rotation": -12,
        },
        {
            "type": "shape",
            "shape": "rect",
            "x": 8,
            "y": 40,
            "width": 20,
            "height": 8,
            "fill": "#06d6a0",
            "opacity": 0.6,
            "rotation": 20,
        },
    ]
    star = library_clipart(app, merchant.store_id, "Star")
    rosette = library_clipart(app, merchant.store_id, "Rosette badge")
    sun = library_clipart(app, merchant.store_id, "Sun")
    heart = library_clipart(app, merchant.store_id, "Heart")
    clipart = [
        {"type": "clipart", "clipartId": star, "x": 4, "y": 6, "width": 22, "height": 22},  # currentColor
        {
            "type": "clipart",
            "clipartId": star,
            "x": 30,
            "y": 6,
            "width": 22,
            "height": 22,
            "color": "#e63946",
        },
        {"type": "clipart", "clipartId": rosette, "x": 56, "y": 6, "width": 24, "height": 24},
        {"type": "clipart", "clipartId": sun, "x": 8, "y": 31, "width": 20, "height": 20, "color": "#f4a261"},
        {
            "type": "clipart",
            "clipartId": heart,
            "x": 34,
            "y": 30,
            "width": 22,
            "height": 22,
            "color": "#2a9d8f",
            "rotation": 15,
        },
        {"type": "clipart", "clipartId": sun, "x": 60, "y": 32, "width": 18, "height": 18, "opacity": 0.7},
    ]
    return {
        "scripts": design_on(client, merchant, product, 0, scripts),
        "shapes and photos": design_on(client, merchant, product, 1, shapes_and_photos),
        "clipart": design_on(client, merchant, product, 2, clipart),
    }


# Drawing and comparing


def pdf_of(design: Design) -> bytes:
    """The PDF as a render draws it: the print composition with linked files, as one page."""
    return render_pdf([print_page(design, compose_design(design, mode="print", linked_files=True))])


def chromium_raster(browser, svg: str, size_px: tuple[int, int]) -> Image.Image:
    """The SVG inlined into a page, as the editor inlines its preview, screenshot at 300 dpi: at
    that device scale the SVG's millimetres are the same pixels as poppler's points."""
    scale = DPI / CSS_PX_PER_INCH
    viewport = {"width": math.ceil(size_px[0] / scale) + 1, "height": math.ceil(size_px[1] / scale) + 1}
    context = browser.new_context(viewport=viewport, device_scale_factor=scale)
    try:
        page = context.new_page()
        page.set_content(
            "<!doctype html><html><head><style>"
            f"html, body {{ margin: 0; background: #fff; color: {HOST_TEXT_COLOUR}; }}"
            "svg { display: block; }"
            f"</style></head><body>{svg}</body></html>"
        )
        shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    finally:
        context.close()
    return shot.crop((0, 0, *size_px))


def differing_share(first: Image.Image, second: Image.Image) -> float:
    """The share of pixels where some channel differs by more than CHANNEL_TOLERANCE."""
    assert first.size == second.size
    channels = ImageChops.difference(first, second).split()
    over = [channel.point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0) for channel in channels]
    marked = ImageChops.lighter(ImageChops.lighter(over[0], over[1]), over[2])
    return marked.histogram()[255] / (first.width * first.height)


def keep_for_inspection(name: str, images: dict[str, Image.Image]) -> None:
    directory = os.environ.get("PRESSWORK_SCREENSHOTS")
    if not directory:
        return
    for part, image in images.items():
        image.save(os.path.join(directory, f"print-vs-preview-{name.replace(' ', '-')}-{part}.png"))


@pytest.mark.parametrize("name", ["scripts", "shapes and photos", "clipart"])
def test_the_pdf_prints_what_chromium_draws_from_the_print_svg(
    app, merchant, designs, chromium, tmp_path, name
):
    with app.app_context():
        design = get_in_store(Design, designs[name], merchant.store_id)
        svg = compose_design(design, mode="print").svg  # pictures as data: URIs, for the browser
        printed = rasterized(pdf_of(design), tmp_path, DPI)
        design_w_mm = design.side.width_mm + 2 * design.side.bleed_mm
        design_h_mm = design.side.height_mm + 2 * design.side.bleed_mm
    # The pixels wholly inside the page: the last column and row are partly beyond its edge, where
    # each rasterizer has its own idea of a pixel the page's edge cuts.
    inside = (0, 0, math.floor(design_w_mm * DPI / MM_PER_INCH), math.floor(design_h_mm * DPI / MM_PER_INCH))
    printed, shown = printed.crop(inside), chromium_raster(chromium, svg, printed.size).crop(inside)

    share = differing_share(printed, shown)
    keep_for_inspection(
        name, {"pdf": printed, "chromium": shown, "diff": ImageChops.difference(printed, shown)}
    )
    print(f"{name}: {share:.3%} of pixels differ")
    assert share <= MAX_DIFFERING, f"{name}: {share:.2%} of the pixels differ"


def through_the_profile(cmyk_raster: Image.Image) -> Image.Image:
    """A CMYK raster as the press's colours look on screen (the profile into sRGB)."""
    profile = ImageCms.ImageCmsProfile(io.BytesIO(default_separation(library_root()).profile))
    transform = ImageCms.buildTransform(
        profile,
        ImageCms.createProfile("sRGB"),
        "CMYK",
        "RGB",
        ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )
    return ImageCms.applyTransform(cmyk_raster, transform)


def cmyk_rasterized(pdf: bytes, directory) -> Image.Image:
    """The PDF's first page as poppler draws it in CMYK (its inks, not its screen colours)."""
    source = directory / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-jpegcmyk", "-singlefile", str(source), str(directory / "cmyk")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return Image.open(directory / "cmyk.jpg")


@pytest.mark.parametrize("name", ["scripts", "shapes and photos", "clipart"])
def test_the_cmyk_pdf_prints_what_chromium_draws_seen_through_the_printers_profile(
    app, merchant, designs, chromium, tmp_path, name
):
    with app.app_context():
        design = get_in_store(Design, designs[name], merchant.store_id)
        svg = compose_design(design, mode="print").svg
        page = print_page(design, compose_design(design, mode="print", linked_files=True))
        separation = default_separation(library_root())
        inks = cmyk_rasterized(render_pdf([page], separation=separation), tmp_path)
        design_w_mm = design.side.width_mm + 2 * design.side.bleed_mm
        design_h_mm = design.side.height_mm + 2 * design.side.bleed_mm
    inside = (0, 0, math.floor(design_w_mm * DPI / MM_PER_INCH), math.floor(design_h_mm * DPI / MM_PER_INCH))
    printed = through_the_profile(inks).crop(inside)
    screenshot = io.BytesIO()
    chromium_raster(chromium, svg, inks.size).save(screenshot, "PNG")
    shown = Image.open(io.BytesIO(soft_proof(screenshot.getvalue(), separation))).convert("RGB").crop(inside)

    share = differing_share(printed, shown)
    keep_for_inspection(f"cmyk-{name}", {"pdf": printed, "chromium": shown})
    print(f"{name} in CMYK: {share:.3%} of pixels differ")
    assert share <= MAX_DIFFERING, f"{name} in CMYK: {share:.2%} of the pixels differ"
