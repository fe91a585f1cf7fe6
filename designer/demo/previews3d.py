"""The demo catalog in 3D: the mug wrap on a GLB mug (designer/previews3d/mug.py, made here from
numbers and validated at once), and the canvas print with wrapped edges 2 cm deep.

Idempotent like the catalog: a product that already has a 3D profile is left alone.
"""

from designer.errors import NotFound
from designer.extensions import db
from designer.previews3d.mug import WRAP_MATERIAL, mug_glb
from designer.previews3d.schemas import MappingPut, ProfilePut
from designer.previews3d.service import find_profile, put_mapping, put_profile, upload_model, validate_now
from designer.products.models import Product
from designer.tenancy import in_store

MUG_SLUG, CANVAS_SLUG = "mug-wrap", "canvas-print"


def seed_demo_3d(store_id: str) -> None:
    """Give the demo mug its model and mapping and the canvas print its edge profile, where the
    store has those products without a profile (flush, no commit)."""
    mug, canvas = _product(store_id, MUG_SLUG), _product(store_id, CANVAS_SLUG)
    if mug is not None and not _has_profile(mug):
        model = validate_now(upload_model(store_id, filename="demo-mug.glb", data=mug_glb(), name="Demo mug"))
        put_profile(mug, ProfilePut(mode="model", model_id=model.id))
        put_mapping(mug.sides[0], MappingPut(model_id=model.id, material_name=WRAP_MATERIAL))
    if canvas is not None and not _has_profile(canvas):
        put_profile(canvas, ProfilePut(mode="edge", edge_style="wrap", edge_depth=2, edge_depth_unit="cm"))


def _product(store_id: str, slug: str) -> Product | None:
    return db.session.scalars(in_store(db.select(Product).where(Product.slug == slug), store_id)).first()


def _has_profile(product: Product) -> bool:
    try:
        find_profile(product.store_id, product.id)
    except NotFound:
        return False
    return True
