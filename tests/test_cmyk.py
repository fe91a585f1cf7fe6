"""CMYK print-ready PDFs: the FOGRA39 profile Presswork ships prints the colours Fogra measured;
a product set to CMYK renders a PDF/X-4 whose every colour is DeviceCMYK through the profile
(the conformance check and qpdf accept it), pure black prints as K alone, a CMYK JPEG goes into
the file as uploaded, RGB pictures are converted keeping their quality; merchants upload their
printer's ICC profile and a file that is not one is refused naming the field."""

import base64
import io
import zlib
from decimal import Decimal
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageChops, ImageCms, ImageDraw

from designer.designs.models import Design
from designer.editing.service import compose_design
from designer.extensions import db
from designer.files.storage import storage
from designer.library.default_library import library_root
from designer.projects.models import Project
from designer.rendering import cmyk
from designer.rendering.cmyk import DEFAULT_PROFILE_FILE, Separation, default_separation, separate
from designer.rendering.cmyk_profile import lab_from_xyz, read_ti3
from designer.rendering.colour_modes import separation_for
from designer.rendering.pdf import PrintPage, render_pdf
from designer.rendering.pdfx import SRGB, Identity, pdfx4_problems
from designer.rendering.renders import identity_of, print_page, printed
from designer.tenancy import get_in_store, in_store
from tests.factories import bearer, rasterized, run_worker, storefront, upload_file

FOGRA39_DATA = Path("/usr/share/color/icc/FOGRA39L.ti3")
DEMO_PRODUCTS = ["business-card", "mug-wrap", "t-shirt", "a5-flyer"]


def profile_bytes() -> bytes:
    return (library_root() / DEFAULT_PROFILE_FILE).read_bytes()


