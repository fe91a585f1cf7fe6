"""Product operations. Callers own the transaction: these flush, never commit; each change records
its event (product.created, product.updated, product.deleted) in the same transaction, with the
product as the API shows it.

Who sees what: the public (anonymous callers naming the store, publishable tokens) sees published
products and their published sides; secret tokens and the account see every status.
"""

from sqlalchemy import Select, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from designer.categories.models import Category
from designer.errors import Conflict, Forbidden, NotFound, ValidationFailed
from designer.events import record_event
from designer.extensions import db
from designer.library.models import Font
from designer.models import utcnow
from designer.products import sides as side_services
from designer.products.models import Product, Side, product_categories
from designer.products.present import product_out
from designer.products.schemas import (
    Personalization,
    PersonalizationUpdate,
    ProductCreate,
    ProductFilters,
    ProductUpdate,
)
from designer.products.urls import editor_url  # noqa: F401  (one place for the editor's address)
from designer.references import color_profile_file, image_file, in_store_or_invalid
from designer.slugs import check_slug, name_or_slug_contains, unique_slug
from designer.tenancy import in_store

PUBLIC_STATUS = "publish"


# Reading


def variant_choices(product: Product) -> list[tuple[str, str]]:
    """(id, name) of the store's variant products `product` may be an option of, by name."""
    statement = (
        db.select(Product.id, Product.name)
        .where(Product.type == "variant", Product.id != product.id)
        .order_by(Product.name)
    )
    return [(row.id, row.name) for row in db.session.execute(in_store(statement, product.store_id))]


def find_product(store_id: str, id_or_slug: str, *, public: bool = False) -> Product:
    """The store's product with this id (prd_…) or slug.

    Raises NotFound for another store's, a missing one, and (when `public`) an unpublished one.
    """
    statement = db.select(Product).where(or_(Product.id == id_or_slug, Product.slug == id_or_slug))
    if public:
        statement = statement.where(Product.status == PUBLIC_STATUS)
    product = db.session.scalars(in_store(statement, store_id)).first()
    if product is None:
        raise NotFound(f"No product with id or slug '{id_or_slug}'")
    return product


def find_product_or_invalid(store_id: str, id_or_slug: str, field: str, *, public: bool = False) -> Product:
    """The product (id or slug) a request body names in `field`. Raises ValidationFailed naming
    `field` where `find_product` would raise NotFound."""
    try:
        return find_product(store_id, id_or_slug, public=public)
    except NotFound:
        raise ValidationFailed(
            f"Field '{field}': no product with id or slug '{id_or_slug}' in this store", field=field
        ) from None


def products_query(store_id: str, filters: ProductFilters, *, public: bool = False) -> Select:
    """The store's products matching `filters`, with their sides and categories loaded.

    Raises Forbidden naming `status` when a public caller asks for drafts or trashed products.
    """
    statement = db.select(Product).options(selectinload(Product.sides), selectinload(Product.categories))
    if public:
        if filters.status not in (None, PUBLIC_STATUS):
            raise Forbidden(
                f"Field 'status': {filters.status} products are listed only for a secret token or the "
                "account; the public sees published ones",
                field="status",
            )
        statement = statement.where(Product.status == PUBLIC_STATUS)
    elif filters.status is not None:
        statement = statement.where(Product.status == filters.status)
    if filters.q:
        statement = statement.where(name_or_slug_contains(Product, filters.q))
    if filters.category_id is not None:
        statement = statement.where(
            Product.id.in_(
                db.select(product_categories.c.product_id).where(
                    product_categories.c.category_id == filters.category_id
                )
            )
        )
    if filters.type is not None:
        statement = statement.where(Product.type == filters.type)
    if filters.parent_id is not None:
        statement = statement.where(Product.parent_id == filters.parent_id)
    return in_store(statement, store_id)


def visible_sides(product: Product, *, public: bool) -> list[Side]:
    """The product's sides in order: only the published ones for the public."""
    return [side for side in product.sides if not public or side.status == PUBLIC_STATUS]


# Writing


