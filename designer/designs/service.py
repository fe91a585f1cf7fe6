"""Designs: the layers a customer makes on one side of a product, started from a template.

Callers own the transaction: these flush, never commit. Every change records its event
(design.created, design.updated, design.deleted, design.completed) in the same transaction,
with the design as the API shows it, problems included: each change composes the side once (in
preview mode, at the product's minimum image DPI), and hands that composition back in a
`Composed` for the response.

A design always belongs to a project (the customer's personalization of the product, what an
order points to): without one, creating a design starts one. Its layers keep the template's
locks and rules, enforced on every change (see editing/locks.py); only a `processing` design changes.
Completing a design checks it has no blocking problem and asks for its proof and print-ready PDF
(rendering/proofs.py, handed over at start: register_completion), queued once committed.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import inspect
from sqlalchemy.orm import joinedload

from designer.api.auth import may_open
from designer.api.schemas import Schema
from designer.composer import Composition
from designer.composer.layers import dump_layers, load_layers, prepare_layers
from designer.designs.editor_keys import key_opens
from designer.designs.models import Design
from designer.designs.present import design_out
from designer.designs.schemas import DesignCreate, DesignOut, DesignUpdate
from designer.editing import history
from designer.editing import service as editing
from designer.editing.locks import check_locks, with_product_rules
from designer.editing.references import PUBLISHED, check_references
from designer.editing.service import CUSTOMER, compose_design
from designer.errors import Conflict, Forbidden, NotFound, ValidationFailed
from designer.events import delete_recorded, record_event
from designer.extensions import db
from designer.files.models import File
from designer.files.service import delete_file
from designer.products.models import Product, Side
from designer.products.service import find_product_or_invalid
from designer.projects import service as projects
from designer.projects.models import Project
from designer.projects.present import project_out
from designer.projects.schemas import ProjectCreate
from designer.templates.models import Template
from designer.tenancy import across_stores, in_store, narrowed

PROCESSING = "processing"
DEFAULT_MIN_DPI = 150
_completions: list[Callable[[str, Design | Project, list[Design]], None]] = []


@dataclass(frozen=True)
class Composed:
    """A design as the API shows it after a change, and the composition its problems came from."""

    design: Design
    out: DesignOut
    composition: Composition | None


# Reading


def designs_of(
    store_id: str,
    *,
    product_id: str | None = None,
    project_id: str | None = None,
    side_id: str | None = None,
    template_id: str | None = None,
    status: str | None = None,
):
    """A select of the store's designs, narrowed by the filters given."""
    statement = in_store(db.select(Design), store_id)
    return narrowed(
        statement,
        Design,
        product_id=product_id,
        project_id=project_id,
        side_id=side_id,
        template_id=template_id,
        status=status,
    )


def designs_made_on(
    store_id: str, *, product_ids: list[str] | None = None, side_id: str | None = None
) -> int:
    """How many of the store's designs were made on these products, or on this side (what keeps
    the products room from deleting them; it is handed this at start)."""
    statement = db.select(db.func.count(Design.id))
    if product_ids is not None:
        statement = statement.where(Design.product_id.in_(product_ids))
    if side_id is not None:
        statement = statement.where(Design.side_id == side_id)
    return db.session.scalar(in_store(statement, store_id))


def find_design(store_id: str, design_id: str) -> Design:
    """The store's design with this id, its side and product loaded with it (one query).

    Raises NotFound for none or another store's.
    """
    statement = (
        db.select(Design)
        .where(Design.id == design_id)
        .options(joinedload(Design.side), joinedload(Design.product))
        # Read afresh even when the session holds it: after editing.hold_for_change this is the
        # last committed state, the one a change must start from.
        .execution_options(populate_existing=True)
    )
    design = db.session.scalars(in_store(statement, store_id)).first()
    if design is None:
        raise NotFound(f"No design with id '{design_id}'")
    return design


def find_design_to_change(store_id: str, design_id: str) -> Design:
    """find_design for a request that changes the design: held first (editing.hold_for_change),
    so it is read as the last change committed left it, and no other change is made to it
    until this transaction ends.

    Raises NotFound for none or another store's.
    """
    editing.hold_for_change(Design, store_id, design_id)
    return find_design(store_id, design_id)


def composed(design: Design, composition: Composition | None = None) -> Composed:
    """`design` as the API shows it, composed now unless `composition` is given."""
    composition = composition if composition is not None else compose_design(design)
    return Composed(design, design_out(design, composition), composition)


# Starting


