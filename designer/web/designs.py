"""Dashboard pages for projects and templates.

Both are the API's list routes answering a browser (web/dashboard.py `page`). Their actions are
htmx requests to the /api/v1 routes, which answer with the partials in templates/dashboard/designs/;
each page sets the X-Store-Id header for them (hx-headers), so the account's request names its store.
"""

from designer.api.auth import current_caller
from designer.api.store_scope import store_id_of
from designer.approvals.service import latest_approval
from designer.projects import service as project_services
from designer.projects.routes import list_projects
from designer.templates import service as template_services
from designer.templates.routes import list_templates
from designer.web.dashboard import blueprint, page

# The store's projects, filtered by the page's query string (status, customerEmail) like the API's
# list, each with its status changeable in place. A bad filter is a 422 page.
page("/stores/<store_id>/projects", "projects", list_projects)

# The store's templates, filtered by product and status like the API's list, with the form that
# creates or imports one. A bad filter is a 422 page.
page("/stores/<store_id>/templates", "templates", list_templates)


# What the pages and partials need, whether the page includes them or htmx asks an /api/v1 route
# for them (a form that comes back with errors gets only `errors` and `values`, and looks up the
# rest here).


@blueprint.app_template_global()
def project_next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a project in `status` may move to (see projects/service.py)."""
    return project_services.next_statuses(status)


@blueprint.app_template_global()
def project_last_approval(project):
    """The project's most recent approval (None: never approved)."""
    return latest_approval(project.store_id, project.id)


@blueprint.app_template_global()
def template_filter_products(store_id: str) -> list[tuple[str, str]]:
    """The store's products the Templates page filters by: [(product id, name)], by name."""
    return template_services.products_to_filter_by(store_id)


@blueprint.app_template_global()
def template_side_options(store_id: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The sides a template can be for, grouped by product: [(product name, [(side id, side name)])].

    Without `store_id`, the store the current request names (checked to be the caller's).
    """
    return template_services.side_options(store_id or store_id_of(current_caller()))
