"""The 3D rows: a store's GLB models, a side's mapping onto a model, a product's 3D profile.

A mapping's and a profile's `config_version` count their render-affecting changes: a preview
cached under one version is never served for another.
"""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped

# A model's life: stored (`uploaded`), its validation job queued (`queued`) and running
# (`validating`), then `active` (a viewer may show it) or `invalid` (`validation_error` says why).
UPLOADED, QUEUED, VALIDATING, ACTIVE, INVALID = "uploaded", "queued", "validating", "active", "invalid"
MODEL_STATUSES = (UPLOADED, QUEUED, VALIDATING, ACTIVE, INVALID)

MODEL_MODE, EDGE_MODE = "model", "edge"
PROFILE_MODES = (MODEL_MODE, EDGE_MODE)
WRAP, MIRROR, SOLID_COLOR = "wrap", "mirror", "solid_color"
EDGE_STYLES = (WRAP, MIRROR, SOLID_COLOR)


class Model3D(StoreOwned, Timestamped, db.Model):
    """A GLB file a merchant uploaded, kept in storage under `storage_key`. Deleting one only sets
    `deleted_at` (mappings and profiles made before may still name it)."""

    __tablename__ = "models_3d"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("model_3d"))
    name: Mapped[str] = mapped_column(String(255))
    filename: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default=UPLOADED, index=True)
    validation_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What the validator read: meshes, primitives, materials, textures and their sizes.
    validation_report: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    validator_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    validated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)


class SideMapping(StoreOwned, Timestamped, db.Model):
    """Where a side's design lies on a model: a material of the model (or a named surface), the UV
    region it covers, and its transform (offset, scale, rotation), one per side."""

    __tablename__ = "side_3d_mappings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("mapping_3d"))
    side_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("sides.id", ondelete="CASCADE"), unique=True, index=True
    )
    model_id: Mapped[str] = mapped_column(String(32), ForeignKey("models_3d.id"), index=True)
    material_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    surface_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # {"u", "v", "width", "height"} in UV space (0..1): the part of the texture the design covers.
    uv_region: Mapped[dict] = mapped_column(JSON)
    # {"offsetX", "offsetY", "scaleX", "scaleY", "rotationDeg"}: the design on that region.
    transform: Mapped[dict] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    config_version: Mapped[int] = mapped_column(Integer, default=1)

    model: Mapped[Model3D] = relationship(lazy="joined")


class Profile3D(StoreOwned, Timestamped, db.Model):
    """How a product is shown in 3D: on a GLB model (mode `model`, each side through its mapping)
    or as a canvas print with procedural edges (mode `edge`). One per product; deleting it only
    sets `deleted_at`, and making it again restores it with its version bumped."""

    __tablename__ = "product_3d_profiles"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("profile_3d"))
    product_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("products.id", ondelete="CASCADE"), unique=True, index=True
    )
    mode: Mapped[str] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    model_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("models_3d.id"), nullable=True, index=True
    )
    edge_style: Mapped[str] = mapped_column(String(16), default=WRAP)
    edge_color: Mapped[str] = mapped_column(String(16), default="#ffffff")
    # The edge's depth in `edge_depth_unit` (the product's dimension unit unless said otherwise).
    edge_depth: Mapped[float] = mapped_column(Float, default=20.0)
    edge_depth_unit: Mapped[str] = mapped_column(String(8), default="mm")
    config_version: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    model: Mapped[Model3D | None] = relationship(lazy="joined")