def read(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def colour_operators(pdf: pikepdf.Pdf) -> set[str]:
    """Every colour-setting operator the pages' content streams use, forms included."""
    found = set()

    def walk(holder, resources):
        for instruction in pikepdf.parse_content_stream(holder):
            if str(instruction.operator) in ("rg", "RG", "k", "K", "g", "G", "sc", "scn", "SC", "SCN"):
                found.add(str(instruction.operator))
        for xobject in resources.get("/XObject", {}).values():
            if xobject.get("/Subtype") == pikepdf.Name.Form:
                walk(xobject, xobject.get("/Resources", {}))

    for page in pdf.pages:
        walk(page, page.obj.get("/Resources", {}))
    return found


def lab_of(cmyk: list[tuple[int, int, int, int]], profile: bytes, intent: int) -> np.ndarray:
    """CIELAB (D50) of 8-bit CMYK values through the profile, as LittleCMS computes it."""
    transform = ImageCms.buildTransform(
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        ImageCms.createProfile("LAB", 5000),
        "CMYK",
        "LAB",
        intent,
    )
    image = Image.new("CMYK", (len(cmyk), 1))
    image.putdata(cmyk)
    values = np.frombuffer(ImageCms.applyTransform(image, transform).tobytes(), np.uint8).reshape(-1, 3)
    signed = values.astype(float)
    signed[:, 1:] = np.where(values[:, 1:] > 127, values[:, 1:] - 256.0, values[:, 1:])
    signed[:, 0] = signed[:, 0] * 100 / 255
    return signed


# The profile


def test_the_shipped_profile_is_a_small_cmyk_printer_profile_that_prints_the_colours_fogra_measured():
    profile = profile_bytes()
    opened = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    assert (opened.profile.device_class, opened.profile.xcolor_space.strip()) == ("prtr", "CMYK")
    cmyk, xyz = read_ti3(FOGRA39_DATA)
    measured = lab_from_xyz(xyz)
    patches = [tuple(int(round(value * 255)) for value in row) for row in cmyk]
    # The absolute intent: the paper's own colour, as measured (L* 95, b* −2).
    printed_lab = lab_of(patches, profile, ImageCms.Intent.ABSOLUTE_COLORIMETRIC)
    difference = np.linalg.norm(printed_lab - measured, axis=1)
    paper = np.all(cmyk == 0, axis=1)
    solids = np.array([sorted(row) == [0, 0, 0, 1] for row in cmyk])
    assert difference[paper].max() < 1.5, printed_lab[paper]
    assert difference[solids].max() < 2.0, (cmyk[solids], printed_lab[solids], measured[solids])
    assert difference.mean() < 1.0 and np.percentile(difference, 95) < 2.0
    assert len(zlib.compress(profile)) < 100_000  # embedded in every CMYK PDF


def test_the_profile_separates_srgb_within_the_ink_limit_and_back_to_nearly_the_same_colour():
    srgb = ImageCms.createProfile("sRGB")
    press = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes()))
    colours = [(255, 255, 255), (128, 128, 128), (200, 150, 100), (30, 60, 90), (0, 0, 0), (0, 0, 255)]
    image = Image.new("RGB", (len(colours), 1))
    image.putdata(colours)
    separated = ImageCms.applyTransform(
        image, ImageCms.buildTransform(srgb, press, "RGB", "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC)
    )
    inks = list(separated.get_flattened_data())
    assert inks[0] == (0, 0, 0, 0)  # white is the paper
    assert all(sum(ink) <= 255 * 3 + 8 for ink in inks)  # 300 % total ink
    assert inks[1][3] > 0 and inks[4][3] == 255  # grey carries black; black is solid K with colour under it
    back = ImageCms.applyTransform(
        separated, ImageCms.buildTransform(press, srgb, "CMYK", "RGB", ImageCms.Intent.RELATIVE_COLORIMETRIC)
    )
    for before, after in list(zip(colours, back.get_flattened_data(), strict=True))[:4]:
        assert max(abs(a - b) for a, b in zip(before, after, strict=True)) <= 6, (before, after)


# PDFs


@pytest.fixture
def context(app):
    with app.app_context():
        yield


def set_personalization(client, headers, product: str, **rules) -> dict:
    response = client.patch(f"/api/v1/products/{product}/personalization", json=rules, headers=headers)
    assert response.status_code == 200, response.json
    return response.json["personalization"]


def demo_project_pdf(client, demo, product: str) -> bytes:
    """The print-ready PDF of a new project on the demo product, as the render job makes it."""
    pages, identity, separation = demo_project_pages(client, demo, product)
    return render_pdf(pages, identity, separation=separation)


def demo_project_pages(client, demo, product: str) -> tuple[list[PrintPage], Identity, Separation | None]:
    """A new project on the demo product: its print pages, identity and separation."""
    started = client.post(
        "/api/v1/projects", json={"productId": product}, headers={"X-Publishable-Token": demo["publishable"]}
    )
    assert started.status_code == 201, started.json
    project = db.session.scalars(
        in_store(db.select(Project).where(Project.id == started.json["id"]), demo["store_id"])
    ).one()
    for side in client.get(f"/api/v1/products/{product}", headers=bearer(demo["secret"])).json["sides"]:
        made = client.post(
            "/api/v1/designs",
            json={"productId": product, "sideId": side["id"], "projectId": project.id},
            headers={"X-Publishable-Token": demo["publishable"]},
        )
        assert made.status_code == 201, made.json
    db.session.expire_all()
    pages = printed(project)
    separation = separation_for(pages.compositions[0][0].product)
    return pages.pages, identity_of(project, pages), separation


@pytest.mark.parametrize("product", DEMO_PRODUCTS)
def test_every_demo_product_renders_to_a_conforming_cmyk_pdfx4(client, demo, context, product):
    rules = set_personalization(client, bearer(demo["secret"]), product, colorMode="cmyk")
    assert (rules["colorMode"], rules["renderingIntent"], rules["blackTextAsK"]) == ("cmyk", "relative", True)

    data = demo_project_pdf(client, demo, product)
    pdf = read(data)

    assert pdfx4_problems(pdf) == []
    assert pdf.check_pdf_syntax() == []
    (intent,) = pdf.Root.OutputIntents
    assert intent.DestOutputProfile.N == 4 and intent.OutputConditionIdentifier == "FOGRA39"
    assert intent.DestOutputProfile.read_bytes() == profile_bytes()
    assert not colour_operators(pdf) & {"rg", "RG"}
    for page in pdf.pages:
        assert page.obj.get("/Group", {}).get("/CS") in (None, pikepdf.Name.DeviceCMYK)
    assert demo_project_pdf(client, demo, product) != data  # another project: another id
    db.session.expire_all()


def spot_marks(pdf: pikepdf.Pdf) -> tuple[dict[str, list], str]:
    """The page's Separation colour spaces (colourant → alternate and tint at 1) and its spot
    drawing: the content from the first overprinting mark on, as text."""
    [page] = pdf.pages
    spaces = {
        str(space[1])[1:]: [str(space[2]), [float(value) for value in space[3].C1]]
        for space in page.Resources.get("/ColorSpace", {}).values()
        if isinstance(space, pikepdf.Array) and space[0] == pikepdf.Name.Separation
    }
    content = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).decode("latin-1")
    return spaces, content[content.index("/PwOverprint gs") :].replace("\n", " ")


