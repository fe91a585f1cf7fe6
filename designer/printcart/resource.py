"""How the PrintCart dialect declares a resource's routes once, as api/resource.py does the
native API's: what is the resource's own is said in its `Resource`, and each of the routes most
resources offer alike (list, count, get, update, delete, and the batches) is one call naming only
its endpoint, summary, who may call it and the service it runs:

    storages = Resource("/storages", tag="Storage", scope="categories", id_name="storage_id",
                        schema=StorageOut, out=storage_out, find=find_storage, model=Category,
                        sorts=STORAGE_SORTS, names=STORAGE_NAMES)
    storages.get("get_storage", "Get storage details", auth=UNAUTH)   # GET /storages/<storage_id>
    storages.delete("delete_storage", "Delete a storage", auth=BASIC, delete=delete_category)

A route of its own is declared with `route`, which says the rest (tag, scope, names). Every route
is an `operation` (dialect.py): authorized, run as one unit of work, and in /v1/openapi.json.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select

from designer.api.auth import Kind
from designer.api.batch import all_or_nothing
from designer.api.pagination import count
from designer.printcart.dialect import CREATED, DELETED, RETRIEVED, UPDATED, operation, page
from designer.printcart.schemas import Batch, CountData, Counted, Done, ListParams, Many, One


@dataclass(frozen=True, kw_only=True)
class Resource:
    """PrintCart's `path` ("/products"; the batches' body field is its last word), under the
    OpenAPI `tag`; `scope` is the native resource a secret token's scopes are checked against.
    `find(caller, id)` is the caller's item at `path/<id_name>` (raising NotFound for any
    other), `out(item)` how PrintCart shows it, as `schema`; lists page `model`'s rows by
    `sorts`; `names` maps the native fields the services refuse to PrintCart's."""

    path: str
    tag: str
    scope: str
    id_name: str
    schema: type[BaseModel]
    out: Callable[[Any], BaseModel]
    find: Callable[[Any, str], Any]
    model: type
    sorts: dict
    names: dict[str, str] = field(default_factory=dict)

    @property
    def noun(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def route(self, route: str, *, auth: tuple[Kind, ...], response: type[BaseModel], **declared) -> Callable:
        """Declare the view below as `route` ("PUT /<product_id>": the rule after `path`; the
        method alone for `path` itself), with `operation`'s other options where they differ."""
        method, _, rule = route.partition(" ")
        options = {"tag": self.tag, "resource": self.scope, "names": self.names} | declared
        return operation(f"{method} {self.path}{rule}", auth=auth, response=response, **options)

    def list(
        self,
        endpoint: str,
        summary: str,
        *,
        auth: tuple[Kind, ...],
        rows: Callable[..., Select],
        query: type[BaseModel] = ListParams,
        rule: str = "",
    ) -> None:
        """GET path+rule: a page of `rows(caller, query, **path)`."""

        def view(caller, query, **path):
            found, links, meta = page(rows(caller, query, **path), self.model, query, self.sorts, self.noun)
            shown = [self.out(row) for row in found]
            return Many[self.schema](data=shown, links=links, meta=meta, message=RETRIEVED)

        self._add(view, endpoint, summary, f"GET {rule}", auth, Many[self.schema], query=query)

    def count(
        self,
        endpoint: str,
        summary: str,
        *,
        auth: tuple[Kind, ...],
        rows: Callable[..., Select],
        rule: str = "",
    ) -> None:
        """GET path+rule/count: how many `rows(caller, **path)` there are."""

        def view(caller, **path):
            return Counted(data=CountData(count=count(rows(caller, **path), self.model)), message=RETRIEVED)

        self._add(view, endpoint, summary, f"GET {rule}/count", auth, Counted)

    def get(self, endpoint: str, summary: str, *, auth: tuple[Kind, ...]) -> None:
        """GET path/<id>: the item."""

        def view(caller, **path):
            return One[self.schema](data=self.out(self.find(caller, path[self.id_name])), message=RETRIEVED)

        self._add(view, endpoint, summary, f"GET /<{self.id_name}>", auth, One[self.schema])

    def create(
        self,
        endpoint: str,
        summary: str,
        *,
        auth: tuple[Kind, ...],
        body: type[BaseModel],
        create: Callable[[Any, Any], Any],
    ) -> None:
        """POST path: `create(caller, body)`, the item made."""

        def view(caller, body):
            return One[self.schema](data=self.out(create(caller, body)), message=CREATED)

        self._add(view, endpoint, summary, "POST", auth, One[self.schema], body=body, status=201)

    def update(
        self,
        endpoint: str,
        summary: str,
        *,
        auth: tuple[Kind, ...],
        body: type[BaseModel],
        update: Callable[[Any, Any], Any],
    ) -> None:
        """PUT path/<id>: `update(item, body)`, which answers the item changed."""

        def view(caller, body, **path):
            changed = update(self.find(caller, path[self.id_name]), body)
            return One[self.schema](data=self.out(changed), message=UPDATED)

        self._add(view, endpoint, summary, f"PUT /<{self.id_name}>", auth, One[self.schema], body=body)

    def delete(
        self, endpoint: str, summary: str, *, auth: tuple[Kind, ...], delete: Callable[[Any], Any]
    ) -> None:
        """DELETE path/<id>: `delete(item)`."""

        def view(caller, **path):
            delete(self.find(caller, path[self.id_name]))
            return Done(message=DELETED)

        self._add(view, endpoint, summary, f"DELETE /<{self.id_name}>", auth, Done)

    def create_batch(
        self,
        endpoint: str,
        summary: str,
        *,
        auth: tuple[Kind, ...],
        body: type[BaseModel],
        create: Callable[[Any, Any], Any],
    ) -> None:
        """POST path/batch: `create(caller, item)` for each item of the body, all or nothing."""

        def view(caller, body):
            made = all_or_nothing(self.noun, getattr(body, self.noun), lambda item: create(caller, item))
            return Batch[self.schema](data=[self.out(item) for item in made], message=CREATED)

        self._add(view, endpoint, summary, "POST /batch", auth, Batch[self.schema], body=body, status=201)

    def update_batch(
        self,
        endpoint: str,
        summary: str,
        *,
        auth: tuple[Kind, ...],
        body: type[BaseModel],
        update: Callable[[Any, Any], Any],
    ) -> None:
        """PUT path/batch: `update(item, its changes)` for each item the body names by id, all or
        nothing (every id is found first)."""

        def view(caller, body):
            changes = getattr(body, self.noun)
            pairs = [(self.find(caller, item.id), item) for item in changes]
            changed = all_or_nothing(self.noun, pairs, lambda pair: update(*pair))
            return Batch[self.schema](data=[self.out(item) for item in changed], message=UPDATED)

        self._add(view, endpoint, summary, "PUT /batch", auth, Batch[self.schema], body=body)

    def delete_batch(
        self,
        endpoint: str,
        summary: str,
        *,
        auth: tuple[Kind, ...],
        body: type[BaseModel],
        delete: Callable[[Any], Any],
    ) -> None:
        """DELETE path/batch: `delete(item)` for each item the body names by id, all or nothing."""

        def view(caller, body):
            found = [self.find(caller, item.id) for item in getattr(body, self.noun)]
            all_or_nothing(self.noun, found, delete)
            return Done(message=DELETED)

        self._add(view, endpoint, summary, "DELETE /batch", auth, Done, body=body)

    def _add(self, view, endpoint, summary, route, auth, response, **declared) -> None:
        view.__name__ = view.__qualname__ = endpoint
        view.__doc__ = summary
        method, _, rule = route.partition(" ")
        self.route(f"{method} {rule}".strip(), auth=auth, response=response, **declared)(view)
