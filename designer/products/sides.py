"""Side operations and the geometry rules a printable side must keep.

Sizes arrive in the product's dimension unit and are kept in millimetres. Callers own the
transaction: these flush, never commit; each change records its event (side.created, …) in the
same transaction. Every rule broken is a ValidationFailed naming the body field, prefixed with
where the side sits in the body (`sides.0.safeZone`).
"""

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from sqlalchemy import Select

from designer.errors import Conflict, NotFound, ValidationFailed
from designer.events import delete_recorded, record_event
from designer.extensions import db
from designer.products.models import Product, Side
from designer.products.present import side_out
from designer.products.schemas import SideFields, SideFilters, SideUpdate
from designer.references import image_file
from designer.tenancy import in_store
from designer.units import from_mm, to_mm

MIN_TRIM_MM = 1.0
MAX_TRIM_MM = 5000.0
MAX_BLEED_MM = 50.0
MAX_DIE_LINE_OFFSET_MM = 20.0

# Body fields whose value is a length in the product's unit, and the column that keeps it in mm.
_LENGTHS = {
    "width": "width_mm",
    "height": "height_mm",
    "bleed": "bleed_mm",
    "safe_zone": "safe_zone_mm",
    "cut_line_margin": "cut_line_mm",
    "die_line_radius": "die_line_radius_mm",
    "die_line_offset": "die_line_offset_mm",
}
# Body fields kept as they are.
_PLAIN = (
    "name",
    "status",
    "show_safe_zone",
    "show_cut_line",
    "die_line",
    "background_type",
    "background_color",
    "background_file_id",
    "background_printed",
    "overlay_file_id",
    "show_overlay",
    "overlay_printed",
    "mockup_file_id",
    "scale",
)


@dataclass(frozen=True)
class Geometry:
    """What the rules look at, in millimetres and mockup pixels."""

    width_mm: float
    height_mm: float
    bleed_mm: float = 0.0
    safe_zone_mm: float = 0.0
    cut_line_mm: float = 0.0
    die_line_radius_mm: float = 0.0
    die_line_offset_mm: float = 0.0
    background_type: str = "transparent"
    background_color: str | None = None
    background_file_id: str | None = None
    overlay_file_id: str | None = None
    mockup_file_id: str | None = None
    design_area: dict | None = None

    @classmethod
    def of(cls, side: Side) -> "Geometry":
        return cls(**{field.name: getattr(side, field.name) for field in fields(cls)})


def check_geometry(geometry: Geometry, unit: str, store_id: str, given: set[str], prefix: str = "") -> None:
    """Raises ValidationFailed naming the field when the side cannot be printed as described.

    The trim is 1-5000 mm a side, the bleed at most 50 mm, the safe zone leaves room inside the
    trim, the cut line lies within the bleed, a die line's corner radius fits the trim and its
    contour offset is at most 20 mm, a colour or image background has its colour or
    image, files are the store's images, and a design area needs a mockup and lies inside it.
    `given` holds the body's field names (camelCase), so a rule that two fields break together
    blames the one the request changed.
    """

    def fail(field: str, message: str):
        raise ValidationFailed(f"Field '{prefix}{field}' {message}", field=prefix + field)

    def blame(preferred: str, *others: str) -> str:
        if preferred in given:
            return preferred
        return next((other for other in others if other in given), preferred)

    def size(mm: float) -> str:
        return f"{from_mm(mm, unit):.4f}".rstrip("0").rstrip(".") + f" {unit}"

    for field, value_mm in (("width", geometry.width_mm), ("height", geometry.height_mm)):
        if not MIN_TRIM_MM <= value_mm <= MAX_TRIM_MM:
            fail(field, f"must be between {size(MIN_TRIM_MM)} and {size(MAX_TRIM_MM)}")
    if geometry.bleed_mm > MAX_BLEED_MM:
        fail("bleed", f"must be at most {size(MAX_BLEED_MM)}")
    shorter_mm = min(geometry.width_mm, geometry.height_mm)
    if 2 * geometry.safe_zone_mm >= shorter_mm:
        fail(
            blame("safeZone", "width", "height"),
            f"leaves no room: a safe-zone margin of {size(geometry.safe_zone_mm)} on each edge must be "
            f"less than half the trim's shorter side ({size(shorter_mm)})",
        )
    if geometry.cut_line_mm > geometry.bleed_mm:
        fail(
            blame("cutLineMargin", "bleed"),
            f"puts the cut line outside the bleed: the cut-line margin ({size(geometry.cut_line_mm)}) "
            f"must be at most the bleed ({size(geometry.bleed_mm)})",
        )
    if 2 * geometry.die_line_radius_mm > shorter_mm:
        fail(
            blame("dieLineRadius", "width", "height"),
            f"is too large: a corner radius of {size(geometry.die_line_radius_mm)} must be at most half "
            f"the trim's shorter side ({size(shorter_mm)})",
        )
    if geometry.die_line_offset_mm > MAX_DIE_LINE_OFFSET_MM:
        fail("dieLineOffset", f"must be at most {size(MAX_DIE_LINE_OFFSET_MM)}")
    if geometry.background_type == "color" and not geometry.background_color:
        fail("backgroundColor", "is required when backgroundType is color")
    if geometry.background_type == "image" and not geometry.background_file_id:
        fail("backgroundFileId", "is required when backgroundType is image")
    for field in ("backgroundFileId", "overlayFileId"):
        file_id = getattr(geometry, _snake(field))
        if file_id is not None and field in given:
            image_file(file_id, store_id, prefix + field)
    _check_mockup(geometry, store_id, given, prefix, fail)


