"""How a room declares its routes: each route once, saying only what is its own.

`Routes` is the routes under one path. A route written out in the room is declared with its
method and rule (relative to the path) and what differs from its neighbours (who may call it,
its response, form, status and so on); the rest is said once: the path names the resource that
a token's scopes are checked against and the OpenAPI heading (unless it says otherwise), the
view's docstring is the route's summary, and the types of its `query` and `body` parameters
are the query string and body it takes:

    products = Resource("/products", id_name="product_id", ...)

    @products.route("PATCH /<product_id>", auth=WRITERS, response=ProductOut)
    def update_product(caller, product_id: str, query: StoreQuery, body: ProductUpdate):
        '''Update a product'''

`Resource` is the routes of a resource whose items have ids, and declares the routes most
resources offer alike in one call each. Getting one item by id, deleting it, and creating,
updating or deleting several at once (all or nothing: api/batch.py) are the same view for every
resource but for the service functions it calls. The resource says how to find an item in a
store and how the API shows one, and then each of these routes it offers, with the route's
endpoint name (what `url_for` knows it by), its summary and who may call it:

    sides = Resource("/sides", resource="products", id_name="side_id", find=find_side, ...)
    sides.get("get_side", "Get a side", auth=ANYONE, public=is_public)  # GET /sides/<side_id>
    sides.delete("delete_side", "Delete a side", auth=WRITE, delete=delete_side)  # DELETE /sides/<side_id>
    sides.create_batch(...)  # POST /sides/batch
    sides.update_batch(...)  # PATCH /sides/batch
    sides.delete_batch(...)  # POST /sides/batch-delete

Every route is wrapped in `@operation`, so it is authorized, run as one unit of work and
documented in the OpenAPI document like any other.
"""

import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from designer.api.auth import Kind
from designer.api.batch import all_or_nothing, delete_all
from designer.api.blueprint import api
from designer.api.operations import operation
from designer.api.respond import respond
from designer.api.schemas import Deleted, DeletedPage, Ids, Page, StoreQuery
from designer.api.store_scope import store_id_of

EMPTY = "dashboard/_empty.html"  # what htmx swaps in for a deleted item's row


@dataclass(frozen=True)
class Routes:
    """The routes under `path`. They are named by the path's last word (`/products/<product_id>/
    designs`: designs): it is what a token's scopes are checked against unless `resource` names
    another resource, and capitalized, the routes' heading in the OpenAPI document.
    """

    path: str
    resource: str | None = None

    def route(self, route: str, *, auth: tuple[Kind, ...], **declared: Any) -> Callable:
        """Declare the view below as the route `route` ("PATCH /<product_id>": the method, then
        the rule after `path`; the method alone for `path` itself). `declared` is the rest of
        the view's `@operation` (response, status, form, …; also resource or tag where the
        route's are not the path's). The view's docstring is the route's summary (unless
        `summary` says it, for one built from values), the types of its `query` and `body`
        parameters the query string and body it takes, and its name its endpoint's."""
        method, _, rule = route.partition(" ")
        summary = declared.pop("summary", None)

        def declare(view: Callable) -> Callable:
            options = {
                "resource": self.resource or self._word(),
                "tag": self._word().capitalize(),
                **_taken(view, "upload" in declared),
            }
            said = summary or " ".join(view.__doc__.split())
            declared_view = operation(said, auth=auth, **(options | declared))(view)
            api.add_url_rule(self.path + rule, view.__name__, declared_view, methods=[method])
            return declared_view

        return declare

    def _word(self) -> str:
        *_, word = (part for part in self.path.split("/") if part and not part.startswith("<"))
        return word


@dataclass(frozen=True, kw_only=True)
class Resource(Routes):
    """A resource whose items have ids: `path` lists it, `path/<id_name>` is one item of it.

    `find(store_id, id)` is the store's item (raising NotFound for any other), `out(item)` how
    the API shows it, `page` the schema of a list of them.
    """

    id_name: str
    find: Callable[..., Any]
    out: Callable[[Any], BaseModel]
    page: type[Page]

    def get(self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], public: Callable | None = None):
        """GET path/<id>: the item. With `public(caller)`, `find` is told whether the caller is the
        public (and so sees only what the storefront shows)."""

        def view(caller, query: StoreQuery, **path):
            options = {"public": public(caller)} if public else {}
            return respond(self.out(self.find(store_id_of(caller), path[self.id_name], **options)))

        self._add(view, endpoint, f"GET /<{self.id_name}>", summary, auth, response=self._item_schema())

    def delete(self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], delete: Callable):
        """DELETE path/<id>: `delete(item)`; htmx gets an empty fragment in the item's place."""

        def view(caller, query: StoreQuery, **path):
            item_id = path[self.id_name]
            delete(self.find(store_id_of(caller), item_id))
            return respond(Deleted(id=item_id), partial=EMPTY)

        self._add(view, endpoint, f"DELETE /<{self.id_name}>", summary, auth, response=Deleted)

    def create_batch(
        self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], body: type[BaseModel], create: Callable
    ):
        """POST path/batch: `create(store_id, fields)` for each item of the body's one list
        field (201 with them all), or nothing created and each refused item's error."""

        field = _list_field(body)

        def view(caller, query: StoreQuery, body: BaseModel):
            store_id = store_id_of(caller)
            created = all_or_nothing(field, getattr(body, field), lambda fields: create(store_id, fields))
            return respond(self.page.of(map(self.out, created)), status=201)

        self._add(view, endpoint, "POST /batch", summary, auth, response=self.page, body=body, status=201)

    def update_batch(
        self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], body: type[BaseModel], update: Callable
    ):
        """PATCH path/batch: `update(item, fields)` for each item of the body's one list field
        (found by its `id`; `update` returns the item), or nothing changed and each error."""

        field = _list_field(body)

        def view(caller, query: StoreQuery, body: BaseModel):
            store_id = store_id_of(caller)
            updated = all_or_nothing(
                field, getattr(body, field), lambda fields: update(self.find(store_id, fields.id), fields)
            )
            return respond(self.page.of(map(self.out, updated)))

        self._add(view, endpoint, "PATCH /batch", summary, auth, response=self.page, body=body)

    def delete_batch(self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], delete: Callable):
        """POST path/batch-delete: `delete(item)` for each of the body's `ids`, or nothing deleted
        and each error (`delete` may return the id deleted, for an item named otherwise)."""

        def view(caller, query: StoreQuery, body: Ids):
            store_id = store_id_of(caller)
            return respond(delete_all(body.ids, lambda item_id: delete(self.find(store_id, item_id))))

        self._add(view, endpoint, "POST /batch-delete", summary, auth, response=DeletedPage, body=Ids)

    def _add(self, view, endpoint, route, summary, auth, **declared):
        view.__name__ = view.__qualname__ = endpoint  # what @operation tells reads from writes by
        self.route(route, auth=auth, summary=summary, **declared)(view)

    def _item_schema(self) -> type[BaseModel]:
        """The schema of one item: what the page lists."""
        (item,) = typing.get_args(self.page.model_fields["data"].annotation)
        return item


def _taken(view: Callable, upload: bool) -> dict:
    """The schemas of the query string and the body a view takes, by its parameters' types (an
    upload's `body` is its form, read by the upload)."""
    types = typing.get_type_hints(view)
    return {name: types.get(name) for name in ("query", "body") if not (name == "body" and upload)}


def _list_field(body: type[BaseModel]) -> str:
    """The name of a batch body's one field, the list of items (`products`): errors name it."""
    (field,) = body.model_fields
    return field
