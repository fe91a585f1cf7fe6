"""What the designs and the templates name must exist in this store: the side a request body
names (its product: products/service.py find_product_or_invalid), and every font, clipart and
file a layers list names, each layer's content keeping to its own rules (the third step of
composer/layers.py).

`public=True` is how a storefront (a publishable token) sees the catalog: only published
products and sides exist for it. A reference to what does not exist (or is another store's, or
not published for a storefront) is a 422 naming the body field, exactly as an unknown id.
"""

from collections.abc import Iterable

from designer.composer.layers import (
    IMAGE_LAYER_FORMATS,
    ClipartLayer,
    ImageLayer,
    Layer,
    ShapeLayer,
    TextLayer,
)
from designer.errors import NotFound, ValidationFailed
from designer.extensions import db
from designer.files.models import File
from designer.library.models import Clipart, Font
from designer.products.models import Side
from designer.products.sides import find_side
from designer.tenancy import in_store

PUBLISHED = "publish"


def referenced_side(store_id: str, side_id: str, field: str) -> Side:
    """The side a request body names in `field`. Raises ValidationFailed naming `field` for none."""
    try:
        return find_side(store_id, side_id)
    except NotFound:
        raise ValidationFailed(
            f"Field '{field}': no side with id '{side_id}' in this store", field=field
        ) from None


def check_references(
    store_id: str, layers: list[Layer], field: str | None = "layers", positions: list[int] | None = None
) -> None:
    """Check that every font, clipart and file the layers name is the store's, and that each layer
    keeps to its own rules: text within `rules.maxChars`, fonts within `rules.fonts`, colours
    within `rules.colors`.

    Raises ValidationFailed listing each problem, the first naming its field as the request does:
    `{field}.{position}.{name}` (`layers.2.fontId`), the position being the layer's index in
    `layers` unless `positions` gives it (some layers of a longer list), or just `{name}` when
    `field` is None (a request about one layer). Another store's id is reported exactly as an
    unknown one, so nothing leaks between stores.
    """
    known = _Known.load(store_id, layers)
    problems: list[dict] = []
    for index, layer in enumerate(layers):
        at = f"{field}.{positions[index] if positions else index}." if field else ""
        for name, message in _layer_problems(layer, known):
            problems.append({"field": f"{at}{name}", "message": f"Field '{at}{name}': {message}"})
    if problems:
        raise ValidationFailed(problems[0]["message"], field=problems[0]["field"], errors=problems)


class _Known:
    """The store's fonts, clipart and files that a layers list names, fetched in one query each."""

    def __init__(self, fonts: dict[str, Font], families: set[str], clipart: dict[str, Clipart], files: dict):
        self.fonts = fonts
        self.families = families
        self.clipart = clipart
        self.files = files

    @classmethod
    def load(cls, store_id: str, layers: list[Layer]) -> "_Known":
        font_ids, families, clipart_ids, file_ids = set(), set(), set(), set()
        for layer in layers:
            if isinstance(layer, TextLayer):
                font_ids.update(filter(None, [layer.font_id, *layer.rules.fonts]))
                if layer.font_family:
                    families.add(layer.font_family.casefold())
            elif isinstance(layer, ClipartLayer):
                clipart_ids.add(layer.clipart_id)
            elif isinstance(layer, ImageLayer) and layer.file_id:
                file_ids.add(layer.file_id)
        fonts = _by_id(Font, font_ids, store_id)
        known_families = set()
        if families:
            # Compared in Python: SQLite's lower() folds ASCII only, and a store has few families.
            statement = in_store(db.select(Font.family).distinct(), store_id)
            known_families = {family.casefold() for family in db.session.scalars(statement)} & families
        clipart = _by_id(Clipart, clipart_ids, store_id)
        return cls(fonts, known_families, clipart, _by_id(File, file_ids, store_id))