def test_the_demo_stickers_cut_contour_and_white_plate_survive_cmyk_untouched(client, demo, context):
    set_personalization(client, bearer(demo["secret"]), "die-cut-sticker", colorMode="cmyk")
    pages, identity, separation = demo_project_pages(client, demo, "die-cut-sticker")
    assert separation is not None
    cmyk = read(render_pdf(pages, identity, separation=separation))
    rgb = read(render_pdf(pages, identity))

    assert pdfx4_problems(cmyk) == []
    assert cmyk.check_pdf_syntax() == []  # qpdf --check
    assert not colour_operators(cmyk) & {"rg", "RG"}
    spaces, marks = spot_marks(cmyk)
    assert spaces["CutContour"] == ["/DeviceCMYK", [0.0, 1.0, 0.0, 0.0]]
    assert spaces["White"][0] == "/DeviceCMYK"
    assert "/PwCutContour CS 1 SCN 0.25 w" in marks and "/PwWhite cs 1 scn" in marks
    assert (spaces, marks) == spot_marks(rgb)  # the separation leaves the spot inks as they were


def test_the_same_design_in_cmyk_gives_the_same_bytes_and_a_changed_mode_a_new_input_hash(
    client, demo, context
):
    design = demo_design(client, demo)
    rgb_hash = printed(design).input_hash
    set_personalization(client, bearer(demo["secret"]), "business-card", colorMode="cmyk")
    db.session.expire_all()
    design = get_in_store(Design, design.id, demo["store_id"])
    pages = printed(design)
    assert pages.input_hash != rgb_hash
    separation = separation_for(design.product)
    first = render_pdf(pages.pages, identity_of(design, pages), separation=separation)
    again = render_pdf(pages.pages, identity_of(design, pages), separation=separation)
    assert first == again
    set_personalization(client, bearer(demo["secret"]), "business-card", renderingIntent="perceptual")
    db.session.expire_all()
    assert printed(get_in_store(Design, design.id, demo["store_id"])).input_hash != pages.input_hash


def demo_design(client, demo) -> Design:
    card = client.get("/api/v1/products/business-card", headers=bearer(demo["secret"])).json
    made = client.post(
        "/api/v1/designs",
        json={"productId": card["id"], "sideId": card["sides"][0]["id"]},
        headers={"X-Publishable-Token": demo["publishable"]},
    )
    assert made.status_code == 201, made.json
    return get_in_store(Design, made.json["id"], demo["store_id"])


def page_of(svg_body: str, width_mm: float = 60, height_mm: float = 40) -> PrintPage:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width_mm}mm" height="{height_mm}mm" viewBox="0 0 {width_mm} {height_mm}">{svg_body}</svg>'
    )
    return PrintPage(svg, width_mm, height_mm, 0)


