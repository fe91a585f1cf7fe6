"""Templates: a merchant's starting designs for a side, with lock and rule flags on their layers.

Callers own the transaction: these flush, never commit. Every change records its event
(template.created, template.updated, template.deleted) in the same transaction, with the template
as the API shows it.

One template per side may be the default, the one a customer starts from: making a template the
default unsets the others on its side (each of those records template.updated too), and a
trashed template is never the default.
"""

from sqlalchemy.exc import IntegrityError

from designer.api.schemas import Schema
from designer.composer import Composition
from designer.composer.layers import Layer, dump_layers, prepare_layers
from designer.editing import history
from designer.editing import service as editing
from designer.editing.references import PUBLISHED, check_references, referenced_side
from designer.editing.service import MERCHANT, compose_design
from designer.errors import Conflict, NotFound, ValidationFailed
from designer.events import delete_recorded, record_event
from designer.extensions import db
from designer.products.models import Product, Side
from designer.templates.models import Template
from designer.templates.present import template_out
from designer.templates.schemas import TemplateCreate, TemplateOut, TemplateUpdate
from designer.tenancy import get_in_store, in_store, narrowed

TRASHED = "trashed"


def templates_of(
    store_id: str,
    *,
    product_id: str | None = None,
    side_id: str | None = None,
    status: str | None = None,
    is_default: bool | None = None,
    public: bool = False,
):
    """A select of the store's templates, narrowed by the filters given.

    `public`: only what a storefront may see, published templates of published products and sides.
    """
    statement = in_store(db.select(Template), store_id)
    statement = narrowed(statement, Template, product_id=product_id, side_id=side_id, status=status)
    if is_default is not None:
        statement = statement.where(Template.is_default.is_(is_default))
    if public:
        statement = (
            statement.join(Product, Product.id == Template.product_id)
            .join(Side, Side.id == Template.side_id)
            .where(Template.status == PUBLISHED, Product.status == PUBLISHED, Side.status == PUBLISHED)
        )
    return statement


def find_template(store_id: str, template_id: str, *, public: bool = False) -> Template:
    """The store's template with this id.

    Raises NotFound for none, another store's, or (when `public`) one a storefront may not see.
    """
    if not public:
        return get_in_store(Template, template_id, store_id)
    statement = templates_of(store_id, public=True).where(Template.id == template_id)
    found = db.session.scalars(statement).first()
    if found is None:
        raise NotFound(f"No template with id '{template_id}'")
    return found


def create_template(store_id: str, fields: TemplateCreate) -> Template:
    """A new template for the side `fields.side_id`, on that side's product.

    Raises ValidationFailed naming `sideId` for a side that is not the store's, or the layer
    field at fault (`layers.2.fontId`, see layers.check_references).
    """
    side = referenced_side(store_id, fields.side_id, "sideId")
    template = Template(
        store_id=store_id,
        product_id=side.product_id,
        side_id=side.id,
        name=fields.name,
        status=fields.status,
        is_default=False,
        layers=_checked_layers(store_id, fields.layers),
    )
    db.session.add(template)
    db.session.flush()
    unset = _make_default(template) if fields.is_default else []
    _record(template, "template.created")
    for other in unset:
        _record(other, "template.updated")
    return template


def update_template(store_id: str, template: Template, fields: TemplateUpdate) -> list[Template]:
    """Change the fields given. Returns the other templates of the side that stopped being its
    default (none unless `isDefault` was set).

    Raises ValidationFailed naming the layer field at fault, or `isDefault` for making a trashed
    template the default; Conflict when another request made a template of the side the default
    at the same moment.
    """
    given = fields.model_fields_set
    was_default = template.is_default
    if "name" in given:
        template.name = fields.name
    if "layers" in given:
        layers = _checked_layers(store_id, fields.layers)
        if layers != template.layers:
            history.record(template, template.layers or [])
            template.layers = layers
    if "status" in given:
        template.status = fields.status
        if fields.status == TRASHED:
            template.is_default = False
    changed = db.session.is_modified(template)
    unset: list[Template] = []
    if "is_default" in given:
        if fields.is_default and template.status == TRASHED:
            raise ValidationFailed(
                "Field 'isDefault': a trashed template cannot be the default", field="isDefault"
            )
        if fields.is_default:
            unset = _make_default(template)
        else:
            template.is_default = False
    if changed or template.is_default != was_default:
        db.session.flush()
        _record(template, "template.updated")
    for other in unset:
        _record(other, "template.updated")
    return unset


def duplicate_template(store_id: str, template: Template, name: str | None, side_id: str | None) -> Template:
    """A copy of `template` (its layers with their ids, so rules naming them still hold), on the
    same side or on `side_id`. The copy is not the default.

    Raises ValidationFailed naming `sideId` for a side that is not the store's.
    """
    side = referenced_side(store_id, side_id, "sideId") if side_id is not None else template.side
    copy = Template(
        store_id=store_id,
        product_id=side.product_id,
        side_id=side.id,
        name=name or f"{template.name[:193]} (copy)",
        status=template.status,
        is_default=False,
        layers=list(template.layers or []),
    )
    db.session.add(copy)
    db.session.flush()
    _record(copy, "template.created")
    return copy


