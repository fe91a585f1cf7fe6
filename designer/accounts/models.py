"""Account, Store and ApiToken tables."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped


class Account(UserMixin, Timestamped, db.Model):
    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("account"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))

    stores: Mapped[list["Store"]] = relationship(
        back_populates="account", order_by="Store.id", cascade="all, delete-orphan"
    )


class Store(Timestamped, db.Model):
    """A tenant: everything a merchant sells and every order lives in one store."""

    __tablename__ = "stores"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("store"))
    account_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # The publishable token is public by design (it ships in storefront pages), so it is kept
    # in clear to be shown again; renewing it replaces it.
    publishable_token: Mapped[str] = mapped_column(String(64), unique=True)
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The shop's origins ("https://shop.example") that may show the customer's editor in a frame;
    # None or [] for none (the editor is then framed by no other site).
    shop_origins: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    # Orders print only proofs the customer (or the merchant for them) approved (approvals/).
    require_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The store's look on its customer pages: its brand colours ("#rrggbb", the first is the
    # accent; also the editor's brand swatches) and its logo (an image file of the store).
    brand_colors: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    logo_file_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The printer's ICC profile (a color_profile file of the store) that CMYK products print
    # through unless they name their own; None: the FOGRA39 profile Presswork ships.
    color_profile_file_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The store's integration with its shop: `shop_url`, `platform` (shopify, woocommerce,
    # magento), and the keys of the services the editor may call for it (`google_fonts_key`,
    # `unsplash_key`, `pixabay_key`, `pexels_key`), which are secrets: never shown in clear
    # (accounts/service.py `integration_of`). None until one is set.
    integration: Mapped[dict | None] = mapped_column(JSON, nullable=True)

    account: Mapped[Account] = relationship(back_populates="stores")
    tokens: Mapped[list["ApiToken"]] = relationship(
        order_by="ApiToken.id", cascade="all, delete-orphan", passive_deletes=True
    )


class ApiToken(StoreOwned, Timestamped, db.Model):
    """A secret API token. Only its SHA-256 is kept; the secret is shown once, at creation."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("token"))
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The last four characters, so a merchant can tell tokens apart without the secret.
    secret_hint: Mapped[str] = mapped_column(String(8))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
