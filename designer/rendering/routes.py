"""/api/v1 routes for print-ready PDFs: `GET /designs/{id}/render` and `GET /projects/{id}/render`;
and for a completed design's proof: `GET /designs/{id}/proof` (at the end).

Whoever may read the design or the project may ask for its render: the account, secret tokens
(scope to read designs or projects), and a publishable token by the id it was given. A token
with the `orders` scope (a print shop's order system) may fetch the PDFs its orders link to:
those of the projects and designs the store's orders name. `retry=true` queues work on demand:
a write, so a secret token needs the write scope (`designs:write`, `projects:write`) for it.

- 200 application/pdf (an attachment, ETag the PDF's sha256) when the render of what the design
  prints now is done;
- 202 `{status: "queued"|"rendering", renderId, retryAfter, checks}` with Retry-After while it is
  being made (asking started it: its job is queued once, however many ask); `checks` lists what
  the checks before print warn of (`{code, designId, layerId, message}`: art that stops at the
  trim, text too small, hairlines, too much ink), which the status fragment shows too;
- 422 `validation_error` listing every blocking problem (as completing does): nothing that
  would print wrong is rendered;
- 409 `conflict` (the contract's error body, with `status: "failed"`, `renderId` and
  `retryAfter`) when it failed: the message is the reason. A request after Retry-After seconds,
  or one with `retry=true`, queues a fresh attempt.

`wait` (seconds, at most 10) holds the request until the render is done or failed. htmx
requests get `renders/_status.html`, a fragment that polls itself until the download link shows.

A customer's browser asks too, without credentials (the editor's page after Save): these routes
then answer for the designs and projects its session opened in the editor (api/auth.py
`may_open`; another's is a 404, as in the editor), and an anonymous caller whose session opened
none is refused as before (401). The customer's download link and proof image are the editor's
(web/editor.py `print_pdf`, `proof_image`: print_ready_pdf and proof_png below), which the
browser's session opens where a link cannot send a token. htmx requests for the proof get the
editor's `editor/_proof.html`.
"""

from collections.abc import Callable

from flask import g, jsonify, render_template, request, url_for
from pydantic import Field

from designer.api.auth import STOREFRONT, Kind, require_customer
from designer.api.downloads import send_bytes
from designer.api.errors import Forbidden, error_body
from designer.api.resource import Routes
from designer.api.respond import VARY, respond
from designer.api.schemas import Schema, StoreQuery
from designer.api.store_scope import store_id_of
from designer.designs.models import Design
from designer.designs.schemas import ProofStatus
from designer.designs.service import find_design, first_design_of, openable_design, openable_project
from designer.editing.schemas import RenderCheck
from designer.errors import Conflict, NotFound
from designer.files.service import get_file, read_file
from designer.projects.models import Project
from designer.projects.service import find_project
from designer.rendering import proofs, renders
from designer.rendering.models import DONE, FAILED, Render

# A customer's browser too: anonymous, its session holding the projects it opened in the editor.
CUSTOMERS: tuple[Kind, ...] = (*STOREFRONT, "anonymous")
_STATUS = "renders/_status.html"
_PROOF = "editor/_proof.html"


class RenderQuery(StoreQuery):
    wait: float = Field(0, ge=0, le=renders.MAX_WAIT_S, description="Seconds to hold the request until done")
    retry: bool = Field(False, description="Queue a fresh attempt of a failed render now")


class RenderStatus(Schema):
    status: str = Field(description="queued, rendering, done or failed")
    render_id: str
    retry_after: int | None = None
    error: str | None = None
    checks: list[RenderCheck] = Field(
        default_factory=list, description="What the checks before print found (warnings)"
    )


designs = Routes("/designs")


@designs.route(
    "GET /<design_id>/render",
    auth=CUSTOMERS,
    resource=None,
    response=RenderStatus,
    status=202,
    binary={200: "application/pdf"},
)
def get_design_render(caller, design_id: str, query: RenderQuery):
    """The design's print-ready PDF: 200 when rendered, else 202 {status, renderId} while a worker renders it
    (asking starts it); 409 with the reason when it failed"""
    design = _design_asked(caller, design_id, render_query=query)
    render = renders.request_render(design.store_id, design, retry=query.retry)
    return _answer(design.store_id, render, query, _customer_download(caller, design))


projects = Routes("/projects")


@projects.route(
    "GET /<project_id>/render",
    auth=CUSTOMERS,
    resource=None,
    response=RenderStatus,
    status=202,
    binary={200: "application/pdf"},
)
def get_project_render(caller, project_id: str, query: RenderQuery):
    """The project's print-ready PDF, a page per side in side order: 200 when rendered, else 202 {status,
    renderId} while a worker renders it; 422 listing blocking problems; 409 with the reason when it failed"""
    project = _project_asked(caller, project_id, query)
    render = renders.request_render(project.store_id, project, retry=query.retry)
    return _answer(project.store_id, render, query, _customer_download(caller, project))


def _design_asked(caller, design_id: str, *, render_query: RenderQuery | None = None) -> Design:
    """The design a caller asks about: for a customer's browser (anonymous) one its session opened
    in the editor; for everyone else one of the caller's store (for a render, `render_query`, one
    their scopes let them read, see _check_scopes)."""
    if caller.kind == "anonymous":
        require_customer(STOREFRONT)
        return openable_design(design_id)
    store_id = store_id_of(caller)
    if render_query is not None:
        _check_scopes(caller, "designs", store_id, design_id, render_query)
    return find_design(store_id, design_id)