def data_uri(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def cmyk_jpeg() -> bytes:
    """A CMYK JPEG as Photoshop (and Pillow) write one: Adobe's marker, its inks stored inverted."""
    image = Image.new("CMYK", (120, 80), (0, 230, 0, 0))  # magenta
    ImageDraw.Draw(image).rectangle((60, 0, 120, 80), fill=(0, 0, 0, 255))  # solid K
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def test_a_cmyk_jpeg_passes_through_byte_for_byte_and_prints_its_inks(tmp_path):
    jpeg = cmyk_jpeg()
    page = page_of(f'<image x="0" y="0" width="60" height="40" xlink:href="{data_uri(jpeg, "image/jpeg")}"/>')
    pdf = read(render_pdf([page], separation=default_separation(library_root())))

    (image,) = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
    assert image.read_raw_bytes() == jpeg
    assert (image.Filter, image.ColorSpace) == ("/DCTDecode", "/DeviceCMYK")
    assert list(image.Decode) == [1, 0, 1, 0, 1, 0, 1, 0]  # Adobe's inverted inks, undone
    assert pdfx4_problems(pdf) == []
    # Poppler's naive CMYK: magenta shows magenta, K shows black (not their inverses).
    shown = rasterized(render_pdf([page], separation=default_separation(library_root())), tmp_path, 72)
    magenta, black = shown.getpixel((20, 50)), shown.getpixel((140, 50))
    assert magenta[0] > 200 and magenta[1] < 60 and magenta[2] > 100, magenta
    assert max(black) < 60, black


def test_pure_black_prints_as_k_alone_unless_the_product_asks_for_rich_black():
    page = page_of('<rect width="60" height="40" fill="#fff"/><path d="M5 5h20v10H5z" fill="#000"/>')
    as_k = read(render_pdf([page], separation=default_separation(library_root())))
    content = as_k.pages[0].Contents.read_bytes()
    assert b"0 0 0 1 k" in content and b" rg" not in content

    rich = read(render_pdf([page], separation=default_separation(library_root(), black_as_k=False)))
    fills = [
        [float(value) for value in instruction.operands]
        for instruction in pikepdf.parse_content_stream(rich.pages[0])
        if str(instruction.operator) == "k"
    ]
    black = [fill for fill in fills if fill[3] > 0.9]
    assert black and all(sum(fill) > 2.5 for fill in black), fills  # colour under the black


def test_rgb_pictures_and_gradients_are_converted_keeping_a_jpegs_quality():
    photo = Image.new("RGB", (600, 400))
    draw = ImageDraw.Draw(photo)
    for row in range(400):
        draw.line([(0, row), (600, row)], fill=(40 + row // 4, 110 + row // 8, 200 - row // 3))
    jpeg = io.BytesIO()
    photo.save(jpeg, "JPEG", quality=85)
    png = io.BytesIO()
    Image.new("RGBA", (40, 40), (20, 180, 60, 128)).save(png, "PNG")
    page = page_of(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/>'
        '<stop offset="1" stop-color="#00f"/></linearGradient></defs>'
        '<rect width="60" height="40" fill="url(#g)"/>'
        f'<image width="30" height="20" xlink:href="{data_uri(jpeg.getvalue(), "image/jpeg")}"/>'
        f'<image x="30" width="10" height="10" xlink:href="{data_uri(png.getvalue(), "image/png")}"/>'
    )
    pdf = read(render_pdf([page], separation=default_separation(library_root())))

    assert pdfx4_problems(pdf) == [] and pdf.check_pdf_syntax() == []
    images = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
    converted = {str(image.Filter): image for image in images if image.ColorSpace == "/DeviceCMYK"}
    assert set(converted) == {"/DCTDecode", "/FlateDecode"}
    recoded = Image.open(io.BytesIO(converted["/DCTDecode"].read_raw_bytes()))
    assert recoded.mode == "CMYK" and recoded.size == (600, 400)
    assert recoded.quantization[0] == Image.open(jpeg).quantization[0]  # the source's quality
    (shading,) = pdf.pages[0].Resources.Shading.values()
    assert shading.ColorSpace == "/DeviceCMYK"


def test_a_product_may_keep_rgb_photos_as_they_are_in_srgb_for_the_printers_rip(client, demo, context):
    rules = set_personalization(
        client, bearer(demo["secret"]), "business-card", colorMode="cmyk", convertImages=False
    )
    assert rules["convertImages"] is False
    _, _, separation = demo_project_pages(client, demo, "business-card")
    assert separation is not None and separation.convert_images is False
    jpeg = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 40, 90)).save(jpeg, "JPEG", quality=85)
    png = io.BytesIO()
    Image.new("RGB", (40, 40), (20, 180, 60)).save(png, "PNG")
    page = page_of(
        '<rect width="60" height="40" fill="#3af"/>'
        f'<image width="30" height="20" xlink:href="{data_uri(jpeg.getvalue(), "image/jpeg")}"/>'
        f'<image x="30" width="10" height="10" xlink:href="{data_uri(png.getvalue(), "image/png")}"/>'
    )
    pdf = read(render_pdf([page], separation=separation))

    assert pdfx4_problems(pdf) == [] and pdf.check_pdf_syntax() == []
    assert not colour_operators(pdf) & {"rg", "RG"}  # the drawing is still separated
    images = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Image"]
    assert len(images) == 2
    (photo,) = [image for image in images if image.Filter == "/DCTDecode"]
    assert photo.read_raw_bytes() == jpeg.getvalue()  # the customer's bytes
    for image in images:
        space = image.ColorSpace
        assert space[0] == "/ICCBased" and space[1].N == 3
        assert space[1].read_bytes() == SRGB.profile
    assert len({image.ColorSpace[1].objgen for image in images}) == 1  # the profile in the file once


def test_a_product_prints_through_the_printer_profile_its_merchant_uploaded(client, merchant, context):
    uploaded = upload_file(client, merchant.bearer, profile_bytes(), "press.icc", purpose="color_profile")
    assert uploaded.status_code == 201, uploaded.json
    assert uploaded.json["format"] == "icc"
    product = client.post(
        "/api/v1/products",
        json={
            "name": "Card",
            "dimensionUnit": "mm",
            "sides": [{"name": "Front", "width": 85, "height": 55, "bleed": 3, "backgroundColor": "#2255aa"}],
            "personalization": {
                "colorMode": "cmyk",
                "colorProfileFileId": uploaded.json["id"],
                "renderingIntent": "perceptual",
            },
        },
        headers=merchant.bearer,
    ).json
    made = client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"]},
        headers=merchant.bearer,
    )
    design = get_in_store(Design, made.json["id"], merchant.store_id)
    separation = separation_for(design.product)
    assert (separation.rendering_intent, separation.profile) == ("perceptual", profile_bytes())
    page = print_page(design, compose_design(design, mode="print", linked_files=True))
    pdf = read(render_pdf([page], separation=separation))
    assert pdfx4_problems(pdf) == []
    assert pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes() == profile_bytes()