def create_design(store_id: str, fields: DesignCreate, *, public: bool = False) -> Composed:
    """A new design on the side `fields.side_id` of the product `fields.product_id`.

    Its layers: the template's (`templateId`, else the side's default template, else none),
    or `layers` checked against that template's locks. Without `projectId` a project is started
    for it. `public`: a storefront's customer, who sees only published products, sides and
    templates.

    Raises ValidationFailed naming productId, sideId, templateId or projectId for one that is
    not the store's (or not the product's), or the layer field at fault; Forbidden for layers
    that break the template's locks; Conflict naming sideId when the project has a design for
    the side already.
    """
    product = find_product_or_invalid(store_id, fields.product_id, "productId", public=public)
    side = _side_of(product, fields.side_id, public)
    template = _template_of(store_id, side, fields.template_id, public)
    project = _project_for(store_id, product, fields.project_id, public)
    _refuse_second_design(store_id, project, side)
    start = starting_layers(product, template)
    if fields.layers is None:
        layers = start
    else:
        layers = dump_layers(prepare_layers(fields.layers))
        check_locks(start, layers)
        check_references(store_id, load_layers(layers))
    return _add_design(store_id, product, side, project, template, layers, note=fields.note)


def start_personalization(
    store_id: str,
    product: Product,
    template_ids: dict[str, str] | None = None,
    customer: dict | None = None,
) -> Project:
    """A customer starting to personalize `product` in the editor: a new project, and a design
    for each published side from the template chosen for it in `template_ids` (side id →
    template id) or the side's default.

    Raises ValidationFailed naming `templateIds.{sideId}` for a side that is not a published
    one of the product, or a template that is not a published one of that side.
    """
    sides = [side for side in product.sides if side.status == PUBLISHED]
    chosen = template_ids or {}
    for side_id in chosen.keys() - {side.id for side in sides}:
        field = f"templateIds.{side_id}"
        raise ValidationFailed(f"Field '{field}': no side with id '{side_id}' on this product", field=field)
    project = projects.create_project(
        store_id, ProjectCreate(product_id=product.id, customer=customer), public=True
    )
    for side in sides:
        template = _template_of(store_id, side, chosen.get(side.id), True, field=f"templateIds.{side.id}")
        _add_design(store_id, product, side, project, template, starting_layers(product, template))
    return project


def _add_design(
    store_id: str,
    product: Product,
    side: Side,
    project: Project,
    template: Template | None,
    layers: list[dict],
    note: str = "",
) -> Composed:
    design = Design(
        store_id=store_id,
        product_id=product.id,
        side_id=side.id,
        project_id=project.id,
        template_id=template.id if template else None,
        status=PROCESSING,
        layers=layers,
        note=note,
    )
    db.session.add(design)
    db.session.flush()
    return _record(design, "design.created")


# Changing


def update_design(store_id: str, design: Design, fields: DesignUpdate, *, public: bool = False) -> Composed:
    """Change the fields given: `layers` (the whole list, checked against the locks), `note`,
    `status` (the merchant's: Forbidden naming `status` when `public`).

    Raises Conflict naming `status` for new layers on a design that is not processing.
    """
    given = fields.model_fields_set
    if "status" in given and public:
        raise Forbidden("Field 'status': only the merchant sets a design's status", field="status")
    if "layers" in given:
        _check_open(design)
        editing.replace_layers(store_id, design, fields.layers, editor=CUSTOMER)
    if "note" in given:
        design.note = fields.note
    if "status" in given:
        design.status = fields.status
    return _changed(design)


def add_layer(store_id: str, design: Design, layer: Schema) -> Composed:
    """Add `layer` (a LayerAdd) to a processing design (see editing.add_layer), the template's
    locks holding; record design.updated."""
    _check_open(design)
    editing.add_layer(store_id, design, layer, editor=CUSTOMER)
    return _changed(design)


def change_layer(store_id: str, design: Design, layer_id: str, change) -> Composed:
    """Change the fields `change` gives of one layer of a processing design (see
    editing.change_layer), the template's locks and rules holding; record design.updated if
    anything changed."""
    _check_open(design)
    editing.change_layer(store_id, design, layer_id, change, editor=CUSTOMER)
    return _changed(design)


def change_layers(store_id: str, design: Design, changes: list) -> Composed:
    """Change several layers of a processing design at once, as one undo step (see
    editing.change_layers), the template's locks and rules holding; record design.updated if
    anything changed."""
    _check_open(design)
    editing.change_layers(store_id, design, changes, editor=CUSTOMER)
    return _changed(design)


def delete_layer(store_id: str, design: Design, layer_id: str) -> Composed:
    """Delete one layer of a processing design, unless the template locks it (Forbidden); record
    design.updated."""
    _check_open(design)
    editing.delete_layer(store_id, design, layer_id, editor=CUSTOMER)
    return _changed(design)


