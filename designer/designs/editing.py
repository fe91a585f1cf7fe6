"""Changing the layers of a design or a template: the whole list, one layer, undo and redo.

One path for both: a change is checked (shape, then, for a design, the template's locks, then
the store's references and the layers' own rules, for the layers it touches only), recorded in
the undo history, and written. Callers own the transaction and the events: these only set
`owner.layers` and the history columns.

`enforce_locks` is True for designs (a customer's changes) and False for templates (the merchant
sets the locks).

A change reads the layers, changes them and writes them all back: two at once would each write
the list it read, and one of the two would be lost. So a request that changes an owner first
holds its row (hold_for_change), then reads it, and keeps it until its transaction ends.
"""

import re

from sqlalchemy import update

from designer.api.operations import parse
from designer.api.schemas import Schema
from designer.composer.layers import Layer, dump_layers, load_layers, prepare_layers
from designer.designs import history
from designer.designs.locks import check_locks
from designer.designs.models import Historied
from designer.designs.references import check_references
from designer.errors import NotFound, ValidationFailed
from designer.extensions import db
from designer.tenancy import in_store

_FIELD = re.compile(r"\blayers\.(\d+)(\.|\b)")


class _OneLayer(Schema):
    layer: Layer


def hold_for_change(model: type[Historied], store_id: str, owner_id: str) -> None:
    """Hold the row of the store's `model` (a Design or a Template) `owner_id` until the
    transaction ends: another request changing it waits here until this one has committed or
    rolled back. Call it before reading the row, so what is read is the last committed state.
    Nothing happens for an id the store does not have (the read that follows raises NotFound).

    PostgreSQL locks the one row (SELECT ... FOR UPDATE); changes to other rows go on beside it,
    and under READ COMMITTED the next statement reads what the last holder committed.
    SQLite has no row locks and one writer at a time: a write to the row (setting its version to
    itself) makes this transaction that writer now, before the read, as BEGIN IMMEDIATE would,
    and works whether or not the driver has begun the transaction already. The other writers
    queue on the busy timeout; the writer reads the newest state of the database.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        statement = (
            update(model)
            .where(model.id == owner_id)
            # updated_at named so its onupdate does not fire: holding the row changes nothing.
            .values(version=model.version, updated_at=model.updated_at)
            .execution_options(synchronize_session=False)
        )
    else:
        statement = db.select(model.id).where(model.id == owner_id).with_for_update()
    db.session.execute(in_store(statement, store_id))


def current_layers(owner: Historied) -> list[dict]:
    """The stored layers, in today's shape (fields added since they were stored, with defaults)."""
    return dump_layers(load_layers(owner.layers or []))


def replace_layers(store_id: str, owner: Historied, layers: list[Layer], *, enforce_locks: bool) -> None:
    """Make `layers` the owner's whole list. Errors name `layers.{index}.{field}`."""
    new = dump_layers(prepare_layers(layers))
    _apply(store_id, owner, current_layers(owner), new, enforce_locks=enforce_locks, prefix="layers")


def add_layer(store_id: str, owner: Historied, values: dict, *, enforce_locks: bool) -> dict:
    """Add the layer `values` (camelCase) in front of the others, unless its z says otherwise.
    Returns it as stored.

    Raises ValidationFailed naming the field (`fontSize`), or `id` for an id the owner's layers
    already use.
    """
    layer = _one_layer(values)
    stored = current_layers(owner)
    if layer.id is not None and any(item["id"] == layer.id for item in stored):
        raise ValidationFailed(f"Field 'id': layer id '{layer.id}' is already used here", field="id")
    if layer.z is None:
        layer = layer.model_copy(update={"z": max((item["z"] for item in stored), default=-1) + 1})
    [added] = dump_layers(prepare_layers([layer]))
    _apply(store_id, owner, stored, [*stored, added], enforce_locks=enforce_locks, prefix=None)
    return added


def change_layer(
    store_id: str, owner: Historied, layer_id: str, change: Schema, *, enforce_locks: bool
) -> None:
    """Change the fields `change` gives of the layer `layer_id`; nested objects are replaced whole.

    Raises NotFound for a layer the owner does not have; ValidationFailed naming the field
    (`fontSize`, or `text` for a field the layer's kind does not have).
    """
    stored = current_layers(owner)
    index = _index_of(stored, layer_id)
    given = change.model_dump(mode="json", by_alias=True, exclude_unset=True)
    merged = {**stored[index], **given}
    if not given:
        return
    changed = dump_layers([_one_layer(merged)])[0]
    if changed["z"] is None:
        changed["z"] = stored[index]["z"]
    new = [*stored[:index], changed, *stored[index + 1 :]]
    edit = f"{layer_id}:{','.join(sorted(given))}"
    _apply(store_id, owner, stored, new, enforce_locks=enforce_locks, prefix=None, edit=edit)


def delete_layer(store_id: str, owner: Historied, layer_id: str, *, enforce_locks: bool) -> None:
    """Delete the layer `layer_id`. Raises NotFound for a layer the owner does not have."""
    stored = current_layers(owner)
    index = _index_of(stored, layer_id)
    new = [*stored[:index], *stored[index + 1 :]]
    _apply(store_id, owner, stored, new, enforce_locks=enforce_locks, prefix=None)


def restore_layers(owner: Historied, layers: list[dict]) -> None:
    """Replace the layers with an accepted state (a template's layers on reset), as an undo step."""
    history.record(owner, owner.layers or [])
    owner.layers = layers


def _apply(
    store_id: str,
    owner: Historied,
    stored: list[dict],
    new: list[dict],
    *,
    enforce_locks: bool,
    prefix: str | None,
    edit: str | None = None,
) -> None:
    if new == stored:
        return
    if enforce_locks:
        check_locks(stored, new, prefix)
    before = {layer["id"]: layer for layer in stored}
    touched = [index for index, layer in enumerate(new) if before.get(layer["id"]) != layer]
    _check_references(store_id, new, touched, prefix)
    history.record(owner, owner.layers or [], edit)
    owner.layers = new


def _check_references(store_id: str, layers: list[dict], touched: list[int], prefix: str | None) -> None:
    """check_references for the touched layers only (one left broken by a deleted font does not
    stop every other change), with errors naming the field as the request does."""
    if not touched:
        return
    try:
        check_references(store_id, load_layers([layers[index] for index in touched]))
    except ValidationFailed as error:

        def rename(text: str | None) -> str | None:
            def replace(match: re.Match) -> str:
                index = touched[int(match.group(1))]
                return f"{prefix}.{index}{match.group(2)}" if prefix else ""

            return _FIELD.sub(replace, text) if text else text

        errors = [
            {**item, "field": rename(item["field"]), "message": rename(item["message"])}
            for item in error.errors
        ]
        raise ValidationFailed(errors[0]["message"], field=errors[0]["field"], errors=errors) from None


def _one_layer(values: dict) -> Layer:
    """`values` as a layer; errors name the field as the request does (`fontSize`)."""
    try:
        return parse(_OneLayer, {"layer": values}).layer
    except ValidationFailed as error:
        errors = [
            {
                **item,
                "field": (item["field"] or "").removeprefix("layer.") or None,
                "message": item["message"].replace("'layer.", "'", 1),
            }
            for item in error.errors
        ]
        raise ValidationFailed(errors[0]["message"], field=errors[0]["field"], errors=errors) from None


def _index_of(layers: list[dict], layer_id: str) -> int:
    for index, layer in enumerate(layers):
        if layer["id"] == layer_id:
            return index
    raise NotFound(f"No layer with id '{layer_id}'")