def test_a_file_that_is_not_a_cmyk_printer_profile_is_refused_naming_the_field(client, merchant, context):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    refused = upload_file(client, merchant.bearer, srgb, "screen.icc", purpose="color_profile")
    assert refused.status_code == 422 and refused.json["error"]["field"] == "file"
    assert "CMYK" in refused.json["error"]["message"]

    png = io.BytesIO()
    Image.new("RGB", (40, 40)).save(png, "PNG")
    not_icc = upload_file(client, merchant.bearer, png.getvalue(), "press.icc", purpose="color_profile")
    assert not_icc.status_code == 422 and "ICC profile" in not_icc.json["error"]["message"]
    as_picture = upload_file(client, merchant.bearer, profile_bytes(), "press.icc", purpose="upload")
    assert as_picture.status_code == 422 and as_picture.json["error"]["field"] == "file"
    broken = upload_file(client, merchant.bearer, profile_bytes()[:200], "press.icc", purpose="color_profile")
    assert broken.status_code == 422, broken.json

    picture = upload_file(client, merchant.bearer, png.getvalue(), "picture.png")
    assert picture.status_code == 201
    for file_id in (picture.json["id"], "fil_nope"):
        response = client.post(
            "/api/v1/products",
            json={
                "name": "Card",
                "dimensionUnit": "mm",
                "sides": [{"name": "Front", "width": 85, "height": 55}],
                "personalization": {"colorMode": "cmyk", "colorProfileFileId": file_id},
            },
            headers=merchant.bearer,
        )
        assert response.status_code == 422, response.json
        assert response.json["error"]["field"] == "personalization.colorProfileFileId"
    bad_intent = client.post(
        "/api/v1/products",
        json={"name": "Card", "dimensionUnit": "mm", "personalization": {"renderingIntent": "vivid"}},
        headers=merchant.bearer,
    )
    assert bad_intent.status_code == 422
    assert bad_intent.json["error"]["field"] == "personalization.renderingIntent"


def test_separate_leaves_a_pdf_with_no_rgb_for_any_profile_and_intent():
    page = page_of(
        '<rect width="60" height="40" fill="#3af"/><circle cx="30" cy="20" r="9" fill="#f0a" opacity=".6"/>'
    )
    drawn = render_pdf([page])
    for intent in ("perceptual", "relative", "saturation", "absolute"):
        with read(drawn) as pdf:
            separate(pdf, Separation(profile_bytes(), "FOGRA39", intent))
            assert not colour_operators(pdf) & {"rg", "RG"}


