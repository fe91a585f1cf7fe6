"""/api/v1 routes for projects (also the dashboard's projects page and its htmx actions).

Who may do what: a publishable token may start a project (a customer beginning to personalize a
published product) and read it back by its id, which only that customer was given; it may not
list, count, change or delete projects, since a publishable token is public. The account and
secret tokens do everything. (A project's designs, and completing them: designs/routes.py.)

The page is the list route answering a browser (web/designs.py); its action (moving a project to
another status) is an htmx request to the /api/v1 route, which answers with a partial of
templates/dashboard/designs/; the page sets the X-Store-Id header for it (hx-headers), so the
account's request names its store.
"""

from designer.api.auth import MERCHANTS, STOREFRONT
from designer.api.pagination import count, more_url, paginate
from designer.api.resource import Resource
from designer.api.respond import respond
from designer.api.schemas import Count, StoreQuery
from designer.api.store_scope import store_id_of
from designer.projects import service
from designer.projects.models import Project
from designer.projects.present import project_out
from designer.projects.schemas import (
    ProjectCreate,
    ProjectFilters,
    ProjectListQuery,
    ProjectOut,
    ProjectPage,
    ProjectsCreate,
    ProjectsUpdate,
    ProjectUpdate,
)

SORTS = {"createdAt": Project.created_at, "updatedAt": Project.updated_at, "name": Project.name}
STATUSES = [
    ("processing", "Processing"),
    ("reviewing", "Reviewing"),
    ("accepted", "Accepted"),
    ("trashed", "Trashed"),
]


def _public(caller) -> bool:
    """Anonymous and publishable callers see only what the storefront shows."""
    return caller.kind in ("anonymous", "publishable")


projects = Resource(
    "/projects", id_name="project_id", find=service.find_project, out=project_out, page=ProjectPage
)


def _matching(store_id: str, query: ProjectFilters):
    return service.projects_of(
        store_id,
        status=query.status,
        product_id=query.product_id,
        customer_email=query.customer_email,
        customer_external_id=query.customer_external_id,
    )


@projects.route("POST", auth=STOREFRONT, response=ProjectOut, status=201)
def create_project(caller, query: StoreQuery, body: ProjectCreate):
    """Start a project: a customer's personalization of a product (publishable tokens too)"""
    project = service.create_project(store_id_of(caller), body, public=_public(caller))
    return respond(project_out(project), status=201)


@projects.route("GET", auth=MERCHANTS, response=ProjectPage)
def list_projects(caller, query: ProjectListQuery):
    """List projects (filter by status, product, customer)"""
    rows, has_more, cursor = paginate(_matching(store_id_of(caller), query), Project, query, SORTS)
    return respond(
        ProjectPage.of_rows(project_out, rows, has_more, cursor),
        partial="dashboard/designs/_project_rows.html",
        page="dashboard/designs/projects.html",
        projects=rows,
        more_url=more_url("api.list_projects", query, cursor),
        query=query,
        statuses=STATUSES,
    )


@projects.route("GET /count", auth=MERCHANTS, response=Count)
def count_projects(caller, query: ProjectFilters):
    """Count projects"""
    return respond(Count(count=count(_matching(store_id_of(caller), query), Project)))


projects.get(
    "get_project",
    "Get a project (publishable tokens too: its id is the customer's key)",
    auth=STOREFRONT,
)


@projects.route("PATCH /<project_id>", auth=MERCHANTS, response=ProjectOut)
def update_project(caller, project_id: str, query: StoreQuery, body: ProjectUpdate):
    """Update a project or move it to another status"""
    project = service.update_project(service.find_project(store_id_of(caller), project_id), body)
    return respond(project_out(project), partial="dashboard/designs/_project_row.html", project=project)


projects.delete("delete_project", "Delete a project", auth=MERCHANTS, delete=service.delete_project)
projects.create_batch(
    "create_projects",
    "Start several projects (all or nothing)",
    auth=MERCHANTS,
    body=ProjectsCreate,
    create=service.create_project,
)
projects.update_batch(
    "update_projects",
    "Update several projects (all or nothing)",
    auth=MERCHANTS,
    body=ProjectsUpdate,
    update=service.update_project,
)
projects.delete_batch(
    "delete_projects",
    "Delete several projects (all or nothing)",
    auth=MERCHANTS,
    delete=service.delete_project,
)
