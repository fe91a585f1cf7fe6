"""Request and response schemas for accounts, stores and tokens."""

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, EmailStr, Field, StringConstraints, field_validator

from designer.api.schemas import ListQuery, Out, Page, Schema, Timestamp
from designer.api.scopes import SCOPES, check_scopes

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# The pattern documents the policy for API clients (services.check_password_policy enforces it
# with a message per missing rule); every password it matches passes the policy.
_PASSWORD_PATTERN = r"^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*[!-/:-@\[-`{-~]).{8,}$"
Password = Annotated[
    str, StringConstraints(max_length=256), Field(json_schema_extra={"pattern": _PASSWORD_PATTERN})
]
Scope = Literal[SCOPES]
RateLimit = Annotated[int, Field(ge=1, le=1_000_000, description="Requests per minute per token")]


class AccountCreate(Schema):
    name: Name
    email: EmailStr
    password: Password = Field(
        description="At least 8 characters with an upper-case letter, a lower-case letter, "
        "a digit and a symbol"
    )


class AccountUpdate(Schema):
    name: Name | None = None
    email: EmailStr | None = None
    password: Password | None = None


class AccountOut(Out):
    id: str
    name: str
    email: str
    created_at: Timestamp
    updated_at: Timestamp


MAX_SHOP_ORIGINS = 20


_ORIGIN = re.compile(r"(https?)://([a-z0-9.-]+)(?::([0-9]{1,5}))?/?", re.IGNORECASE)
_HOST_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


def _origin(value: str) -> str:
    """An origin as a browser writes it (scheme://host[:port], lower case), or ValueError for
    anything else: a path, a query, credentials, a wildcard, another scheme."""
    match = _ORIGIN.fullmatch(value)
    if (
        match is None
        or not all(_HOST_LABEL.fullmatch(label) for label in match[2].lower().split("."))
        or (match[3] is not None and not 0 < int(match[3]) < 65536)
    ):
        raise ValueError(
            "must be an origin such as https://shop.example: http or https, a host, and a port at most"
        )
    port = f":{int(match[3])}" if match[3] is not None else ""
    return f"{match[1].lower()}://{match[2].lower()}{port}"


def _split_words(value):
    # A form sends a list in one field, separated by spaces, commas or lines.
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return [word for item in value for word in re.split(r"[\s,]+", item) if word]
    return value


ShopOrigin = Annotated[str, StringConstraints(max_length=300), AfterValidator(_origin)]
ShopOrigins = Annotated[
    list[ShopOrigin],
    BeforeValidator(_split_words),
    Field(
        max_length=MAX_SHOP_ORIGINS,
        description="The shop's origins (https://shop.example) that may show the customer's editor in a "
        "frame; [] for none",
    ),
]


MAX_BRAND_COLORS = 12


_HEX_COLOR = re.compile(r"#[0-9a-f]{6}", re.IGNORECASE)


def _brand_color(value: str) -> str:
    """A colour as #rrggbb (lower case), or ValueError for anything else."""
    if not _HEX_COLOR.fullmatch(value):
        raise ValueError("must be a colour as #rrggbb, such as #0b5cad")
    return value.lower()


BrandColor = Annotated[str, StringConstraints(max_length=7), AfterValidator(_brand_color)]
BrandColors = Annotated[
    list[BrandColor],
    BeforeValidator(_split_words),
    Field(
        max_length=MAX_BRAND_COLORS,
        description="The store's colours as #rrggbb, the first its accent on the customer's pages "
        "(also the editor's brand swatches); [] for none",
    ),
]
LogoFileId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    Field(description="The store's logo (fil_…): one of the store's own images; null for none"),
]
ColorProfileFileId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    Field(
        description="The printer's ICC profile (fil_…, a file of purpose color_profile) that the store's "
        "CMYK products print through unless they name their own; null: FOGRA39, which Presswork ships"
    ),
]


class StoreCreate(Schema):
    name: Name
    rate_limit_per_minute: RateLimit | None = None
    shop_origins: ShopOrigins | None = None
    brand_colors: BrandColors | None = None
    logo_file_id: LogoFileId | None = None


class StoreUpdate(Schema):
    name: Name | None = None
    rate_limit_per_minute: RateLimit | None = None
    shop_origins: ShopOrigins | None = None
    require_approval: bool | None = Field(
        None, description="Orders print only proofs the customer (or you, for them) approved"
    )
    brand_colors: BrandColors | None = None
    logo_file_id: LogoFileId | None = None
    color_profile_file_id: ColorProfileFileId | None = None


class StoreOut(Out):
    id: str
    name: str
    publishable_token: str
    rate_limit_per_minute: int = Field(description="Requests per minute allowed to each token")
    shop_origins: list[str] = Field(description="The shop's origins that may show the editor in a frame")
    brand_colors: list[str] = Field(description="The store's colours (#rrggbb), the first its accent")
    logo_file_id: str | None = Field(description="The store's logo (an image file of the store), or null")
    color_profile_file_id: str | None = Field(
        description="The printer's ICC profile CMYK products print through unless they name their own; "
        "null: FOGRA39"
    )
    require_approval: bool = Field(
        description="Whether an order's line must name an approved proof (a changed design always needs "
        "a new approval once it was approved)"
    )
    created_at: Timestamp
    updated_at: Timestamp


class StorePage(Page[StoreOut]):
    pass


class PublishableTokenOut(Out):
    publishable_token: str


class TokenCreate(Schema):
    name: Name
    scopes: list[Scope] = Field(
        min_length=1,
        max_length=len(SCOPES),
        description='["full"] alone, or any other scopes together (each allows what it names)',
    )

    @field_validator("scopes")
    @classmethod
    def _full_alone(cls, scopes: list[str]) -> list[str]:
        return check_scopes(scopes)


class TokenOut(Out):
    id: str
    name: str
    scopes: list[str]
    hint: str = Field(description="The secret's last characters, to tell tokens apart")
    created_at: Timestamp
    last_used_at: Timestamp | None
    revoked_at: Timestamp | None


class TokenPage(Page[TokenOut]):
    pass


class TokenWithSecret(TokenOut):
    token: str | None = Field(
        description="The secret (sk_…). Shown this once; only its hash is kept, so an "
        "Idempotency-Key replay answers null here (rotate the token for a new secret)",
        json_schema_extra={"x-secret": True},
    )


class TokenListQuery(ListQuery):
    status: Literal["active", "revoked"] | None = Field(None, description="Only active or revoked tokens")