def _check_mockup(geometry: Geometry, store_id: str, given: set[str], prefix: str, fail) -> None:
    mockup = None
    if geometry.mockup_file_id is not None:
        mockup = image_file(geometry.mockup_file_id, store_id, prefix + "mockupFileId")
    area = geometry.design_area
    if area is None:
        return
    if mockup is None:
        fail("designArea", "needs a mockup: set mockupFileId too")
    if mockup.width_px and area["x"] + area["width"] > mockup.width_px:
        fail(
            "designArea",
            f"runs past the mockup's right edge: x + width = {area['x'] + area['width']:g} px, "
            f"the mockup is {mockup.width_px} px wide",
        )
    if mockup.height_px and area["y"] + area["height"] > mockup.height_px:
        fail(
            "designArea",
            f"runs past the mockup's bottom edge: y + height = {area['y'] + area['height']:g} px, "
            f"the mockup is {mockup.height_px} px high",
        )


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


# Reading


def find_side(store_id: str, side_id: str, *, public: bool = False) -> Side:
    """The store's side `side_id`. Raises NotFound for another store's, a missing one, and (when
    `public`) one that is not published or whose product is not."""
    statement = db.select(Side).where(Side.id == side_id)
    if public:
        statement = _published(statement)
    side = db.session.scalars(in_store(statement, store_id)).first()
    if side is None:
        raise NotFound(f"No side with id '{side_id}'")
    return side


def find_product_side(store_id: str, product_id: str, side_id: str) -> Side:
    """The store's side `side_id` of the product `product_id` (its id or slug). Raises NotFound
    for a side of another product too."""
    side = find_side(store_id, side_id)
    if product_id not in (side.product_id, side.product.slug):
        raise NotFound(f"No side with id '{side_id}' on product '{product_id}'")
    return side


def sides_query(store_id: str, filters: SideFilters, *, public: bool = False) -> Select:
    """The store's sides matching `filters` (only published sides of published products when `public`)."""
    statement = db.select(Side)
    if filters.product_id is not None:
        statement = statement.where(Side.product_id == filters.product_id)
    if filters.status is not None:
        statement = statement.where(Side.status == filters.status)
    if public:
        statement = _published(statement)
    return in_store(statement, store_id)


def _published(statement: Select) -> Select:
    return statement.join(Product, Product.id == Side.product_id).where(
        Side.status == "publish", Product.status == "publish"
    )


# Writing


def create_side(product: Product, fields_in: SideFields, prefix: str = "") -> Side:
    """A new side of `product`, sized in the product's unit, placed last unless a position is given.

    Raises ValidationFailed naming the field (prefixed with `prefix`) for geometry that cannot be
    printed or a reference to a file that is not one of the store's images.
    """
    unit = product.dimension_unit
    values = _values_in_mm(fields_in, set(SideFields.model_fields), unit)
    geometry = Geometry(**{k: v for k, v in values.items() if k in Geometry.__dataclass_fields__})
    given = {_camel(name) for name in fields_in.model_fields_set}
    check_geometry(geometry, unit, product.store_id, given, prefix)
    position = fields_in.position if fields_in.position is not None else _next_position(product)
    side = Side(store_id=product.store_id, product=product, position=position, **values)
    db.session.add(side)
    db.session.flush()
    record_event(product.store_id, "side.created", side_out(side).to_json())
    return side


