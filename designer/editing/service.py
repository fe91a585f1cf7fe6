"""Changing the layers of a design or a template (their owner): the whole list, one layer; and
the owner's side composed with its layers.

One path for both: a change is checked (shape, then, when a customer makes it, the template's
locks, then the store's references and the layers' own rules, for the layers it touches only),
recorded in the undo history, and written. Each error names the field as the request does.
Callers own the transaction and the events: these only set `owner.layers` and the history
columns.

Who is editing decides the locks: a CUSTOMER (changing a design) is held to them, a MERCHANT
(changing a template) sets them.

A change reads the layers, changes them and writes them all back: two at once would each write
the list it read, and one of the two would be lost. So a request that changes an owner first
holds its row (hold_for_change), then reads it, and keeps it until its transaction ends.
"""

from typing import Literal

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import update

from designer.api.schemas import Schema
from designer.composer import Composition
from designer.composer.layers import Layer, dump_layers, load_layers, prepare_layers
from designer.editing import history
from designer.editing.assets import compose_from_store
from designer.editing.locks import check_locks
from designer.editing.models import Historied
from designer.editing.print_checks import checks_for
from designer.editing.references import check_references
from designer.errors import ApiError, NotFound, ValidationFailed, validation_failed
from designer.extensions import db
from designer.tenancy import in_store

Editor = Literal["customer", "merchant"]
CUSTOMER: Editor = "customer"
MERCHANT: Editor = "merchant"
DEFAULT_MIN_DPI = 150
_ONE_LAYER = TypeAdapter(Layer)


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


def compose_design(
    owner: Historied, mode: str = "preview", *, linked_files: bool = False
) -> Composition | None:
    """The owner's side (a design's or a template's) composed with its layers, at its product's
    minimum image DPI and with the checks before print at its limits (print_checks.py); None when
    its side is gone. `linked_files`: see composer.compose.

    A template is composed for the merchant authoring it: its problems also warn of character
    limits its boxes cannot hold (composer.compose's `for_merchant`); a design's never do, its
    customer cannot change a limit.
    """
    side, product = owner.side, owner.product
    if side is None or product is None:
        return None
    personalization = product.personalization or {}
    min_dpi = personalization.get("minImageDpi", DEFAULT_MIN_DPI) or None
    layers = load_layers(owner.layers or [])
    return compose_from_store(
        owner.store_id,
        side,
        layers,
        mode=mode,
        min_dpi=min_dpi,
        linked_files=linked_files,
        for_merchant=owner.authored_by_merchant,
        checks=checks_for(product),
    )


def replace_layers(store_id: str, owner: Historied, layers: list[Layer], *, editor: Editor) -> None:
    """Make `layers` the owner's whole list. Errors name `layers.{index}.{field}`."""
    new = dump_layers(prepare_layers(layers))
    _apply(store_id, owner, current_layers(owner), new, editor=editor, field="layers")


def add_layer(store_id: str, owner: Historied, new_layer: Schema, *, editor: Editor) -> dict:
    """Add `new_layer` (a LayerAdd: the fields given) in front of the others, unless its z says
    otherwise. Returns it as stored.

    Raises ValidationFailed naming the field (`fontSize`), or `id` for an id the owner's layers
    already use.
    """
    layer = _one_layer(new_layer.model_dump(mode="json", by_alias=True, exclude_unset=True))
    stored = current_layers(owner)
    if layer.id is not None and any(item["id"] == layer.id for item in stored):
        raise ValidationFailed(f"Field 'id': layer id '{layer.id}' is already used here", field="id")
    if layer.z is None:
        layer = layer.model_copy(update={"z": max((item["z"] for item in stored), default=-1) + 1})
    [added] = dump_layers(prepare_layers([layer]))
    _apply(store_id, owner, stored, [*stored, added], editor=editor, field=None)
    return added


def change_layer(store_id: str, owner: Historied, layer_id: str, change: Schema, *, editor: Editor) -> None:
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
    _apply(store_id, owner, stored, new, editor=editor, field=None, edit=edit)


def change_layers(store_id: str, owner: Historied, changes: list[Schema], *, editor: Editor) -> None:
    """Change several layers at once (each change a LayerChangeOf: a layer's id and the fields
    change_layer takes), as one undo step: every change, or none.

    Raises NotFound for a layer the owner does not have; ValidationFailed (a layer named twice, a
    bad value) or Forbidden (a lock) naming the field by the change's place (`layers.1.x`).
    """
    stored = current_layers(owner)
    new = list(stored)
    named = set()
    for position, change in enumerate(changes):
        if change.id in named:
            field = f"layers.{position}.id"
            raise ValidationFailed(f"Field '{field}': layer '{change.id}' is named twice", field=field)
        named.add(change.id)
        index = _index_of(stored, change.id)
        given = change.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude={"id"})
        try:
            changed = dump_layers([_one_layer({**stored[index], **given})])[0]
            if changed["z"] is None:
                changed["z"] = stored[index]["z"]
            if editor == CUSTOMER:
                check_locks([stored[index]], [changed], None)
        except ApiError as error:
            raise _named_at(error, f"layers.{position}") from None
        new[index] = changed
    _apply(store_id, owner, stored, new, editor=editor, field=None)


def _named_at(error: ApiError, prefix: str) -> ApiError:
    """`error` about one layer's field (`x`), named by the layer's place in a request (`layers.1.x`)."""
    field = f"{prefix}.{error.field}" if error.field else prefix
    message = (
        error.message.replace(f"Field '{error.field}'", f"Field '{field}'") if error.field else error.message
    )
    return type(error)(message, field=field)


def delete_layer(store_id: str, owner: Historied, layer_id: str, *, editor: Editor) -> None:
    """Delete the layer `layer_id`. Raises NotFound for a layer the owner does not have."""
    stored = current_layers(owner)
    index = _index_of(stored, layer_id)
    new = [*stored[:index], *stored[index + 1 :]]
    _apply(store_id, owner, stored, new, editor=editor, field=None)


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
    editor: Editor,
    field: str | None,
    edit: str | None = None,
) -> None:
    """Check and write the change from `stored` to `new`; errors name `{field}.{index}.{name}`,
    or just `{name}` when `field` is None (a request about one layer)."""
    if new == stored:
        return
    if editor == CUSTOMER:
        check_locks(stored, new, field)
    before = {layer["id"]: layer for layer in stored}
    # Only the layers the change touches: one left broken by a deleted font does not stop every
    # other change.
    touched = [index for index, layer in enumerate(new) if before.get(layer["id"]) != layer]
    if touched:
        check_references(store_id, load_layers([new[index] for index in touched]), field, touched)
    history.record(owner, owner.layers or [], edit)
    owner.layers = new


def _one_layer(values: dict) -> Layer:
    """`values` as a layer; errors name the field as the request does (`fontSize`)."""
    try:
        return _ONE_LAYER.validate_python(values)
    except ValidationError as error:
        raise validation_failed(error) from None


def _index_of(layers: list[dict], layer_id: str) -> int:
    for index, layer in enumerate(layers):
        if layer["id"] == layer_id:
            return index
    raise NotFound(f"No layer with id '{layer_id}'")
