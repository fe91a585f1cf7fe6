"""Projects: one customer's personalization of a product across its sides (its designs), the thing
an order's line item points to. A project started without a product (PrintCart's, or the native
API's without `productId`) holds designs of any products: a card, its envelope and a sticker.

Callers own the transaction: these flush, never commit. Every change records its event
(project.created, project.updated, project.deleted) in the same transaction, with the project as
the API shows it.

A project moves through its statuses in one direction, with two ways back:

    processing ──▶ reviewing ──▶ accepted
        ▲              │  ▲          │
        └── sent back ─┘  └ reopened ┘          any ──▶ trashed ──▶ processing (restored)

A customer works on it while it is processing; the merchant reviews it (a proof); once accepted
it may be printed. A project is never accepted without a review, and a trashed one comes back as
processing, to be reviewed again.
"""

from designer.categories.models import Category
from designer.errors import Conflict, ValidationFailed
from designer.events import delete_recorded, record_event
from designer.extensions import db
from designer.products.service import find_product_or_invalid
from designer.projects.models import Project, project_folders
from designer.projects.present import project_out
from designer.projects.schemas import ProjectCreate, ProjectUpdate
from designer.tenancy import across_stores, get_in_store, in_store, narrowed

PROCESSING = "processing"
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "processing": ("reviewing", "trashed"),
    "reviewing": ("processing", "accepted", "trashed"),
    "accepted": ("reviewing", "trashed"),
    "trashed": ("processing",),
}


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a project in `status` may move to."""
    return TRANSITIONS.get(status, ())


def projects_of(
    store_id: str,
    *,
    status: str | None = None,
    product_id: str | None = None,
    customer_email: str | None = None,
    customer_external_id: str | None = None,
):
    """A select of the store's projects, narrowed by the filters given."""
    statement = narrowed(
        in_store(db.select(Project), store_id), Project, status=status, product_id=product_id
    )
    if customer_email is not None:
        statement = statement.where(Project.customer["email"].as_string() == customer_email.strip().lower())
    if customer_external_id is not None:
        statement = statement.where(Project.customer["externalId"].as_string() == customer_external_id)
    return statement


def find_project(store_id: str, project_id: str) -> Project:
    """Raises NotFound for an id that is not one of the store's projects."""
    return get_in_store(Project, project_id, store_id)


def create_project(store_id: str, fields: ProjectCreate, *, public: bool = False) -> Project:
    """A new project on the product `fields.product_id` (id or slug), processing; without one,
    a project whose designs may be on several products.

    `public`: a storefront's customer starting one, which only a published product allows.
    Raises ValidationFailed naming `productId` for a product that is not the store's (or not
    published, when `public`), or none when `public`.
    """
    if fields.product_id is None and public:
        raise ValidationFailed("Field 'productId': name the product being personalized", field="productId")
    product = (
        find_product_or_invalid(store_id, fields.product_id, "productId", public=public)
        if fields.product_id is not None
        else None
    )
    project = Project(
        store_id=store_id,
        product_id=product.id if product else None,
        name=fields.name,
        status=PROCESSING,
        customer=fields.customer.to_json() if fields.customer else {},
        note=fields.note,
        meta=fields.metadata,
    )
    db.session.add(project)
    db.session.flush()
    _record(project, "project.created")
    return project


def update_project(project: Project, fields: ProjectUpdate) -> Project:
    """Change the fields given; `customer` and `metadata` are replaced as a whole.

    Raises Conflict naming `status` for a move the status diagram (above) does not allow.
    """
    given = fields.model_fields_set
    if "status" in given and fields.status != project.status:
        if fields.status not in next_statuses(project.status):
            allowed = ", ".join(next_statuses(project.status)) or "none"
            raise Conflict(
                f"A {project.status} project cannot become {fields.status} (it may become: {allowed})",
                field="status",
            )
        project.status = fields.status
    if "name" in given:
        project.name = fields.name
    if "customer" in given:
        project.customer = fields.customer.to_json() if fields.customer else {}
    if "note" in given:
        project.note = fields.note
    if "metadata" in given:
        project.meta = fields.metadata
    if db.session.is_modified(project):
        db.session.flush()
        _record(project, "project.updated")
    return project


def delete_project(project: Project) -> None:
    """Delete the project. Its designs stay, their projectId cleared."""
    delete_recorded(project, "project.deleted", project_out(project))


# Folders: the store's categories projects are filed in


def file_project(project: Project, category: Category) -> None:
    """File the project in the folder `category` (the store's; filed already: nothing changes)."""
    if category not in project.folders:
        project.folders.append(category)
        db.session.flush()


def folders_of(store_id: str):
    """A select of the store's categories that hold projects."""
    holding = db.select(project_folders.c.category_id)
    return in_store(db.select(Category), store_id).where(Category.id.in_(holding))


def projects_in_folder(store_id: str, category: Category):
    """A select of the store's projects filed in `category`."""
    return projects_of(store_id).where(Project.folders.any(Category.id == category.id))


def folders_of_project(store_id: str, project: Project):
    """A select of the categories `project` is filed in."""
    return in_store(db.select(Category), store_id).where(
        Category.id.in_(
            db.select(project_folders.c.category_id).where(project_folders.c.project_id == project.id)
        )
    )


def empty_folder(category: Category) -> None:
    """Take every project out of the folder; the category stays, with whatever else it holds."""
    db.session.execute(project_folders.delete().where(project_folders.c.category_id == category.id))


def _record(project: Project, event_type: str) -> None:
    record_event(project.store_id, event_type, project_out(project).to_json())


def project_by_id(project_id: str) -> Project | None:
    """The project with this id in whichever store holds it, or None: what a customer's browser
    asks about carries the id alone (designs.openable_project decides whether it may)."""
    if not project_id.isprintable():
        return None
    return db.session.scalars(across_stores(db.select(Project).where(Project.id == project_id))).first()