def update_side(side: Side, changes: SideUpdate, prefix: str = "") -> Side:
    """Change the fields given (sizes in the product's unit); null clears the optional references.

    Raises ValidationFailed naming the field when the resulting side breaks a geometry rule.
    """
    unit = side.product.dimension_unit
    given_fields = {name for name in changes.model_fields_set if name != "position"}
    values = _values_in_mm(changes, given_fields, unit)
    geometry = replace(
        Geometry.of(side), **{k: v for k, v in values.items() if k in Geometry.__dataclass_fields__}
    )
    check_geometry(geometry, unit, side.store_id, {_camel(name) for name in given_fields}, prefix)
    before = side_out(side).to_json()
    for name, value in values.items():
        setattr(side, name, value)
    if changes.position is not None:
        side.position = changes.position
    db.session.flush()
    after = side_out(side).to_json()
    if _changed(before, after):
        record_event(side.store_id, "side.updated", after)
    return side


def delete_side(side: Side) -> None:
    """Delete the side and its templates.

    Raises Conflict when customers' designs were made on it: they would lose the side they print
    on; trash the side (status trashed) instead, which hides it from the storefront.
    """
    designs = design_count(side.store_id, side_id=side.id)
    if designs:
        raise Conflict(
            f"Side '{side.id}' has {designs} design(s); set its status to trashed instead of deleting it",
            field="id",
        )
    delete_recorded(side, "side.deleted", side_out(side))


def reorder_sides(product: Product, side_ids: list[str]) -> list[Side]:
    """Put the product's sides in the order of `side_ids`, which must name each of them once.

    Raises ValidationFailed naming `sideIds` (or the item) otherwise.
    """
    sides = {side.id: side for side in product.sides}
    for index, side_id in enumerate(side_ids):
        if side_id not in sides:
            raise ValidationFailed(
                f"Field 'sideIds.{index}': no side '{side_id}' on this product", field=f"sideIds.{index}"
            )
    if len(set(side_ids)) != len(side_ids) or set(side_ids) != set(sides):
        raise ValidationFailed(
            "Field 'sideIds' must name every side of the product exactly once", field="sideIds"
        )
    moved = []
    for position, side_id in enumerate(side_ids):
        if sides[side_id].position != position:
            sides[side_id].position = position
            moved.append(sides[side_id])
    db.session.flush()
    for side in moved:
        record_event(side.store_id, "side.updated", side_out(side).to_json())
    db.session.expire(product, ["sides"])
    return list(product.sides)


def _values_in_mm(body: SideFields, names: set[str], unit: str) -> dict:
    values = {}
    for name in names:
        value = getattr(body, name)
        if name in _LENGTHS:
            values[_LENGTHS[name]] = to_mm(value, unit)
        elif name == "design_area":
            values["design_area"] = value.model_dump() if value is not None else None
        elif name in _PLAIN:
            values[name] = value
    return values


def _next_position(product: Product) -> int:
    statement = db.select(db.func.max(Side.position)).where(Side.product_id == product.id)
    highest = db.session.scalar(in_store(statement, product.store_id))
    return 0 if highest is None else highest + 1


# Designs are made on products and sides and sit above them: the designs room hands products its
# count at start (create_app), so products never imports designs.
_design_counts: list[Callable[..., int]] = []


def register_design_count(count: Callable[..., int]) -> None:
    """Hands products the count of a store's designs made on some products or on a side:
    `count(store_id, product_ids=..., side_id=...)`. The last one registered is used."""
    _design_counts[:] = [count]


def design_count(store_id: str, *, product_ids: list[str] | None = None, side_id: str | None = None) -> int:
    """How many of the store's designs were made on these products, or on this side."""
    (count,) = _design_counts
    return count(store_id, product_ids=product_ids, side_id=side_id)


def _changed(before: dict, after: dict) -> bool:
    ignore = {"updatedAt"}
    return {k: v for k, v in before.items() if k not in ignore} != {
        k: v for k, v in after.items() if k not in ignore
    }
