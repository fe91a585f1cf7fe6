"""Category operations: the shelves products (and clipart) are filed on. Callers own the
transaction: these flush, never commit."""

from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError

from designer.categories.models import Category
from designer.categories.schemas import CategoryCreate, CategoryFilters, CategoryUpdate
from designer.errors import Conflict, NotFound, ValidationFailed
from designer.extensions import db
from designer.references import in_store_or_invalid
from designer.slugs import check_slug, name_or_slug_contains, unique_slug
from designer.tenancy import in_store


def find_category(store_id: str, category_id: str) -> Category:
    """The store's category `category_id`. Raises NotFound for another store's or a missing one."""
    statement = db.select(Category).where(Category.id == category_id)
    category = db.session.scalars(in_store(statement, store_id)).first()
    if category is None:
        raise NotFound(f"No category with id '{category_id}'")
    return category


def all_categories_of(store_id: str) -> list[Category]:
    """Every category of the store, by name (what a product's form offers)."""
    return db.session.scalars(in_store(db.select(Category).order_by(Category.name), store_id)).all()


def categories_query(store_id: str, filters: CategoryFilters) -> Select:
    """The store's categories matching `filters`."""
    statement = db.select(Category)
    if filters.q:
        statement = statement.where(name_or_slug_contains(Category, filters.q))
    if filters.parent_id is not None:
        statement = statement.where(Category.parent_id == filters.parent_id)
    return in_store(statement, store_id)


def create_category(store_id: str, fields: CategoryCreate) -> Category:
    """A new category. Raises ValidationFailed naming `parentId` for a parent not in the store,
    Conflict naming `slug` for a slug the store already uses."""
    slug = (
        check_slug(Category, store_id, fields.slug, "slug")
        if fields.slug is not None
        else unique_slug(Category, store_id, fields.name)
    )
    category = Category(store_id=store_id, name=fields.name, slug=slug, description=fields.description)
    if fields.parent_id is not None:
        category.parent_id = in_store_or_invalid(
            Category, fields.parent_id, store_id, "parentId", "category"
        ).id
    db.session.add(category)
    _flush_slug(slug)
    return category


def update_category(category: Category, changes: CategoryUpdate) -> Category:
    """Change the fields given; null clears `parentId`.

    Raises ValidationFailed naming `parentId` for a parent not in the store or one that would make
    a loop, Conflict naming `slug` for a taken slug.
    """
    given = changes.model_fields_set
    for name in ("name", "description"):
        if name in given and getattr(changes, name) is not None:
            setattr(category, name, getattr(changes, name))
    if "slug" in given and changes.slug is not None and changes.slug != category.slug:
        category.slug = check_slug(Category, category.store_id, changes.slug, "slug", exclude_id=category.id)
    if "parent_id" in given:
        category.parent_id = _parent(category, changes.parent_id)
    _flush_slug(category.slug)
    return category


def delete_category(category: Category) -> None:
    """Delete the category. Its products and clipart stay, unfiled from it; its children move to the top."""
    db.session.delete(category)
    db.session.flush()


def _parent(category: Category, parent_id: str | None) -> str | None:
    if parent_id is None:
        return None
    parent = in_store_or_invalid(Category, parent_id, category.store_id, "parentId", "category")
    ancestor = parent
    for _ in range(1000):  # the depth a store could reach, and then some
        if ancestor.id == category.id:
            raise ValidationFailed(
                f"Field 'parentId': category '{parent_id}' is inside this one; a category cannot be its "
                "own ancestor",
                field="parentId",
            )
        if ancestor.parent_id is None:
            break
        ancestor = find_category(category.store_id, ancestor.parent_id)
    return parent.id


def _flush_slug(slug: str) -> None:
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(f"Another category of this store has the slug '{slug}'", field="slug") from None