def create_product(store_id: str, fields: ProductCreate) -> Product:
    """A new product with its sides, categories and personalization rules.

    Raises ValidationFailed naming the field (a bad reference, a side that cannot be printed:
    `sides.0.safeZone`), Conflict naming `slug` for a slug the store already uses.
    """
    slug = (
        check_slug(Product, store_id, fields.slug, "slug")
        if fields.slug is not None
        else unique_slug(Product, store_id, fields.name)
    )
    product = Product(
        store_id=store_id,
        slug=slug,
        name=fields.name,
        description=fields.description,
        status=fields.status,
        type=fields.type,
        dimension_unit=fields.dimension_unit,
        dpi=fields.dpi,
        meta=fields.metadata,
    )
    _set_parent(product, fields.type, fields.parent_id)
    product.categories = _categories(store_id, fields.category_ids)
    if fields.image_file_id is not None:
        product.image_file_id = image_file(fields.image_file_id, store_id, "imageFileId").id
    product.personalization = _checked_personalization(store_id, fields.personalization)
    db.session.add(product)
    _flush_slug(slug)
    for index, side_fields in enumerate(fields.sides):
        side_services.create_side(product, side_fields, prefix=f"sides.{index}.")
    record_event(store_id, "product.created", product_out(product).to_json())
    return product


def update_product(product: Product, changes: ProductUpdate) -> Product:
    """Change the fields given. `personalization` changes the rules it names; `categoryIds`
    replaces the categories; null clears `parentId` and `imageFileId`.

    Raises ValidationFailed naming the field, Conflict naming `slug` for a taken slug and `type`
    for a variant that still has options.
    """
    given = changes.model_fields_set
    before = product_out(product).to_json()
    store_id = product.store_id
    for name in ("name", "description", "status", "dimension_unit", "dpi"):
        if name in given and getattr(changes, name) is not None:
            setattr(product, name, getattr(changes, name))
    if "metadata" in given and changes.metadata is not None:
        product.meta = changes.metadata
    if "slug" in given and changes.slug is not None and changes.slug != product.slug:
        product.slug = check_slug(Product, store_id, changes.slug, "slug", exclude_id=product.id)
    if {"type", "parent_id"} & given:
        _change_type(product, changes)
    if "category_ids" in given and changes.category_ids is not None:
        product.categories = _categories(store_id, changes.category_ids)
    if "image_file_id" in given:
        file_id = changes.image_file_id
        product.image_file_id = image_file(file_id, store_id, "imageFileId").id if file_id else None
    if "personalization" in given and changes.personalization is not None:
        product.personalization = _merged_personalization(
            product, changes.personalization, "personalization."
        )
    _flush_slug(product.slug)
    _record_update(product, before)
    return product


def update_personalization(product: Product, changes: PersonalizationUpdate) -> Product:
    """Change the personalization rules given, keeping the others.

    Raises ValidationFailed naming the field (`allowedFontIds.0` for a font not in the store).
    """
    before = product_out(product).to_json()
    product.personalization = _merged_personalization(product, changes, prefix="")
    db.session.flush()
    _record_update(product, before)
    return product


def delete_product(product: Product) -> str:
    """Delete the product, its sides, templates and (for a variant) its options; returns its id.

    Raises Conflict naming `id` when customers' designs were made on it or its options: they would
    lose the sides they print on. Trash it instead (status trashed), which hides it from the public.
    """
    family = [product, *_options_of(product)]
    designs = side_services.design_count(product.store_id, product_ids=[member.id for member in family])
    if designs:
        raise Conflict(
            f"Product '{product.id}' has {designs} design(s); set its status to trashed instead of "
            "deleting it",
            field="id",
        )
    for member in reversed(family):
        data = product_out(member).to_json()
        for side, side_data in zip(list(member.sides), data["sides"], strict=True):
            db.session.delete(side)
            record_event(member.store_id, "side.deleted", side_data)
        db.session.delete(member)
        db.session.flush()
        record_event(member.store_id, "product.deleted", data)
    return product.id


# Rules