def undo(design: Design) -> Composed:
    """Bring back the layers before the last change. Raises Conflict when there is none."""
    _check_open(design)
    history.undo(design)
    return _changed(design)


def redo(design: Design) -> Composed:
    """Make the last undone change again. Raises Conflict when there is none."""
    _check_open(design)
    history.redo(design)
    return _changed(design)


def reset(store_id: str, design: Design, template_id: str | None, *, public: bool = False) -> Composed:
    """Start again from the template `template_id` of the design's side (default: its own, else
    the side's default); undoable. Raises ValidationFailed naming `templateId` for a template
    that is not one of the side's, Conflict when the side is gone."""
    _check_open(design)
    if design.side is None:
        raise Conflict("The design's side no longer exists; there is no template to reset to")
    template = _template_of(store_id, design.side, template_id or design.template_id, public)
    editing.restore_layers(design, starting_layers(design.product, template))
    design.template_id = template.id if template else None
    return _changed(design)


def delete_design(design: Design) -> None:
    """Delete the design (its proof file stays with the store's files)."""
    delete_recorded(design, "design.deleted", design_out(design, None))


# Completing


def complete_design(design: Design) -> Composed:
    """The customer is done: check for blocking problems, record design.completed and queue its
    proof and its print-ready PDF (rendered once the transaction is committed).

    Raises ValidationFailed (422) listing every blocking problem, each naming its layer.
    """
    done = composed(design)
    refuse_blocking([(design, done.composition)])
    _complete(done)
    _request_print(design.store_id, design, [design])
    return done


def complete_project(store_id: str, project: Project) -> list[Composed]:
    """Complete every design of the project, all or nothing, move a processing project to
    reviewing (the merchant's turn), and queue the project's print-ready PDF.

    Raises ValidationFailed listing the blocking problems of every design (each naming the
    design and the layer), Conflict when the project has no design.
    """
    statement = designs_of(store_id, project_id=project.id).options(
        joinedload(Design.side), joinedload(Design.product)
    )
    designs = list(db.session.scalars(statement.order_by(Design.created_at, Design.id)))
    if not designs:
        raise Conflict("The project has no design to complete")
    done = [composed(design) for design in designs]
    refuse_blocking([(item.design, item.composition) for item in done], several=True)
    for item in done:
        _complete(item)
    _request_print(store_id, project, [item.design for item in done])
    if project.status == PROCESSING:
        project.status = "reviewing"
        db.session.flush()
        record_event(store_id, "project.updated", project_out(project).to_json())
    return done


# Internals


def _side_of(product: Product, side_id: str, public: bool) -> Side:
    for side in product.sides:
        if side.id == side_id and (side.status == PUBLISHED or not public):
            return side
    raise ValidationFailed(
        f"Field 'sideId': no side with id '{side_id}' on product '{product.id}'", field="sideId"
    )


def _template_of(
    store_id: str, side: Side, template_id: str | None, public: bool, field: str = "templateId"
) -> Template | None:
    """The template `template_id` of `side`, or without one the side's default (or None)."""
    statement = in_store(db.select(Template).where(Template.side_id == side.id), store_id)
    if public:
        statement = statement.where(Template.status == PUBLISHED)
    if template_id is None:
        return db.session.scalars(statement.where(Template.is_default.is_(True))).first()
    template = db.session.scalars(statement.where(Template.id == template_id)).first()
    if template is None:
        raise ValidationFailed(
            f"Field '{field}': no template with id '{template_id}' for side '{side.id}'", field=field
        )
    return template


def _project_for(store_id: str, product: Product, project_id: str | None, public: bool) -> Project:
    if project_id is None:
        return projects.create_project(store_id, ProjectCreate(product_id=product.id), public=public)
    project = db.session.scalars(
        in_store(db.select(Project).where(Project.id == project_id), store_id)
    ).first()
    # A project started on a product is that product's; one started without spans any products.
    if project is None or project.product_id not in (None, product.id):
        raise ValidationFailed(
            f"Field 'projectId': no project with id '{project_id}' for product '{product.id}'",
            field="projectId",
        )
    return project


def _refuse_second_design(store_id: str, project: Project, side: Side) -> None:
    existing = db.session.scalars(
        designs_of(store_id, project_id=project.id, side_id=side.id).with_only_columns(Design.id)
    ).first()
    if existing is not None:
        raise Conflict(
            f"Project '{project.id}' already has a design for side '{side.id}': {existing}", field="sideId"
        )


def starting_layers(product: Product, template: Template | None) -> list[dict]:
    """The layers a design of `product` starts with from `template`: the template's, with the
    product's layer rules (none without a template)."""
    if template is None:
        return []
    rules = (product.personalization or {}).get("layerRules") or []
    return with_product_rules(editing.current_layers(template), rules)


