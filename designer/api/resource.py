"""The routes most resources offer alike, each declared in a room's routes.py in one call.

Getting one item by id, deleting it, and creating, updating or deleting several at once (all or
nothing: api/batch.py) are the same view for every resource but for the service functions it
calls. A room declares its resource once (its path, how to find an item in a store, how the API
shows one) and then each of these routes it offers, with the route's endpoint name (what
`url_for` knows it by), its summary and who may call it:

    sides = Resource("/sides", "side_id", resource="products", find=find_side, out=side_out, page=SidePage)
    sides.get("get_side", "Get a side", auth=ANYONE, public=is_public)  # GET /sides/<side_id>
    sides.delete("delete_side", "Delete a side", auth=WRITE, delete=delete_side)  # DELETE /sides/<side_id>
    sides.create_batch(...)  # POST /sides/batch
    sides.update_batch(...)  # PATCH /sides/batch
    sides.delete_batch(...)  # POST /sides/batch-delete

Every route takes the store in the query string (StoreQuery) and is wrapped in `@operation`, so it
is authorized, run as one unit of work and documented in the OpenAPI document like any other.
Routes that do more (a page, an htmx partial with more to show, a redirect) are written out in
the room as usual.
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
class Resource:
    """One resource's routes: `path` lists it, `path/<id_name>` is one item of it.

    `find(store_id, id)` is the store's item (raising NotFound for any other), `out(item)` how
    the API shows it, `page` the schema of a list of them. `resource` is what a token's scopes
    are checked against, `tag` the resource's heading in the OpenAPI document (by default the
    capitalized `resource`).
    """

    path: str
    id_name: str
    resource: str
    find: Callable[..., Any]
    out: Callable[[Any], BaseModel]
    page: type[Page]
    tag: str | None = None

    def get(self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], public: Callable | None = None):
        """GET path/<id>: the item. With `public(caller)`, `find` is told whether the caller is the
        public (and so sees only what the storefront shows)."""

        def view(caller, query: StoreQuery, **path):
            options = {"public": public(caller)} if public else {}
            return respond(self.out(self.find(store_id_of(caller), path[self.id_name], **options)))

        self._add(view, "GET", f"/<{self.id_name}>", endpoint, summary, auth, self._item_schema())

    def delete(self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], delete: Callable):
        """DELETE path/<id>: `delete(item)`; htmx gets an empty fragment in the item's place."""

        def view(caller, query: StoreQuery, **path):
            item_id = path[self.id_name]
            delete(self.find(store_id_of(caller), item_id))
            return respond(Deleted(id=item_id), partial=EMPTY)

        self._add(view, "DELETE", f"/<{self.id_name}>", endpoint, summary, auth, Deleted)

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

        self._add(view, "POST", "/batch", endpoint, summary, auth, self.page, body=body, status=201)

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

        self._add(view, "PATCH", "/batch", endpoint, summary, auth, self.page, body=body)

    def delete_batch(self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], delete: Callable):
        """POST path/batch-delete: `delete(item)` for each of the body's `ids`, or nothing deleted
        and each error (`delete` may return the id deleted, for an item named otherwise)."""

        def view(caller, query: StoreQuery, body: Ids):
            store_id = store_id_of(caller)
            return respond(delete_all(body.ids, lambda item_id: delete(self.find(store_id, item_id))))

        self._add(view, "POST", "/batch-delete", endpoint, summary, auth, DeletedPage, body=Ids)

    def _add(self, view, method, rule, endpoint, summary, auth, response, body=None, status=200):
        view.__name__ = view.__qualname__ = endpoint  # what @operation tells reads from writes by
        declared = operation(
            summary,
            resource=self.resource,
            auth=auth,
            query=StoreQuery,
            body=body,
            response=response,
            status=status,
            tag=self.tag,
        )
        api.add_url_rule(self.path + rule, endpoint, declared(view), methods=[method])

    def _item_schema(self) -> type[BaseModel]:
        """The schema of one item: what the page lists."""
        (item,) = typing.get_args(self.page.model_fields["data"].annotation)
        return item


def _list_field(body: type[BaseModel]) -> str:
    """The name of a batch body's one field, the list of items (`products`): errors name it."""
    (field,) = body.model_fields
    return field