def delete_template(template: Template) -> None:
    """Delete the template. Designs started from it keep their layers (their templateId is cleared)."""
    delete_recorded(template, "template.deleted", template_out(template))


def products_to_filter_by(store_id: str) -> list[tuple[str, str]]:
    """The store's products a list of templates can be narrowed to: [(product id, name)], by name."""
    statement = in_store(db.select(Product.id, Product.name).order_by(Product.name), store_id)
    return [tuple(row) for row in db.session.execute(statement)]


def side_options(store_id: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The sides a template can be for, grouped by product: [(product name, [(side id, side name)])]."""
    statement = in_store(
        db.select(Product.id, Product.name, Side.id, Side.name)
        .join(Side, Side.product_id == Product.id)
        .order_by(Product.name, Product.id, Side.position, Side.id),
        store_id,
    )
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for product_id, product_name, side_id, side_name in db.session.execute(statement):
        groups.setdefault(product_id, (product_name, []))[1].append((side_id, side_name))
    return list(groups.values())


def find_template_to_change(store_id: str, template_id: str) -> Template:
    """find_template for a request that changes its layers: held first (editing.hold_for_change),
    so it is read as the last change committed left it, and no other change is made to it until
    this transaction ends.

    Raises NotFound for none or another store's.
    """
    editing.hold_for_change(Template, store_id, template_id)
    return find_template(store_id, template_id)


def add_layer(store_id: str, template: Template, layer: Schema) -> tuple[TemplateOut, Composition | None]:
    """Add `layer` (a LayerAdd) to the template (see editing.add_layer); no locks hold, the
    merchant sets them. Records template.updated. Returns what `_changed` does."""
    editing.add_layer(store_id, template, layer, editor=MERCHANT)
    return _changed(template)


def change_layer(
    store_id: str, template: Template, layer_id: str, change
) -> tuple[TemplateOut, Composition | None]:
    """Change the fields `change` gives of one layer, its locks and rules included (see
    editing.change_layer). Records template.updated if anything changed."""
    editing.change_layer(store_id, template, layer_id, change, editor=MERCHANT)
    return _changed(template)


def change_layers(store_id: str, template: Template, changes: list) -> tuple[TemplateOut, Composition | None]:
    """Change several layers at once, as one undo step (see editing.change_layers). Records
    template.updated if anything changed."""
    editing.change_layers(store_id, template, changes, editor=MERCHANT)
    return _changed(template)


def delete_layer(store_id: str, template: Template, layer_id: str) -> tuple[TemplateOut, Composition | None]:
    """Delete one layer of the template. Raises NotFound for a layer it does not have."""
    editing.delete_layer(store_id, template, layer_id, editor=MERCHANT)
    return _changed(template)


def undo(template: Template) -> tuple[TemplateOut, Composition | None]:
    """Bring back the layers before the last change. Raises Conflict when there is none."""
    history.undo(template)
    return _changed(template)


def redo(template: Template) -> tuple[TemplateOut, Composition | None]:
    """Make the last undone change again. Raises Conflict when there is none."""
    history.redo(template)
    return _changed(template)


def _changed(template: Template) -> tuple[TemplateOut, Composition | None]:
    """Record template.updated if its layers changed. Returns the template as the API shows it,
    with the problems of its composition, and the composition."""
    changed = db.session.is_modified(template)
    if changed:
        db.session.flush()
    composition = compose_design(template)
    out = template_out(template, composition)
    if changed:
        record_event(template.store_id, "template.updated", out.to_json())
    return out, composition


def _checked_layers(store_id: str, layers: list[Layer]) -> list[dict]:
    layers = prepare_layers(layers)
    check_references(store_id, layers)
    return dump_layers(layers)


def _make_default(template: Template) -> list[Template]:
    others = list(
        db.session.scalars(
            in_store(
                db.select(Template).where(
                    Template.side_id == template.side_id,
                    Template.is_default.is_(True),
                    Template.id != template.id,
                ),
                template.store_id,
            )
        )
    )
    for other in others:
        other.is_default = False
    try:
        # The old default is cleared before the new one is set: the database allows one per side.
        db.session.flush()
        template.is_default = True
        db.session.flush()
    except IntegrityError:
        raise Conflict(
            "Another template of this side became the default at the same moment; try again",
            field="isDefault",
        ) from None
    return others


def _record(template: Template, event_type: str) -> None:
    record_event(template.store_id, event_type, template_out(template).to_json())


def template_choices(product: Product) -> list[tuple[Side, list[Template]]]:
    """Each published side of the product with its published templates, the default first (what
    a customer chooses from before personalizing)."""
    choices = []
    for side in product.sides:
        if side.status != PUBLISHED:
            continue
        statement = templates_of(product.store_id, side_id=side.id, public=True).order_by(
            Template.is_default.desc(), Template.name
        )
        choices.append((side, db.session.scalars(statement).all()))
    return choices