def _by_id(model, ids: set[str], store_id: str) -> dict:
    # An id holding a NUL names nothing, and PostgreSQL cannot compare one.
    ids = {value for value in ids if "\x00" not in value}
    if not ids:
        return {}
    rows = db.session.scalars(in_store(db.select(model).where(model.id.in_(ids)), store_id))
    return {row.id: row for row in rows}


def _layer_problems(layer: Layer, known: _Known) -> Iterable[tuple[str, str]]:
    """(field within the layer, message) for each problem of one layer."""
    if isinstance(layer, TextLayer):
        yield from _text_problems(layer, known)
    elif isinstance(layer, ImageLayer):
        if layer.file_id is not None:
            file = known.files.get(layer.file_id)
            if file is None:
                yield "fileId", f"no file with id '{layer.file_id}' in this store"
            elif file.format not in IMAGE_LAYER_FORMATS:
                yield (
                    "fileId",
                    f"file '{layer.file_id}' is {file.format}; "
                    "an image layer takes JPEG, PNG, WebP, TIFF, GIF or SVG",
                )
    elif isinstance(layer, ClipartLayer):
        clipart = known.clipart.get(layer.clipart_id)
        if clipart is None:
            yield "clipartId", f"no clipart with id '{layer.clipart_id}' in this store"
        elif layer.color is not None and not clipart.recolorable:
            yield "color", f"clipart '{layer.clipart_id}' has several colours and cannot be recoloured"
    if isinstance(layer, ClipartLayer | ShapeLayer | TextLayer):
        yield from _colour_problems(layer)


def _text_problems(layer: TextLayer, known: _Known) -> Iterable[tuple[str, str]]:
    for position, font_id in enumerate(layer.rules.fonts):
        if font_id not in known.fonts:
            yield f"rules.fonts.{position}", f"no font with id '{font_id}' in this store"
    font = known.fonts.get(layer.font_id) if layer.font_id else None
    if layer.font_id is None and layer.font_family is None:
        # A font is never substituted silently, so a text layer says which one it is set in.
        yield "fontId", "a text layer needs fontId (or fontFamily)"
        return
    if layer.font_id is not None and font is None:
        yield "fontId", f"no font with id '{layer.font_id}' in this store"
    if layer.font_family is not None:
        if font is not None and font.family.casefold() != layer.font_family.casefold():
            yield "fontFamily", f"font '{font.id}' is of family '{font.family}', not '{layer.font_family}'"
        elif font is None and layer.font_id is None and layer.font_family.casefold() not in known.families:
            yield "fontFamily", f"no font of family '{layer.font_family}' in this store"
    # In plain words: the merchant meets these under the rule's field in the template editor.
    allowed = [known.fonts[font_id] for font_id in layer.rules.fonts if font_id in known.fonts]
    if allowed:
        if font is not None and font.id not in layer.rules.fonts:
            yield (
                "fontId",
                f"the layer's font ({font.family}) is not among its allowed fonts: "
                "allow it too, or change the font",
            )
        elif layer.font_id is None and layer.font_family.casefold() not in {
            allowed_font.family.casefold() for allowed_font in allowed
        }:
            yield (
                "fontFamily",
                f"the layer's font ({layer.font_family}) is not among its allowed fonts: "
                "allow it too, or change the font",
            )
    if layer.rules.max_chars is not None and len(layer.text) > layer.rules.max_chars:
        yield (
            "text",
            f"the text has {len(layer.text)} characters; this layer takes at most {layer.rules.max_chars}",
        )


def _colour_problems(layer: TextLayer | ClipartLayer | ShapeLayer) -> Iterable[tuple[str, str]]:
    allowed = layer.rules.colors
    if not allowed:
        return
    names = ("fill", "stroke") if isinstance(layer, ShapeLayer) else ("color",)
    for name in names:
        colour = getattr(layer, name)
        if colour is not None and colour not in allowed:
            yield (
                name,
                f"the layer's colour {colour} is not among its allowed colours ({', '.join(allowed)}): "
                "allow it too, or change the colour",
            )
