"""The template's locks, enforced on every change a design goes through.

A design's layers carry the `locked` flags and `rules` of the template layers they came from.
`check_locks` compares the layers a design holds with the ones a change would leave, so every
change path (a whole new layers list, one layer changed, added or deleted) is judged by the same
function:

- `locked.move`: x, y, width, height, rotation and z stay as they are;
- `locked.edit`: everything else (text, font, colours, file, clipart, opacity, name…) stays;
- `locked.delete`: the layer stays;
- `locked`, `rules` and `ink` (a spot ink plate) come from the template: a design cannot change
  them, nor give them to a layer of its own.

Undo, redo and reset bring back states the server accepted before (or the template itself), so
they are not judged again.
"""

from collections.abc import Iterable

from designer.errors import Forbidden

GEOMETRY = ("x", "y", "width", "height", "rotation", "z")
FROM_TEMPLATE = ("locked", "rules", "ink")
_NOT_CONTENT = frozenset(("id", *GEOMETRY, *FROM_TEMPLATE))


def check_locks(stored: list[dict], new: list[dict], prefix: str | None = "layers") -> None:
    """Raise Forbidden when going from the `stored` layers to the `new` ones (both as stored,
    camelCase) breaks a lock.

    The error names the field: `{prefix}.{index}.{name}` of the new list (`layers.2.text`), just
    `{name}` when `prefix` is None (a request changing one layer), and `prefix` (or `layerId`)
    for a locked layer that is gone.
    """
    before = {layer["id"]: layer for layer in stored}
    kept = set()
    for index, layer in enumerate(new):
        old = before.get(layer["id"])

        def field(name: str, index=index) -> str:
            return name if prefix is None else f"{prefix}.{index}.{name}"

        if old is None:
            _check_own_layer(layer, field)
            continue
        kept.add(layer["id"])
        for name in FROM_TEMPLATE:
            if layer.get(name) != old.get(name):
                raise Forbidden(
                    f"Field '{field(name)}': a design cannot change a layer's {name}; "
                    "they come from the template",
                    field=field(name),
                )
        locked = old.get("locked") or {}
        if locked.get("move"):
            changed = _first_difference(old, layer, GEOMETRY)
            if changed is not None:
                raise Forbidden(f"{_title(old)} is locked: it cannot be moved", field=field(changed))
        if locked.get("edit"):
            names = [name for name in {**old, **layer} if name not in _NOT_CONTENT]
            changed = _first_difference(old, layer, names)
            if changed is not None:
                raise Forbidden(f"{_title(old)} is locked: it cannot be edited", field=field(changed))
    for layer in stored:
        if layer["id"] not in kept and (layer.get("locked") or {}).get("delete"):
            raise Forbidden(f"{_title(layer)} is locked: it cannot be deleted", field=prefix or "layerId")


def with_product_rules(layers: list[dict], rules: Iterable[dict]) -> list[dict]:
    """Template layers with the product's per-layer rules (personalization.layerRules, found by
    layer id or name) added to their own: a rule's `locked` locks everything, `required` makes
    the layer required, `maxChars` caps a text layer's length (the lower of the two wins)."""
    rules = list(rules)
    if not rules:
        return layers
    result = []
    for layer in layers:
        for rule in rules:
            if rule.get("layerId") not in (None, layer["id"]) or rule.get("layerName") not in (
                None,
                layer.get("name"),
            ):
                continue
            layer = {
                **layer,
                "locked": dict(layer.get("locked") or {}),
                "rules": dict(layer.get("rules") or {}),
            }
            if rule.get("locked"):
                layer["locked"] |= {"move": True, "edit": True, "delete": True}
            if rule.get("required"):
                layer["rules"]["required"] = True
            if rule.get("maxChars") is not None and layer["type"] == "text":
                current = layer["rules"].get("maxChars")
                layer["rules"]["maxChars"] = min(filter(None, (current, rule["maxChars"])))
        result.append(layer)
    return result


def _check_own_layer(layer: dict, field) -> None:
    """A layer the design adds has no locks and no rules: only a template gives them."""
    for name in FROM_TEMPLATE:
        if any((layer.get(name) or {}).values()):
            raise Forbidden(
                f"Field '{field(name)}': a design's own layers cannot carry {name}; "
                "they come from the template",
                field=field(name),
            )


def _first_difference(old: dict, new: dict, names: Iterable[str]) -> str | None:
    return next((name for name in names if old.get(name) != new.get(name)), None)


def _title(layer: dict) -> str:
    return f"Layer “{layer['name']}”" if layer.get("name") else f"Layer {layer['id']}"