def test_the_profile_inverts_its_own_colours_within_a_few_delta_e():
    profile = profile_bytes()
    rng = np.random.default_rng(1)
    inks = rng.integers(0, 256, (3000, 4))
    inks = [tuple(int(value) for value in row) for row in inks if row.sum() <= 255 * 2.8]
    relative = ImageCms.Intent.RELATIVE_COLORIMETRIC
    wanted = lab_of(inks, profile, relative)
    to_cmyk = ImageCms.buildTransform(
        ImageCms.createProfile("LAB", 5000),
        ImageCms.ImageCmsProfile(io.BytesIO(profile)),
        "LAB",
        "CMYK",
        relative,
    )
    patches = Image.new("CMYK", (len(inks), 1))
    patches.putdata(inks)
    as_lab = ImageCms.applyTransform(
        patches,
        ImageCms.buildTransform(
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            ImageCms.createProfile("LAB", 5000),
            "CMYK",
            "LAB",
            relative,
        ),
    )
    separated = list(ImageCms.applyTransform(as_lab, to_cmyk).get_flattened_data())
    difference = np.linalg.norm(lab_of(separated, profile, relative) - wanted, axis=1)
    assert difference.mean() < 1.0 and np.percentile(difference, 95) < 3.0, difference.max()


# Soft proofs


def test_a_cmyk_products_proof_shows_an_out_of_gamut_green_as_the_press_prints_it(
    app, client, merchant, redis_url, app_config
):
    proofs = {}
    for mode in ("rgb", "cmyk"):
        product = client.post(
            "/api/v1/products",
            json={
                "name": f"Card {mode}",
                "dimensionUnit": "mm",
                "status": "publish",
                "sides": [
                    {
                        "name": "Front",
                        "width": 85,
                        "height": 55,
                        "bleed": 3,
                        "backgroundType": "color",
                        "backgroundColor": "#00ff00",
                    }
                ],
                "personalization": {"colorMode": mode},
            },
            headers=merchant.bearer,
        ).json
        made = client.post(
            "/api/v1/designs",
            json={"productId": product["id"], "sideId": product["sides"][0]["id"]},
            headers=storefront(merchant),
        )
        assert made.status_code == 201, made.json
        done = client.post(f"/api/v1/designs/{made.json['id']}/complete", headers=storefront(merchant))
        assert done.status_code == 200, done.json
        proofs[mode] = made.json["id"]
    run_worker(redis_url, app_config)

    shown = {}
    for mode, design_id in proofs.items():
        served = client.get(f"/api/v1/designs/{design_id}/proof", headers=storefront(merchant))
        assert served.status_code == 200, served.get_data(as_text=True)[:300]
        image = Image.open(io.BytesIO(served.data)).convert("RGB")
        shown[mode] = image.getpixel((image.width // 2, image.height // 2))
    assert shown["rgb"] == (0, 255, 0)
    # Offset inks cannot print sRGB's green: the soft proof shows the duller green they can.
    assert shown["cmyk"][1] < 235 and shown["cmyk"][0] + shown["cmyk"][2] > 40, shown["cmyk"]


def test_masks_patterns_and_radial_gradients_hold_no_rgb_and_a_mask_masks_as_before(tmp_path):
    page = page_of(
        '<defs><radialGradient id="r"><stop offset="0" stop-color="#ff0" stop-opacity="0.5"/>'
        '<stop offset="1" stop-color="#0ff"/></radialGradient>'
        '<pattern id="p" width="4" height="4" patternUnits="userSpaceOnUse">'
        '<rect width="2" height="2" fill="#f0f"/></pattern>'
        '<mask id="m"><rect width="60" height="40" fill="#fff"/>'
        '<circle cx="35" cy="20" r="6" fill="#000"/></mask></defs>'
        '<rect width="60" height="40" fill="url(#r)"/>'
        '<rect x="2" y="2" width="20" height="20" fill="url(#p)"/>'
        '<g mask="url(#m)"><rect x="20" y="10" width="30" height="20" fill="#000"/></g>'
    )
    rgb = read(render_pdf([page]))
    assert "DeviceRGB" in str(pdfx4_problems_for_cmyk(rgb))  # the check sees RGB in masks and patterns
    data = render_pdf([page], separation=default_separation(library_root()))
    pdf = read(data)
    assert pdfx4_problems(pdf) == [] and pdf.check_pdf_syntax() == []
    # The masked black prints where it showed in RGB, and nowhere else: the mask, made grey,
    # masks as it did.
    dark_in_rgb = rasterized(render_pdf([page]), tmp_path, 72).convert("L").point(lambda v: 255 * (v < 60))
    dark_in_cmyk = rasterized(data, tmp_path, 72).convert("L").point(lambda v: 255 * (v < 60))
    differing = ImageChops.difference(dark_in_rgb, dark_in_cmyk).histogram()[255]
    assert dark_in_rgb.histogram()[255] > 1000 and differing < 0.01 * dark_in_rgb.width * dark_in_rgb.height


def pdfx4_problems_for_cmyk(pdf: pikepdf.Pdf) -> list[str]:
    """The check's complaints about an RGB-drawn file were its output intent CMYK."""
    profile = pdf.make_stream(profile_bytes())
    profile.N = 4
    pdf.Root.OutputIntents[0].DestOutputProfile = profile
    return pdfx4_problems(pdf)


def test_a_converted_photo_is_stored_once_and_a_new_worker_writes_the_stored_bytes(client, demo, context):
    set_personalization(client, bearer(demo["secret"]), "business-card", colorMode="cmyk")
    separation = separation_for(demo_design(client, demo).product)
    photo = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 40, 90)).save(photo, "JPEG", quality=85)
    page = page_of(f'<image width="60" height="40" xlink:href="{data_uri(photo.getvalue(), "image/jpeg")}"/>')

    def printed_photo() -> bytes:
        pdf = read(render_pdf([page], separation=separation))
        (image,) = pdf.pages[0].Resources.XObject.values()
        assert (image.Filter, image.ColorSpace) == ("/DCTDecode", "/DeviceCMYK")
        return image.read_raw_bytes()

    converted = printed_photo()
    (key,) = storage().keys(f"{demo['store_id']}/separated/")
    assert key.endswith(".jpg") and storage().read(key) == converted
    assert printed_photo() == converted and storage().keys(f"{demo['store_id']}/separated/") == [key]
    # A worker that never converted it (its own cache empty) writes what storage holds.
    stored = io.BytesIO()
    Image.new("CMYK", (300, 200), (0, 200, 60, 10)).save(stored, "JPEG", quality=85)
    storage().save(key, stored.getvalue(), "image/jpeg")
    cmyk._cache.clear()
    assert printed_photo() == stored.getvalue()