def _project_asked(caller, project_id: str, query: RenderQuery) -> Project:
    """The project a caller asks about, as _design_asked finds a design."""
    if caller.kind == "anonymous":
        require_customer(STOREFRONT)
        return openable_project(project_id)
    store_id = store_id_of(caller)
    _check_scopes(caller, "projects", store_id, project_id, query)
    return find_project(store_id, project_id)


def _customer_download(caller, owner: Design | Project) -> str | None:
    """Where the fragment an htmx request gets links a customer's browser to download the PDF: the
    editor's link, which its session opens without the storefront's token. None for merchants,
    who download from the route itself, and for requests that get no fragment."""
    if not request.htmx or caller.kind not in ("anonymous", "publishable"):
        return None
    design = owner if isinstance(owner, Design) else first_design_of(owner)
    return url_for("editor.print_pdf", design_id=design.id)


_order_lookups: list[Callable[[str, str, str], bool]] = []


def register_order_lookup(is_ordered: Callable[[str, str, str], bool]) -> None:
    """Hands rendering orders' look-up `is_ordered(store_id, resource, owner_id)`: whether one of
    the store's orders names the project or design (resource "projects" or "designs") whose PDF
    is asked for. The last one registered is used."""
    _order_lookups[:] = [is_ordered]


def _check_scopes(caller, resource: str, store_id: str, owner_id: str, query: RenderQuery) -> None:
    """Raises Forbidden when a secret token's scopes do not let it read this PDF (see the module's
    docstring), or, naming `retry`, queue a fresh attempt."""
    (is_ordered,) = _order_lookups
    readable = caller.can(resource, "read") or (
        caller.can("orders", "read") and is_ordered(store_id, resource, owner_id)
    )
    if not readable:
        raise Forbidden(
            f"The token's scopes do not allow read access to {resource}; a token with the orders "
            f"scope reads the PDFs of the {resource} its orders name"
        )
    if query.retry and not caller.can(resource, "write"):
        raise Forbidden(
            f"Field 'retry': queueing a fresh attempt is a write; it needs the {resource}:write scope",
            field="retry",
        )


def _answer(store_id: str, render: Render, query: RenderQuery, download: str | None = None):
    if query.wait:
        render = renders.wait_for(render, query.wait)
    if render.status == DONE and not request.htmx:
        return pdf_download(store_id, render)
    retry_after = renders.FAILURE_SHOWN_S if render.status == FAILED else renders.RETRY_AFTER_S
    payload = RenderStatus(
        status=render.status,
        render_id=render.id,
        retry_after=retry_after,
        error=render.error,
        checks=render.checks or [],
    )
    if request.htmx:
        response = respond(payload, partial=_STATUS, render=render, url=_self_url(query), download=download)
    elif render.status == FAILED:
        response = jsonify(
            error_body("conflict", f"The render failed: {render.error}", status=FAILED, renderId=render.id)
        )
        response.status_code = 409
        response.headers["Vary"] = VARY
    else:
        response = respond(payload, status=202)
    if render.status != DONE:
        g.retry_after_s = retry_after  # set as Retry-After after the rate limiter (ratelimit.py)
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_download(store_id: str, render: Render):
    """The done render's PDF as an attachment, its ETag the PDF's sha256."""
    pdf = get_file(store_id, render.file_id)
    response = send_bytes(read_file(pdf), "application/pdf", etag=pdf.sha256, filename=pdf.filename)
    response.headers["Content-Disposition"] = response.headers["Content-Disposition"].replace(
        "inline", "attachment", 1
    )
    return response


def _self_url(query: RenderQuery) -> str:
    """This route again, for the fragment to poll and link to (without wait and retry)."""
    return request.base_url + (f"?storeId={query.store_id}" if query.store_id else "")


@designs.route(
    "GET /<design_id>/proof", auth=CUSTOMERS, response=ProofStatus, status=202, binary={200: "image/png"}
)
def get_design_proof(caller, design_id: str, query: StoreQuery):
    """The design's proof: 200 with the PNG once rendered, 202 {status} while it is being rendered"""
    design = _design_asked(caller, design_id)
    if request.htmx:
        return _proof_place(design)
    status = proofs.proof_status(design)
    if status is None:
        raise NotFound(f"Design '{design_id}' has no proof: complete it first")
    if status != "done":
        return respond(ProofStatus(status=status), status=202)
    return proof_png(design)


def _proof_place(design: Design):
    """The proof's place in the editor (editor/_proof.html): the proof once the worker rendered
    it, why it failed, or a note that asks again in a moment."""
    try:
        status, failure = proofs.proof_status(design), None
    except Conflict as error:
        status, failure = "failed", error.message
    payload = {"status": status, "error": failure}
    context = {"design": design, "side": design.side, "proof_status": status, "failure": failure}
    return respond(payload, partial=_PROOF, **context)


def proof_png(design: Design):
    """The design's proof PNG. Raises NotFound while it is not rendered."""
    if not design.proof_file_id:
        raise NotFound("The proof is not rendered yet")
    proof = get_file(design.store_id, design.proof_file_id)
    return send_bytes(read_file(proof), "image/png", etag=proof.sha256, filename=f"proof-{design.id}.png")


def print_ready_pdf(design: Design):
    """The print-ready PDF of the design's project (or of the design, without one) as a download,
    for a customer's browser; until it is rendered a 404 page (asking queued it: the caller
    commits)."""
    render = renders.request_render(design.store_id, design.project or design)
    if render.status != DONE:
        message = "The print-ready PDF is not rendered yet"
        return render_template("error.html", status=404, message=message), 404
    return pdf_download(design.store_id, render)
