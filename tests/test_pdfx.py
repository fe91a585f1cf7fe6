"""PDF/X-4: every demo product renders to a file the PDF/X-4 check accepts and qpdf reads without
a complaint, and the check itself refuses files that fall short (so its "no problems" means
something)."""

import io
from datetime import UTC, datetime

import pikepdf
import pytest

from designer.designs.models import Design
from designer.extensions import db
from designer.projects.models import Project
from designer.rendering.pdf import render_pdf
from designer.rendering.pdfx import PDFX_VERSION, SRGB, Identity, OutputIntent, mark_pdfx4, pdfx4_problems
from designer.rendering.renders import identity_of, printed
from designer.tenancy import in_store
from tests.factories import bearer

DEMO_PRODUCTS = ["business-card", "mug-wrap", "t-shirt", "a5-flyer", "die-cut-sticker", "canvas-print"]


def read(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


@pytest.fixture
def context(app):
    with app.app_context():
        yield


def demo_project_pdf(client, demo, product: str) -> bytes:
    """The print-ready PDF of a new project on the demo product, as the render job makes it."""
    started = client.post(
        "/api/v1/projects", json={"productId": product}, headers={"X-Publishable-Token": demo["publishable"]}
    )
    assert started.status_code == 201, started.json
    project = db.session.scalars(
        in_store(db.select(Project).where(Project.id == started.json["id"]), demo["store_id"])
    ).one()
    sides = client.get(f"/api/v1/products/{product}", headers=bearer(demo["secret"])).json["sides"]
    for side in sides:
        made = client.post(
            "/api/v1/designs",
            json={"productId": product, "sideId": side["id"], "projectId": project.id},
            headers={"X-Publishable-Token": demo["publishable"]},
        )
        assert made.status_code == 201, made.json
    db.session.expire_all()
    pages = printed(project)
    return render_pdf(pages.pages, identity_of(project, pages))


@pytest.mark.parametrize("product", DEMO_PRODUCTS)
def test_every_demo_product_renders_to_a_conforming_rgb_pdfx4(client, demo, context, product):
    pdf = read(demo_project_pdf(client, demo, product))

    assert pdfx4_problems(pdf) == []
    assert pdf.check_pdf_syntax() == []  # qpdf's own check (`qpdf --check`)
    assert pdf.pdf_version == "1.6"
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFX" and intent.OutputConditionIdentifier == "sRGB IEC61966-2.1"
    profile = intent.DestOutputProfile.read_bytes()
    assert profile == SRGB.profile and profile[16:20] == b"RGB " and intent.DestOutputProfile.N == 3
    xmp = pdf.Root.Metadata.read_bytes().decode()
    assert f"<pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>" in xmp
    assert pdf.docinfo.Trapped == "/False" and "<pdf:Trapped>False</pdf:Trapped>" in xmp
    title = str(pdf.docinfo.Title)
    assert title.endswith(str(pdf.docinfo.Title).split(" – ")[-1]) and title.split(" – ")[-1].startswith(
        "prj_"
    )
    assert f">{title}</rdf:li>" in xmp
    for page in pdf.pages:
        assert "/TrimBox" in page.obj and "/BleedBox" in page.obj


def test_the_pdf_is_dated_by_its_newest_design_and_the_same_design_gives_the_same_bytes(
    client, demo, context
):
    first = demo_project_pdf(client, demo, "business-card")
    pdf = read(first)
    project_id = str(pdf.docinfo.Title).split(" – ")[-1]
    designs = db.session.scalars(
        in_store(db.select(Design).where(Design.project_id == project_id), demo["store_id"])
    )
    newest = max(design.updated_at for design in designs)
    assert pdf.docinfo.ModDate == newest.strftime("D:%Y%m%d%H%M%S+00'00'")
    assert len(pdf.pages) == 2  # the card's front and back
    project = db.session.scalars(
        in_store(db.select(Project).where(Project.id == project_id), demo["store_id"])
    ).one()
    pages = printed(project)
    assert render_pdf(pages.pages, identity_of(project, pages)) == first


# The check refuses what falls short


def plain_pdf(operators: bytes = b"0 0 1 rg 0 0 10 10 re f") -> pikepdf.Pdf:
    """A one-page PDF with a trim box, drawn with `operators`, not yet PDF/X."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    page = pdf.pages[0]
    page.obj.TrimBox = pikepdf.Array([5, 5, 95, 95])
    page.obj.BleedBox = pikepdf.Array([0, 0, 100, 100])
    page.obj.Contents = pdf.make_stream(operators)
    return pdf


def saved(pdf: pikepdf.Pdf, version: str = "1.6") -> pikepdf.Pdf:
    output = io.BytesIO()
    pdf.save(output, force_version=version, deterministic_id=True)
    return read(output.getvalue())


MARKED = Identity("Test", datetime(2026, 1, 2, tzinfo=UTC))


def test_a_marked_pdf_conforms_and_an_unmarked_one_is_told_what_it_lacks():
    marked = plain_pdf()
    mark_pdfx4(marked, MARKED, SRGB, "0" * 64)
    assert pdfx4_problems(saved(marked)) == []

    problems = pdfx4_problems(saved(plain_pdf()))
    assert "the file has 0 PDF/X output intents; it needs exactly one" in problems
    assert "the file has no XMP metadata" in problems
    assert "the document information's /Trapped is not True or False" in problems
    assert "the document information has no Title" in problems


def test_the_check_refuses_colour_that_is_not_the_output_intents():
    cmyk_on_rgb = plain_pdf(b"0 0 0 1 k 0 0 10 10 re f")
    mark_pdfx4(cmyk_on_rgb, MARKED, SRGB, "0" * 64)
    assert pdfx4_problems(saved(cmyk_on_rgb)) == [
        "page 1: it paints in DeviceCMYK, but the output intent is DeviceRGB"
    ]

    cmyk_profile = bytearray(SRGB.profile)
    cmyk_profile[16:20] = b"CMYK"
    cmyk_profile[12:16] = b"prtr"
    cmyk = OutputIntent(bytes(cmyk_profile), 4, "FOGRA39", "Coated FOGRA39")
    rgb_on_cmyk = plain_pdf()
    mark_pdfx4(rgb_on_cmyk, MARKED, cmyk, "0" * 64)
    assert pdfx4_problems(saved(rgb_on_cmyk)) == [
        "page 1: it paints in DeviceRGB, but the output intent is DeviceCMYK"
    ]


def test_the_check_refuses_a_newer_pdf_boxes_out_of_order_and_a_profile_that_is_not_one():
    late = plain_pdf()
    mark_pdfx4(late, MARKED, SRGB, "0" * 64)
    assert pdfx4_problems(saved(late, "1.7")) == ["the file is PDF 1.7; PDF/X-4 is PDF 1.6 at most"]

    boxes = plain_pdf()
    boxes.pages[0].obj.TrimBox = pikepdf.Array([-5, 5, 95, 95])
    mark_pdfx4(boxes, MARKED, SRGB, "0" * 64)
    assert pdfx4_problems(saved(boxes)) == [
        "page 1: its TrimBox is not inside its BleedBox, inside its MediaBox"
    ]

    fake = plain_pdf()
    mark_pdfx4(fake, MARKED, OutputIntent(b"not a profile", 3, "x", "x"), "0" * 64)
    assert pdfx4_problems(saved(fake)) == ["the output intent's profile is not an ICC profile"]
