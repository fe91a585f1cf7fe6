"""Request and response schemas for orders and their line items.

Shape is checked here; what depends on the store (that the projects and designs a line item
names are the store's, and belong together) is checked by orders/service.py, which answers 422
naming the field too.
"""

from datetime import UTC, datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, EmailStr, Field, StringConstraints, field_validator

from designer.api.schemas import ListQuery, Out, Page, RefId, Schema, StoreId, Timestamp
from designer.approvals.schemas import ApprovalOut
from designer.designs.schemas import DesignOut
from designer.editing.schemas import RenderCheck
from designer.products.schemas import Metadata

OrderStatus = Literal["pending", "paid", "in_production", "shipped", "cancelled"]
ProductionStage = Literal["queue", "press", "finishing", "done"]
RenderState = Literal["none", "queued", "rendering", "done", "failed"]

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Notes = Annotated[str, StringConstraints(max_length=20_000)]
Personalization = Annotated[
    dict[
        Annotated[str, StringConstraints(min_length=1, max_length=100)],
        Annotated[str, StringConstraints(max_length=2_000)] | int | float | bool | None,
    ],
    Field(
        max_length=50,
        description="What the customer chose or typed in the storefront (names, options): "
        "up to 50 keys with short text, number or boolean values",
    ),
]


class Customer(Schema):
    """Who ordered. All optional, but an order is easier to find with an email."""

    id: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = Field(
        None, description="The customer's id in your shop (cus_…): `customerId` in events"
    )
    email: EmailStr | None = None
    name: ShortText | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None

    @field_validator("email")
    @classmethod
    def _lower_case(cls, value: str | None) -> str | None:
        return value.lower() if value else value


def _http_url(value: str) -> str:
    """An absolute http(s) URL with a host, or ValueError: the order page links it, and a
    `javascript:` or `data:` link would run in the merchant's dashboard when clicked."""
    try:
        parts = urlsplit(value)
        is_web_address = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # a malformed port or IPv6 literal
        is_web_address = False
    if not is_web_address or not value.isprintable() or " " in value:
        raise ValueError("must be an http or https URL, such as https://carrier.example/track/123")
    return value


TrackingUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2_000), AfterValidator(_http_url)
]


class Shipping(Schema):
    """Where and how the order ships; tracking is filled in when it does."""

    name: ShortText | None = None
    company: ShortText | None = None
    address1: ShortText | None = None
    address2: ShortText | None = None
    city: ShortText | None = None
    region: ShortText | None = None
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    country: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2, to_upper=True)] | None = (
        Field(None, description="ISO 3166-1 alpha-2 code")
    )
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    method: ShortText | None = Field(None, description="The shipping method the customer chose")
    carrier: ShortText | None = None
    tracking_number: ShortText | None = None
    tracking_url: TrackingUrl | None = Field(
        None, description="The carrier's tracking page: an http or https URL (the order page links it)"
    )


class LineItemCreate(Schema):
    sku: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    name: ShortText = ""
    quantity: int = Field(ge=1, le=1_000_000, description="How many to print (a positive integer)")
    project_id: RefId | None = Field(
        None, description="The customer's project (prj_…); its designs are the line's designs"
    )
    design_ids: list[RefId] = Field(
        default_factory=list,
        max_length=50,
        description="The designs (des_…) to print; with projectId, they must be that project's",
    )
    product_id: RefId | None = Field(
        None, description="The product (prd_… or slug); default: the project's or the designs' product"
    )
    personalization: Personalization = Field(default_factory=dict)


class OrderCreate(Schema):
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None = (
        Field(None, description="Your order number (unique in the store); default: made from the id")
    )
    status: Literal["pending", "paid"] = Field(
        "pending", description="paid when the storefront has taken payment: the order goes to production"
    )
    customer: Customer = Field(default_factory=Customer)
    shipping: Shipping = Field(default_factory=Shipping)
    line_items: list[LineItemCreate] = Field(min_length=1, max_length=100)
    internal_notes: Notes = ""
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True)] | None = None
    total_amount: int | None = Field(None, ge=0, description="The order's total in minor units (cents)")
    metadata: Metadata = Field(default_factory=dict)


