"""The demo catalog `make run` seeds: a business card, a mug wrap, a t-shirt, a flyer, a die-cut
sticker (its die line a contour 3 mm around the artwork, printed in the CutContour spot colour,
with a white-ink underprint for clear vinyl) and a canvas print (the mug and the canvas in 3D:
demo/previews3d.py).

Everything goes through the same schemas and services as the API, so the demo is exactly what a
merchant could build with it. Seeding is idempotent: a product whose slug the store already has
is left alone (a merchant may have changed it).

Its text layers keep the default `autoFit` (they shrink to fit their boxes), and each box holds
its layer's `maxChars` of typical text at the smallest size (tests/test_copyfitting.py checks every
template), so a customer typing up to a limit never meets text that does not fit: the card back's
Company takes its 30 characters at about 13 pt, the mug's Message its 24 at about 37 pt.
"""

from pathlib import Path

from designer.demo.previews3d import seed_demo_3d
from designer.extensions import db
from designer.files.service import upload_file
from designer.products.models import Product
from designer.products.schemas import ProductCreate
from designer.products.service import create_product
from designer.templates.schemas import TemplateCreate
from designer.templates.service import create_template
from designer.tenancy import in_store

MOCKUPS = Path(__file__).parent / "mockups"

WHITE_BACKGROUND = {"backgroundType": "color", "backgroundColor": "#ffffff", "backgroundPrinted": True}


def _text(name: str, text: str, x: float, y: float, width: float, height: float, size_pt: float, **extra):
    return {
        "type": "text",
        "name": name,
        "text": text,
        "x": x,
        "y": y,
        "width": width,
        "height": height,
        "fontFamily": extra.pop("font", "Roboto"),
        "fontSize": size_pt,
        "color": extra.pop("color", "#1d232b"),
        **extra,
    }


def _shape(name: str, shape: str, x: float, y: float, width: float, height: float, fill: str | None, **extra):
    return {
        "type": "shape",
        "name": name,
        "shape": shape,
        "x": x,
        "y": y,
        "width": width,
        "height": height,
        "fill": fill,
        **extra,
    }


