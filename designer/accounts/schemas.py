"""Request and response schemas for accounts, stores and tokens."""

from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints

from designer.accounts.scopes import SCOPES
from designer.api.schemas import ListQuery, Page, Schema, Timestamp

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


class AccountOut(Schema):
    id: str
    name: str
    email: str
    created_at: Timestamp
    updated_at: Timestamp


class StoreCreate(Schema):
    name: Name
    rate_limit_per_minute: RateLimit | None = None


class StoreUpdate(Schema):
    name: Name | None = None
    rate_limit_per_minute: RateLimit | None = None


class StoreOut(Schema):
    id: str
    name: str
    publishable_token: str
    rate_limit_per_minute: int = Field(description="Requests per minute allowed to each token")
    created_at: Timestamp
    updated_at: Timestamp


class StorePage(Page[StoreOut]):
    pass


class PublishableTokenOut(Schema):
    publishable_token: str


class TokenCreate(Schema):
    name: Name
    scopes: list[Scope] = Field(min_length=1, max_length=len(SCOPES))


class TokenOut(Schema):
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