class OrderUpdate(Schema):
    """The fields to change; those left out keep their value. `shipping`, `customer` and
    `metadata` are replaced as a whole."""

    status: OrderStatus = Field(
        None,
        description="pending → paid → in_production → shipped; pending, paid or in_production → "
        "cancelled. Shipping needs productionStage done. Other moves answer 409 with the reason",
    )
    production_stage: ProductionStage = Field(
        None,
        description="queue → press → finishing → done (any stage may be picked, e.g. to go back), "
        "only while the order is paid or in_production; leaving queue puts a paid order in_production",
    )
    shipping: Shipping = None
    customer: Customer = None
    internal_notes: Notes = None
    metadata: Metadata = None


class RenderOut(Out):
    """Where a print-ready PDF of the line is: its latest render (reading an order starts none)."""

    owner_id: str = Field(description="The project (one PDF, a page per side) or the design rendered")
    status: RenderState = Field(description="none until a render is asked for at pdfUrl")
    render_id: str | None
    pdf_url: str = Field(description="GET it: 200 the PDF when rendered, 202 while rendering (starts it)")
    error: str | None = None
    checks: list[RenderCheck] = Field(
        default_factory=list, description="What the checks before print found on the render (warnings)"
    )


class LineItemOut(Out):
    id: str
    sku: str
    name: str
    quantity: int
    product_id: str | None
    project_id: str | None
    design_ids: list[str]
    approval_id: str | None = Field(description="The approved proof the line prints (null: none)")
    personalization: dict


class LineItemDetail(LineItemOut):
    designs: list[DesignOut] = Field(description="The designs printed, with their layers and proof URLs")
    renders: list[RenderOut] = Field(
        description="The print-ready PDF of the line's project, or of each design when it names no project; "
        "for a line bound to an approved proof, that proof's PDF (at printUrl)"
    )
    approval: ApprovalOut | None = Field(description="The approved proof the line prints, with its SHA-256")
    print_url: str | None = Field(
        description="GET it: the approved PDF, exactly its approved bytes (null: no approved proof)"
    )


class OrderOut(Out):
    id: str
    number: str
    status: OrderStatus
    production_stage: ProductionStage
    customer: Customer
    shipping: Shipping
    internal_notes: str
    currency: str | None
    total_amount: int | None
    metadata: dict
    line_items: list[LineItemOut]
    next_statuses: list[OrderStatus] = Field(description="The statuses the order may move to now")
    paid_at: Timestamp | None
    shipped_at: Timestamp | None
    cancelled_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp


class OrderDetail(OrderOut):
    """An order with its personalization details."""

    line_items: list[LineItemDetail]


class OrderPage(Page[OrderOut]):
    pass


class OrderFilters(Schema):
    store_id: StoreId = None
    status: OrderStatus | None = Field(None, description="Only orders with this status")
    production_stage: ProductionStage | None = Field(None, description="Only orders at this stage")
    customer: str | None = Field(
        None, max_length=254, description="Only this customer's orders: their id in your shop, or email"
    )
    product_id: str | None = Field(None, max_length=64, description="Only orders with a line of this product")
    created_after: datetime | None = Field(None, description="Only orders created at or after (ISO 8601)")
    created_before: datetime | None = Field(None, description="Only orders created before (ISO 8601)")
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = Field(
        None, description="Text search over the order number and the customer's name and email"
    )

    @field_validator("created_after", "created_before")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # a time without a zone is UTC, as every time here
        return value

    @field_validator(
        "status",
        "production_stage",
        "customer",
        "product_id",
        "created_after",
        "created_before",
        "q",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value):
        # A dashboard filter form sends "" for "any".
        return None if value == "" else value


class OrderListQuery(ListQuery, OrderFilters):
    pass