def test_colour_operators_are_separated_alike_whether_a_stream_is_scanned_or_parsed():
    def page_with(content: bytes) -> pikepdf.Pdf:
        pdf = pikepdf.new()
        pdf.add_blank_page(page_size=(100, 100))
        pdf.pages[0].Contents = pdf.make_stream(content)
        return pdf

    drawing = b"q 0.2 0.4 0.6 rg 0 0 10 10 re f /DeviceRGB CS 1 .5 0 SC 0 0 m 5 5 l S 0 0 0 RG S Q\n"
    scanned = page_with(drawing)  # numbers, names and operators: cairo's own streams
    parsed = page_with(drawing + b"BT /F1 9 Tf (0 0 1 rg) Tj ET\n")  # a string: pikepdf parses it
    for pdf in (scanned, parsed):
        separate(pdf, default_separation(library_root()))
    operations = [
        [
            (
                str(item.operator),
                [
                    float(value) if isinstance(value, int | float | Decimal) else str(value)
                    for value in item.operands
                ],
            )
            for item in pikepdf.parse_content_stream(pdf.pages[0])
        ]
        for pdf in (scanned, parsed)
    ]
    assert operations[1][: len(operations[0])] == operations[0]
    colours = [operation for operation in operations[0] if operation[0] in ("k", "K", "CS", "SC")]
    assert [name for name, _ in colours] == ["k", "CS", "SC", "K"] and colours[1][1] == ["/DeviceCMYK"]
    assert colours[3][1] == [0, 0, 0, 1] and len(colours[0][1]) == len(colours[2][1]) == 4
    assert b"(0 0 1 rg) Tj" in parsed.pages[0].Contents.read_bytes()  # what the string says stays