def _set_parent(product: Product, product_type: str, parent_id: str | None) -> None:
    """Raises ValidationFailed naming `parentId` unless a variant option has a variant parent of
    this store and nothing else has a parent."""
    if product_type != "variant_option":
        if parent_id is not None:
            raise ValidationFailed(
                "Field 'parentId': only a product of type variant_option has a parent", field="parentId"
            )
        product.parent_id = None
        return
    if parent_id is None:
        raise ValidationFailed(
            "Field 'parentId' is required for a product of type variant_option", field="parentId"
        )
    parent = in_store_or_invalid(Product, parent_id, product.store_id, "parentId", "product")
    if parent.id == product.id:
        raise ValidationFailed("Field 'parentId': a product cannot be its own parent", field="parentId")
    if parent.type != "variant":
        raise ValidationFailed(
            f"Field 'parentId': product '{parent_id}' is of type {parent.type}; a variant option's parent "
            "must be of type variant",
            field="parentId",
        )
    product.parent_id = parent.id


def _change_type(product: Product, changes: ProductUpdate) -> None:
    """Raises Conflict naming `type` when a variant with options would stop being one."""
    new_type = changes.type if changes.type is not None else product.type
    if product.type == "variant" and new_type != "variant" and _options_of(product):
        raise Conflict(
            f"Product '{product.id}' has variant options; delete or move them before changing its type",
            field="type",
        )
    if "parent_id" in changes.model_fields_set:
        parent_id = changes.parent_id
    else:  # a product that stops being an option leaves its parent; one that stays keeps it
        parent_id = product.parent_id if new_type == "variant_option" else None
    _set_parent(product, new_type, parent_id)
    product.type = new_type


def _options_of(product: Product) -> list[Product]:
    statement = db.select(Product).where(Product.parent_id == product.id)
    return list(db.session.scalars(in_store(statement, product.store_id)))


def _categories(store_id: str, category_ids: list[str]) -> list[Category]:
    """Raises ValidationFailed naming `categoryIds.N` for an id that is not one of the store's categories."""
    unique = list(dict.fromkeys(category_ids))
    return [
        in_store_or_invalid(Category, category_id, store_id, f"categoryIds.{index}", "category")
        for index, category_id in enumerate(unique)
    ]


def _checked_personalization(store_id: str, rules: Personalization, prefix: str = "personalization.") -> dict:
    """The rules as stored. Raises ValidationFailed naming `…allowedFontIds.N` for a font not in the
    store, `…colorProfileFileId` for a file that is not the store's or not a CMYK ICC profile."""
    for index, font_id in enumerate(rules.allowed_font_ids):
        in_store_or_invalid(Font, font_id, store_id, f"{prefix}allowedFontIds.{index}", "font")
    if rules.color_profile_file_id is not None:
        color_profile_file(rules.color_profile_file_id, store_id, f"{prefix}colorProfileFileId")
    return rules.to_json()


def _merged_personalization(product: Product, changes: PersonalizationUpdate, prefix: str) -> dict:
    current = Personalization.model_validate(product.personalization or {})
    updates = {name: getattr(changes, name) for name in changes.model_fields_set}
    # Null keeps a rule, but for the printer profile it is a choice: the store's default.
    updates = {
        name: value for name, value in updates.items() if value is not None or name == "color_profile_file_id"
    }
    merged = Personalization.model_validate(current.model_dump() | updates)
    return _checked_personalization(product.store_id, merged, prefix)


def _flush_slug(slug: str) -> None:
    # check_slug saw the slug free; a concurrent request may have taken it since.
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(f"Another product of this store has the slug '{slug}'", field="slug") from None


def _record_update(product: Product, before: dict) -> None:
    """Record product.updated when the product, as the API shows it, changed; then it was updated
    now, even when only its categories (another table) changed."""
    after = product_out(product).to_json()
    if {k: v for k, v in before.items() if k != "updatedAt"} == {
        k: v for k, v in after.items() if k != "updatedAt"
    }:
        return
    product.updated_at = utcnow()
    db.session.flush()
    record_event(product.store_id, "product.updated", product_out(product).to_json())