# Each product: its API body, and per side (by position) the templates' API bodies without sideId.
# Mockup sides name a file under mockups/ in "mockup"; it is uploaded and its id filled in.
DEMO_PRODUCTS: list[tuple[dict, list[list[dict]]]] = [
    (
        {
            "name": "Business card",
            "slug": "business-card",
            "description": "85 × 55 mm, printed both sides on 350 g silk.",
            "dimensionUnit": "mm",
            "dpi": 300,
            "personalization": {"minImageDpi": 250, "allowedFileTypes": ["jpg", "png", "pdf", "svg"]},
            "sides": [
                {
                    "name": "Front",
                    "width": 85,
                    "height": 55,
                    "bleed": 3,
                    "safeZone": 4,
                    "cutLineMargin": 0,
                    **WHITE_BACKGROUND,
                },
                {"name": "Back", "width": 85, "height": 55, "bleed": 3, "safeZone": 4, **WHITE_BACKGROUND},
            ],
        },
        [
            [
                {
                    "name": "Classic",
                    "isDefault": True,
                    "layers": [
                        # Into the bleed on the three edges it runs along (3 mm), so cutting
                        # leaves no white strip beside it: the check before print `stops_at_trim`.
                        _shape(
                            "Accent bar",
                            "rect",
                            -3,
                            -3,
                            9,
                            61,
                            "#0b5cad",
                            locked={"move": True, "edit": True, "delete": True},
                        ),
                        _text(
                            "Name",
                            "Alex Morgan",
                            12,
                            14,
                            66,
                            9,
                            14,
                            font="Montserrat",
                            rules={"maxChars": 40, "required": True},
                        ),
                        _text(
                            "Title",
                            "Studio Manager",
                            12,
                            24,
                            66,
                            6,
                            8.5,
                            color="#5b6572",
                            rules={"maxChars": 50},
                        ),
                        _text(
                            "Contact",
                            "+44 20 7946 0958\nalex@example.com",
                            12,
                            36,
                            66,
                            12,
                            7.5,
                            lineHeight=1.4,
                        ),
                    ],
                }
            ],
            [
                {
                    "name": "Logo back",
                    "isDefault": True,
                    "layers": [
                        _shape("Panel", "rect", -3, -3, 91, 61, "#0b5cad"),
                        _text(
                            "Company",
                            "Morgan & Co.",
                            8,
                            22,
                            69,
                            11,
                            18,
                            font="Playfair Display",
                            color="#ffffff",
                            align="center",
                            rules={"maxChars": 30},
                        ),
                    ],
                }
            ],
        ],
    ),
    (
        {
            "name": "Mug wrap",
            "slug": "mug-wrap",
            "description": "11 oz ceramic mug, printed all around (200 × 90 mm wrap).",
            "dimensionUnit": "mm",
            "dpi": 300,
            "sides": [
                {
                    "name": "Wrap",
                    "width": 200,
                    "height": 90,
                    "bleed": 2,
                    "safeZone": 5,
                    "cutLineMargin": 0,
                    "mockup": "mug.svg",
                    "designArea": {"x": 200, "y": 240, "width": 700, "height": 315},
                },
            ],
        },
        [
            [
                {
                    "name": "Big words",
                    "isDefault": True,
                    "layers": [
                        _text(
                            "Message",
                            "Best Dad Ever",
                            20,
                            28,
                            160,
                            24,
                            40,
                            font="Pacifico",
                            align="center",
                            color="#a4161a",
                            rules={"maxChars": 24, "required": True},
                        ),
                        _shape(
                            "Underline", "line", 60, 60, 80, 1, "#a4161a", stroke="#a4161a", strokeWidth=1
                        ),
                    ],
                }
            ]
        ],
    ),
    (
        {
            "name": "T-shirt",
            "slug": "t-shirt",
            "description": "Cotton tee, direct-to-garment print front and back (300 × 400 mm print area).",
            "dimensionUnit": "mm",
            "dpi": 300,
            "personalization": {"minImageDpi": 150},
            "sides": [
                {
                    "name": "Front",
                    "width": 300,
                    "height": 400,
                    "bleed": 0,
                    "safeZone": 10,
                    "showCutLine": False,
                    "mockup": "t-shirt-front.svg",
                    "designArea": {"x": 330, "y": 220, "width": 340, "height": 453},
                },
                {
                    "name": "Back",
                    "width": 300,
                    "height": 400,
                    "bleed": 0,
                    "safeZone": 10,
                    "showCutLine": False,
                    "mockup": "t-shirt-back.svg",
                    "designArea": {"x": 330, "y": 200, "width": 340, "height": 453},
                },
            ],
        },
        [
            [
                {
                    "name": "Team name",
                    "isDefault": True,
                    "layers": [
                        _shape("Badge", "ellipse", 75, 40, 150, 150, "#1f6f3f"),
                        _text(
                            "Team",
                            "WILDCATS",
                            30,
                            210,
                            240,
                            50,
                            96,
                            font="Oswald",
                            align="center",
                            rules={"maxChars": 14, "required": True},
                        ),
                    ],
                }
            ],
            [
                {
                    "name": "Name and number",
                    "isDefault": True,
                    "layers": [
                        _text(
                            "Player",
                            "MORGAN",
                            30,
                            40,
                            240,
                            40,
                            72,
                            font="Oswald",
                            align="center",
                            rules={"maxChars": 12},
                        ),
                        _text(
                            "Number",
                            "10",
                            60,
                            100,
                            180,
                            160,
                            400,
                            font="Oswald",
                            align="center",
                            rules={"maxChars": 2},
                        ),
                    ],
                }
            ],
        ],
    ),
    (
        {
            "name": "A5 flyer",
            "slug": "a5-flyer",
            "description": "148 × 210 mm, single-sided on 170 g gloss.",
            "dimensionUnit": "mm",
            "dpi": 300,
            "personalization": {"minImageDpi": 250},
            "sides": [
                {"name": "Front", "width": 148, "height": 210, "bleed": 3, "safeZone": 5, **WHITE_BACKGROUND}
            ],
        },
        [
            [
                {
                    "name": "Event",
                    "isDefault": True,
                    "layers": [
                        _shape("Header", "rect", -3, -3, 154, 73, "#0b5cad"),
                        _text(
                            "Headline",
                            "Summer Fair",
                            12,
                            18,
                            124,
                            24,
                            40,
                            font="Playfair Display",
                            color="#ffffff",
                            rules={"maxChars": 30, "required": True},
                        ),
                        _text("Date", "Saturday 12 July · 10am–4pm", 12, 48, 124, 10, 14, color="#ffffff"),
                        _text(
                            "Details",
                            "Food, music and games for all the family.\nFree entry.",
                            12,
                            90,
                            124,
                            40,
                            14,
                            lineHeight=1.5,
                        ),
                    ],
                }
            ]
        ],
    ),
    (
        {
            "name": "Die-cut sticker",
            "slug": "die-cut-sticker",
            "description": "70 × 70 mm clear vinyl sticker with a white underprint, cut to shape 3 mm "
            "around its artwork.",
            "dimensionUnit": "mm",
            "dpi": 300,
            "personalization": {"minImageDpi": 250},
            "sides": [
                {
                    "name": "Front",
                    "width": 70,
                    "height": 70,
                    "bleed": 2,
                    "safeZone": 3,
                    "showCutLine": False,
                    "dieLine": "contour",
                    "dieLineOffset": 3,
                }
            ],
        },
        [
            [
                {
                    "name": "Badge",
                    "isDefault": True,
                    "layers": [
                        _shape(
                            "White underprint",
                            "ellipse",
                            8,
                            14,
                            54,
                            42,
                            "#ffffff",
                            ink={"name": "White", "only": True},
                            locked={"move": True, "edit": True, "delete": True},
                        ),
                        _shape(
                            "Badge",
                            "ellipse",
                            8,
                            14,
                            54,
                            42,
                            "#f4a300",
                            locked={"move": True, "edit": False, "delete": True},
                        ),
                        _text(
                            "Message",
                            "Hello!",
                            14,
                            27,
                            42,
                            16,
                            28,
                            font="Pacifico",
                            align="center",
                            rules={"maxChars": 12, "required": True},
                        ),
                    ],
                }
            ]
        ],
    ),
    (
        {
            "name": "Canvas print",
            "slug": "canvas-print",
            "description": "40 × 30 cm canvas on 2 cm stretcher bars, the picture wrapped around its edges.",
            "dimensionUnit": "cm",
            "dpi": 150,
            "sides": [
                {"name": "Front", "width": 40, "height": 30, "bleed": 0, "safeZone": 2.5, **WHITE_BACKGROUND}
            ],
        },
        [
            [
                {
                    "name": "Sunset",
                    "isDefault": True,
                    "layers": [
                        _shape("Sky", "rect", 0, 0, 400, 300, "#f4a259"),
                        _shape("Sun", "ellipse", 150, 90, 100, 100, "#f9dc5c"),
                        _shape("Sea", "rect", 0, 190, 400, 110, "#1d4e89"),
                        _text(
                            "Caption", "Summer 2026", 60, 215, 280, 50, 60, color="#ffffff", align="center"
                        ),
                    ],
                },
            ]
        ],
    ),
]


def seed_demo_catalog(store_id: str) -> list[Product]:
    """Add the demo products (with sides, mockups and templates) the store does not have yet.

    Flushes, never commits. Returns the products added.
    """
    existing = set(db.session.scalars(in_store(db.select(Product.slug), store_id)))
    added = []
    for body, templates_by_side in DEMO_PRODUCTS:
        if body["slug"] in existing:
            continue
        product = create_product(store_id, ProductCreate.model_validate(_with_mockups(store_id, body)))
        for side, templates in zip(product.sides, templates_by_side, strict=True):
            for template in templates:
                create_template(store_id, TemplateCreate.model_validate({**template, "sideId": side.id}))
        added.append(product)
    seed_demo_3d(store_id)
    return added


def _with_mockups(store_id: str, body: dict) -> dict:
    """The product body with each side's mockup file uploaded and referenced by id."""
    sides = []
    for side in body["sides"]:
        side = dict(side)
        if "mockup" in side:
            name = side.pop("mockup")
            mockup = upload_file(
                store_id,
                filename=name,
                data=(MOCKUPS / name).read_bytes(),
                purpose="mockup",
                uploaded_by="account",
            )
            side["mockupFileId"] = mockup.id
        sides.append(side)
    return {**body, "sides": sides}