def _check_open(design: Design) -> None:
    if design.status != PROCESSING:
        raise Conflict(
            f"The design is {design.status}; only a processing design's layers change", field="status"
        )


def _changed(design: Design) -> Composed:
    if not db.session.is_modified(design):
        return composed(design)
    if not inspect(design).attrs.version.history.has_changes():
        history.changed(design)  # its note or status: the layers' changes counted themselves
    db.session.flush()
    return _record(design, "design.updated")


def _record(design: Design, event_type: str) -> Composed:
    done = composed(design)
    record_event(design.store_id, event_type, done.out.to_json())
    return done


def refuse_blocking(composed: list[tuple[Design, Composition | None]], several: bool = False) -> None:
    """Raise ValidationFailed (422) listing every blocking problem of these compositions, each
    naming its design and layer; a design whose side is gone is one too. Nothing when none."""
    errors = []
    for design, composition in composed:
        if composition is None:
            errors.append(
                {
                    "field": "sideId",
                    "designId": design.id,
                    "code": "missing_side",
                    "message": "The design's side no longer exists",
                }
            )
            continue
        index_of = {layer["id"]: index for index, layer in enumerate(design.layers or [])}
        for problem in composition.blocking:
            field = f"layers.{index_of[problem.layer_id]}" if problem.layer_id in index_of else "layers"
            errors.append(
                {
                    "field": field,
                    "designId": design.id,
                    "layerId": problem.layer_id,
                    "code": problem.code,
                    "message": problem.message,
                }
            )
    if errors:
        count = len(errors)
        first = errors[0]["message"]
        subject = "The project's designs have" if several else "The design has"
        raise ValidationFailed(
            f"{subject} {count} blocking problem{'s' if count > 1 else ''}: {first}",
            field=errors[0]["field"],
            errors=errors,
        )


def register_completion(request: Callable[[str, Design | Project, list[Design]], None]) -> None:
    """Hands designs what completing asks of rendering: `request(store_id, owner, designs)` queues
    the owner's print-ready PDF and each design's proof. The last one registered is used."""
    _completions[:] = [request]


def _request_print(store_id: str, owner: Design | Project, designs: list[Design]) -> None:
    """Queue the print-ready PDF of what was just completed (so it is there when it is ordered)
    and the proof of each of its designs."""
    (request,) = _completions
    request(store_id, owner, designs)


def _complete(item: Composed) -> None:
    design = item.design
    if design.proof_file_id is not None:
        old = db.session.scalars(
            in_store(db.select(File).where(File.id == design.proof_file_id), design.store_id)
        ).first()
        design.proof_file_id = None
        if old is not None:
            delete_file(old)
        db.session.flush()
    record_event(design.store_id, "design.completed", design_out(design, item.composition).to_json())


# The editor: a customer's link carries a design's id alone, so the design is looked up before its
# store is known, and whether the request may open it is decided right after (api.auth.may_open).


def openable_design(design_id: str) -> Design:
    """The design with this id, in whichever store, if this request may open it in the editor.

    Raises NotFound otherwise, as for a missing one.
    """
    found = None
    if design_id.isprintable():
        found = db.session.scalars(across_stores(db.select(Design).where(Design.id == design_id))).first()
    if found is None or not may_open(found.store_id, found.project_id, key_opens):
        raise NotFound(f"No design with id '{design_id}'")
    return found


def openable_project(project_id: str) -> Project:
    """The project with this id, in whichever store, if this request may open its designs in the
    editor. Raises NotFound otherwise, as for a missing one."""
    found = projects.project_by_id(project_id)
    if found is None or not may_open(found.store_id, found.id, key_opens):
        raise NotFound(f"No project with id '{project_id}'")
    return found


def first_design_of(project: Project) -> Design:
    """The project's design on its product's first side, the one the editor opens first.

    Raises NotFound when the project has none.
    """
    found = db.session.scalars(
        designs_of(project.store_id, project_id=project.id)
        .join(Side, Side.id == Design.side_id)
        .order_by(Side.position, Side.id)
    ).first()
    if found is None:
        raise NotFound("This product has no side to personalize")
    return found


def side_designs(design: Design) -> list[tuple[Side, Design]]:
    """The designs of the design's project with their sides, in the product's order of sides (the
    editor's side tabs); the design alone when it belongs to no project."""
    if design.project_id is None:
        return [(design.side, design)]
    statement = in_store(
        db.select(Side, Design)
        .join(Design, Design.side_id == Side.id)
        .where(Design.project_id == design.project_id)
        .order_by(Side.position, Side.id),
        design.store_id,
    )
    return [(side, found) for side, found in db.session.execute(statement)]
