"""PrintCart's bodies into the native services' inputs, and the domain's rows into PrintCart's
bodies. Nothing here decides a rule of the domain: every value goes through the native schemas
and services, and their refusals come back naming PrintCart's fields (`speaking`).

What PrintCart says that Presswork cannot do is refused naming the field, never dropped: AI and
PostScript uploads, products with dynamic sides or published on a print-on-demand page, bleed or
safe-zone margins that differ across and down.

Where PrintCart and Presswork see the same thing differently:
- lengths are in the product's unit, which PrintCart knows as cm or inch (a product made in mm
  shows in cm);
- a side's `side_image_size` is its trim size, `cut_line_margin` its bleed beyond the cut line,
  `safe_zone_margin` its safe zone inside it; `side_image_id` is its mockup (and its background
  when `bg_type` is image); `design_area` is where the trim sits on the mockup, in its pixels;
- `upload_max_filesize` is in megabytes; viewport sizes are whole pixels.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import PurePath

from flask import url_for
from PIL import ImageColor
from pydantic import ValidationError
from sqlalchemy import func, select

from designer.accounts import service as accounts
from designer.accounts.models import Account, Store
from designer.categories.models import Category
from designer.categories.schemas import CategoryCreate, CategoryUpdate
from designer.designs.models import Design
from designer.designs.schemas import DesignCreate, DesignUpdate
from designer.editing.references import referenced_side
from designer.errors import ApiError, ValidationFailed, validation_failed
from designer.extensions import db
from designer.files.models import File
from designer.files.schemas import UploadForm
from designer.files.service import find_file
from designer.library.models import Clipart, Font
from designer.previews3d.models import (
    EDGE_MODE,
    EDGE_STYLES,
    INVALID,
    MODEL_MODE,
    Model3D,
    Profile3D,
    SideMapping,
)
from designer.previews3d.present import preview_url
from designer.previews3d.previews import Preview3D
from designer.previews3d.schemas import (
    MappingPut,
    ModelListQuery,
    ProfilePut,
    Transform,
    UvRegion,
    ValidationReport,
)
from designer.previews3d.service import mappings_of
from designer.printcart import schemas as pc
from designer.printcart.layers import Canvas, layers_in, layers_out
from designer.products.models import Product, Side
from designer.products.present import product_out as native_product_out
from designer.products.present import side_out as native_side_out
from designer.products.schemas import ProductCreate, ProductUpdate, SideFields, SideUpdate
from designer.projects.models import Project
from designer.projects.schemas import ProjectCreate, ProjectUpdate
from designer.templates.models import Template
from designer.templates.schemas import TemplateCreate, TemplateUpdate
from designer.units import from_mm, to_mm
from designer.webhooks.models import PRINTCART_EVENTS, Webhook
from designer.webhooks.schemas import PRINTCART_EVENT_TYPES, WebhookCreate, WebhookUpdate

MB = 1024 * 1024
TIMEZONE = "UTC"


def moment(value: datetime) -> str:
    """A time as PrintCart writes it: 2021-11-16T08:26:30.000000Z."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@contextmanager
def speaking(names: dict[str, str]) -> Iterator[None]:
    """Refusals raised inside (by a native schema or service) name PrintCart's fields: `names`
    maps a native field (`personalization.maxFiles`) to PrintCart's (`max_file_upload`); a field
    inside one (`categoryIds.2`) is renamed by its start."""
    try:
        yield
    except ValidationError as error:
        raise _renamed(validation_failed(error), names) from None
    except ApiError as error:
        raise _renamed(error, names) from None


def _renamed(error: ApiError, names: dict[str, str]) -> ApiError:
    error.field = _field(error.field, names)
    error.message = _text(error.message, names)
    if getattr(error, "errors", None):
        error.errors = [
            item | {"field": _field(item.get("field"), names), "message": _text(item["message"], names)}
            for item in error.errors
        ]
    return error


def _field(field: str | None, names: dict[str, str]) -> str | None:
    if field is None:
        return None
    for native in sorted(names, key=len, reverse=True):
        if field == native or field.startswith(native + "."):
            return names[native] + field[len(native) :]
    return field


def _text(message: str, names: dict[str, str]) -> str:
    for native in sorted(names, key=len, reverse=True):
        message = message.replace(f"'{native}", f"'{names[native]}")
    return message


def refuse(field: str, why: str) -> ValidationFailed:
    return ValidationFailed(f"Field '{field}': {why}", field=field)


# Accounts and stores


def account_out(account: Account) -> pc.AccountOut:
    return pc.AccountOut(
        id=account.id,
        name=account.name,
        email=account.email,
        created_at=moment(account.created_at),
        updated_at=moment(account.updated_at),
    )


_INTEGRATION_FIELDS = {
    "google_font_api": "google_fonts_key",
    "unsplash": "unsplash_key",
    "pixabay": "pixabay_key",
    "pexels": "pexels_key",
    "shop_url": "shop_url",
    "integration_type": "platform",
}


def integration_changes(body: pc.StoreUpdateIn) -> dict[str, str | None]:
    """The store's integration fields the body gives (accounts/service.py `update_integration`)."""
    return {
        native: getattr(body, name)
        for name, native in _INTEGRATION_FIELDS.items()
        if name in body.model_fields_set
    }


def store_out(store: Store, *, secret: str | None = None, public: bool = False) -> pc.StoreOut:
    """The store as PrintCart shows it; its keys only by their last characters, its secret token
    only when just made (`secret`), and to the public (its publishable token) neither its sid nor
    its integration."""
    integration = {} if public else accounts.integration_of(store)
    return pc.StoreOut(
        id=store.id,
        name=store.name,
        sid=None if public else store.id,
        secret=secret,
        unauth_token=store.publishable_token,
        google_font_api=integration.get("google_fonts_key"),
        shop_url=integration.get("shop_url"),
        view_store_url=integration.get("shop_url"),
        integration_type=integration.get("platform"),
        is_integrated="platform" in integration,
        unsplash_key=integration.get("unsplash_key"),
        pixabay_key=integration.get("pixabay_key"),
        pexels_key=integration.get("pexels_key"),
        timezone=TIMEZONE,
        created_at=moment(store.created_at),
        updated_at=moment(store.updated_at),
    )


# Images


IMAGE_NAMES = {"purpose": "type", "thumbnailWidthPx": "custom_width", "files": "files[]"}
_PURPOSES = {None: "upload", "cliparts": "clipart", "designs": "design"}


def image_upload(form: pc.ImageForm) -> UploadForm:
    """The native upload's fields: PrintCart's `type` is its purpose (none: an upload), its
    `custom_width` the thumbnail's size."""
    with speaking(IMAGE_NAMES):
        return UploadForm(purpose=_PURPOSES[form.type], thumbnail_width_px=form.custom_width)


def image_out(store_id: str, file_id: str | None) -> pc.ImageOut | None:
    """The store's file `file_id` as PrintCart shows an image; None for none."""
    file: File | None = find_file(store_id, file_id) if file_id else None
    return image_of(file) if file is not None else None


def image_of(file: File) -> pc.ImageOut:
    thumbnail = (
        url_for("api.get_file_thumbnail", file_id=file.id, _external=True) if file.thumbnail_key else None
    )
    return pc.ImageOut(
        id=file.id,
        name=file.filename,
        url=url_for("api.get_file_content", file_id=file.id, _external=True),
        thumbnails=pc.Thumbnails(small=thumbnail, medium=thumbnail) if thumbnail else None,
        alt=file.filename,
        width=file.width_px,
        height=file.height_px,
        created_at=moment(file.created_at),
        updated_at=moment(file.updated_at),
    )


# Products

PRODUCT_NAMES = {
    "type": "type_id",
    "parentId": "parent_id",
    "dimensionUnit": "dimension_unit",
    "categoryIds": "category_ids",
    "imageFileId": "product_image_id",
    "personalization.enableDesign": "enable_design",
    "personalization.enableUpload": "enable_upload",
    "personalization.allowedFileTypes": "allowed_file_types",
    "personalization.maxFiles": "max_file_upload",
    "personalization.maxUploadBytes": "upload_max_filesize",
    "personalization.minImageDpi": "min_jpg_dpi",
    "personalization.viewport.width": "viewport_width",
    "personalization.viewport.height": "viewport_height",
    "personalization.viewport.scale": "scale",
    "personalization": "body",
}
_PRODUCT_FIELDS = {
    "name": "name",
    "description": "description",
    "status": "status",
    "dpi": "dpi",
    "dimension_unit": "dimensionUnit",
    "category_ids": "categoryIds",
    "product_image_id": "imageFileId",
    "type_id": "type",
    "parent_id": "parentId",
}
_PERSONALIZATION_FIELDS = {
    "enable_design": "enableDesign",
    "enable_upload": "enableUpload",
    "max_file_upload": "maxFiles",
    "min_jpg_dpi": "minImageDpi",
}
_FILE_TYPES = ("jpg", "png", "pdf", "svg")  # PrintCart's that Presswork takes (not ai, ps)


def product_create(body: pc.ProductIn) -> ProductCreate:
    """The native ProductCreate for PrintCart's product (cm and 72 dpi unless told)."""
    values = {"dimensionUnit": "cm", "dpi": 72} | _product_values(body, None)
    with speaking(PRODUCT_NAMES):
        return ProductCreate.model_validate(values)


def product_update(body: pc.ProductUpdateIn, product: Product) -> ProductUpdate:
    """The native ProductUpdate for the fields PrintCart's body gives."""
    with speaking(PRODUCT_NAMES):
        return ProductUpdate.model_validate(_product_values(body, product))


def _product_values(body: pc.ProductFieldsIn, product: Product | None) -> dict:
    given = {name for name in body.model_fields_set if getattr(body, name) is not None}
    if body.dynamic_side:
        raise refuse("dynamic_side", "Presswork products have the sides their merchant made; send false")
    if body.enable_pod:
        raise refuse("enable_pod", "Presswork has no print-on-demand page to publish on; send false")
    values = {native: getattr(body, name) for name, native in _PRODUCT_FIELDS.items() if name in given}
    if "metadata" in given:
        values["metadata"] = _metadata(body.metadata)
    rules = {native: getattr(body, name) for name, native in _PERSONALIZATION_FIELDS.items() if name in given}
    if "allowed_file_types" in given:
        rules["allowedFileTypes"] = _file_types(body.allowed_file_types)
    if "upload_max_filesize" in given:
        rules["maxUploadBytes"] = body.upload_max_filesize * MB
    viewport = _viewport(body, product, given)
    if viewport is not None:
        rules["viewport"] = viewport
    if rules:
        values["personalization"] = rules
    return values


def _metadata(value: dict | list) -> dict:
    if isinstance(value, dict):
        return value
    if value:
        raise refuse("metadata", "give your keys and values as an object; a list has no keys to keep")
    return {}


def _file_types(types: list[str]) -> list[str]:
    for index, kind in enumerate(types):
        if kind not in _FILE_TYPES:
            raise refuse(
                f"allowed_file_types.{index}",
                f"Presswork cannot check {kind} uploads for print; use {', '.join(_FILE_TYPES)}",
            )
    return types


def _viewport(body: pc.ProductFieldsIn, product: Product | None, given: set[str]) -> dict | None:
    names = {"viewport_width": "width", "viewport_height": "height", "scale": "scale"}
    if not given & set(names):
        return None
    current = ((product.personalization or {}).get("viewport") or {}) if product else {}
    viewport = dict(current) | {
        native: _whole(getattr(body, name)) for name, native in names.items() if name in given
    }
    for name, native in names.items():
        if native not in viewport and native != "scale":
            raise refuse(name, "give viewport_width and viewport_height together")
    return viewport


def _whole(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def unit_of(product: Product) -> str:
    """The product's unit as PrintCart knows it: cm or inch (a product in mm shows in cm)."""
    return product.dimension_unit if product.dimension_unit in ("cm", "inch") else "cm"


def product_out(product: Product, sides: list[Side] | None = None) -> pc.ProductOut:
    native = native_product_out(product, sides)
    rules = native.personalization
    viewport = rules.viewport
    return pc.ProductOut(
        id=native.id,
        name=native.name,
        slug=native.slug,
        description=native.description,
        type_id=native.type,
        parent_id=native.parent_id,
        category_ids=native.category_ids,
        dynamic_side=False,
        viewport_width=viewport.width if viewport else None,
        viewport_height=viewport.height if viewport else None,
        scale=viewport.scale if viewport else None,
        dpi=native.dpi,
        dimension_unit=unit_of(product),
        status=native.status,
        allowed_file_types=[kind for kind in rules.allowed_file_types if kind in _FILE_TYPES],
        max_file_upload=rules.max_files,
        min_jpg_dpi=rules.min_image_dpi,
        enable_design=rules.enable_design,
        enable_upload=rules.enable_upload,
        enable_pod=False,
        upload_max_filesize=rules.max_upload_bytes // MB,
        product_image=image_out(product.store_id, native.image_file_id),
        metadata=native.metadata,
        created_at=moment(native.created_at),
        updated_at=moment(native.updated_at),
    )


# Sides

SIDE_NAMES = {
    "productId": "product_id",
    "width": "side_image_size.width",
    "height": "side_image_size.height",
    "bleed": "cut_line_margin",
    "cutLineMargin": "cut_line_margin",
    "safeZone": "safe_zone_margin",
    "showSafeZone": "show_safe_zone",
    "showCutLine": "show_cut_line",
    "backgroundType": "bg_type",
    "backgroundColor": "bg_color_value",
    "backgroundFileId": "side_image_id",
    "backgroundPrinted": "background_included",
    "overlayFileId": "img_overlay_id",
    "showOverlay": "show_overlay",
    "overlayPrinted": "include_overlay",
    "mockupFileId": "side_image_id",
    "designArea.x": "design_area.left",
    "designArea.y": "design_area.top",
    "designArea": "design_area",
}
_SIDE_FIELDS = {
    "name": "name",
    "status": "status",
    "scale": "scale",
    "show_safe_zone": "showSafeZone",
    "show_cut_line": "showCutLine",
    "bg_type": "backgroundType",
    "background_included": "backgroundPrinted",
    "img_overlay_id": "overlayFileId",
    "show_overlay": "showOverlay",
    "include_overlay": "overlayPrinted",
    "side_image_id": "mockupFileId",
}


def side_create(body: pc.SideIn, product: Product) -> SideFields:
    """The native side for PrintCart's (a background of the side image unless `bg_type` says
    otherwise); its print size is `side_image_size`, or its design area's pixels at the
    product's DPI."""
    values = {"backgroundType": "image"} | _side_values(body, product, None)
    if values["backgroundType"] == "image":
        values["backgroundFileId"] = body.side_image_id
    if "width" not in values:
        if body.design_area is None:
            raise refuse("side_image_size", "give the side's print size (or its design_area in pixels)")
        values["width"], values["height"] = (
            from_mm(to_mm(pixels / product.dpi, "inch"), product.dimension_unit)
            for pixels in (body.design_area.width, body.design_area.height)
        )
    with speaking(SIDE_NAMES):
        return SideFields.model_validate(values)


def side_update(body: pc.SideFieldsIn, side: Side) -> SideUpdate:
    """The native change for the fields PrintCart's body gives; a new side image is the side's
    background too while its background is an image."""
    if body.product_id is not None and body.product_id not in (side.product_id, side.product.slug):
        raise refuse("product_id", "a side stays on its product; create a side on the other one")
    values = _side_values(body, side.product, side)
    if values.get("backgroundType", side.background_type) == "image" and (
        "mockupFileId" in values or "backgroundType" in values
    ):
        values["backgroundFileId"] = values.get("mockupFileId", side.mockup_file_id)
    with speaking(SIDE_NAMES):
        return SideUpdate.model_validate(values)


def _side_values(body: pc.SideFieldsIn, product: Product, side: Side | None) -> dict:
    given = {name for name in body.model_fields_set if getattr(body, name) is not None}
    values = {native: getattr(body, name) for name, native in _SIDE_FIELDS.items() if name in given}

    def length(value: float) -> float:
        return from_mm(to_mm(value, unit_of(product)), product.dimension_unit)

    if "side_image_size" in given:
        values["width"] = length(body.side_image_size.width)
        values["height"] = length(body.side_image_size.height)
    for name, native in (("cut_line_margin", "bleed"), ("safe_zone_margin", "safeZone")):
        if name in given:
            values[native] = length(_even(getattr(body, name), name))
    if "bg_color_value" in given:
        values["backgroundColor"] = _color(body.bg_color_value)
    if "design_area" in given:
        area = body.design_area
        values["designArea"] = {"x": area.left, "y": area.top, "width": area.width, "height": area.height}
    return values


def _even(margin: pc.Margin, field: str) -> float:
    if margin.x != margin.y:
        raise refuse(f"{field}.y", "Presswork keeps one margin on every edge; give x and y alike")
    return margin.x


def _color(value: str) -> str:
    """A CSS colour (red, #f00, rgb(255, 0, 0)) as #rrggbb."""
    try:
        red, green, blue, *_ = ImageColor.getrgb(value)
    except ValueError:
        raise refuse("bg_color_value", f"'{value}' is not a colour; give a name or #rrggbb") from None
    return f"#{red:02x}{green:02x}{blue:02x}"


def side_out(side: Side) -> pc.SideOut:
    unit = unit_of(side.product)
    native = native_side_out(side, unit)
    area = native.design_area
    return pc.SideOut(
        id=native.id,
        product_id=native.product_id,
        name=native.name,
        scale=native.scale,
        dimension_unit=unit,
        status=native.status,
        design_area=pc.Area(width=area.width, height=area.height, top=area.y, left=area.x) if area else None,
        show_cut_line=native.show_cut_line,
        cut_line_margin=pc.Margin(x=native.bleed, y=native.bleed),
        show_safe_zone=native.show_safe_zone,
        safe_zone_margin=pc.Margin(x=native.safe_zone, y=native.safe_zone),
        side_image_size=pc.Size(width=native.width, height=native.height),
        side_image=image_out(side.store_id, native.mockup_file_id or native.background_file_id),
        product=product_out(side.product),
        bg_type=native.background_type,
        bg_color_value=native.background_color,
        img_overlay=image_out(side.store_id, native.overlay_file_id),
        background_included=native.background_printed,
        show_overlay=native.show_overlay,
        include_overlay=native.overlay_printed,
        created_at=moment(native.created_at),
        updated_at=moment(native.updated_at),
    )


# Storages: Presswork's categories

STORAGE_NAMES = {"parentId": "parent_id"}


def storage_create(body: pc.StorageIn) -> CategoryCreate:
    with speaking(STORAGE_NAMES):
        return CategoryCreate.model_validate(body.model_dump(exclude_unset=True))


def storage_update(body: pc.StorageUpdateIn) -> CategoryUpdate:
    with speaking(STORAGE_NAMES):
        return CategoryUpdate.model_validate(body.model_dump(exclude_unset=True))


def storage_out(category: Category) -> pc.StorageOut:
    return pc.StorageOut(
        id=category.id,
        name=category.name,
        parent_storage_id=category.parent_id,
        created_at=moment(category.created_at),
        updated_at=moment(category.updated_at),
    )


# Fonts and cliparts: the store's library

FONT_FIXED = ("alias", "url", "type", "subset")
CLIPART_NAMES = {"categoryIds": "storages", "files": "files[]"}


def font_family(body: pc.FontUpdateIn, font: Font) -> str | None:
    """The family PrintCart's `name` gives. Raises ValidationFailed naming a field read from the
    font's file (alias, url, type, subset) given another value."""
    shown = font_out(font)
    for name in FONT_FIXED:
        value = getattr(body, name)
        if value is not None and value != getattr(shown, name):
            raise refuse(name, "it is read from the font's file; upload another font to change it")
    return body.name


def font_registered(body: pc.FontIn, font: Font) -> None:
    """Refuse, naming it, an alias, type or subset that the fetched font's file does not have."""
    shown = font_out(font)
    for name in ("alias", "type", "subset"):
        value, read = getattr(body, name), getattr(shown, name)
        if value is not None and value != read:
            raise refuse(name, f"the font's file says '{read}'; send that, or leave it out")


def font_out(font: Font) -> pc.FontOut:
    return pc.FontOut(
        id=font.id,
        name=font.family,
        alias=font.postscript_name or font.full_name or font.family,
        url=url_for("api.get_font_file", font_id=font.id, storeId=font.store_id, _external=True),
        type=font.format,
        subset=",".join(font.scripts or []),
        created_at=moment(font.created_at),
        updated_at=moment(font.updated_at),
    )


def clipart_out(clipart: Clipart) -> pc.ClipartOut:
    thumbnail = (
        url_for("api.get_file_thumbnail", file_id=clipart.file_id, _external=True)
        if clipart.file_id and clipart.thumbnail_key
        else None
    )
    return pc.ClipartOut(
        id=clipart.id,
        name=clipart.name,
        url=url_for("api.get_clipart_file", clipart_id=clipart.id, storeId=clipart.store_id, _external=True),
        thumbnails=pc.Thumbnails(small=thumbnail, medium=thumbnail) if thumbnail else None,
        alt=clipart.name,
        width=clipart.width_px,
        height=clipart.height_px,
        storages=[category.id for category in clipart.categories],
        created_at=moment(clipart.created_at),
        updated_at=moment(clipart.updated_at),
    )


# Projects


def project_create(body: pc.ProjectIn) -> tuple[ProjectCreate, ProjectUpdate | None]:
    """The native project (no product: its designs may be on several) and, for a status other
    than processing, the move to it (through the status diagram, projects/service.py)."""
    with speaking({}):
        fields = ProjectCreate(name=body.name, note=body.note)
        move = ProjectUpdate(status=body.status) if body.status != "processing" else None
    return fields, move


def project_update(body: pc.ProjectUpdateIn) -> ProjectUpdate:
    with speaking({}):
        return ProjectUpdate.model_validate(body.model_dump(exclude_unset=True, exclude={"id"}))


def project_out(project: Project) -> pc.ProjectOut:
    return pc.ProjectOut(
        id=project.id,
        name=project.name,
        status=project.status,
        note=project.note,
        product_id=project.product_id,
        created_at=moment(project.created_at),
        updated_at=moment(project.updated_at),
    )


# Webhooks: a PrintCart webhook is one of its topics and events, sent as printcart/topics.py
# tells them

WEBHOOK_NAMES = {"url": "callback_url", "events": "topic"}


def webhook_create(body: pc.WebhookIn) -> WebhookCreate:
    with speaking(WEBHOOK_NAMES):
        return WebhookCreate(url=body.callback_url, events=[topic_event_type(body.topic, body.event)])


def webhook_update(body: pc.WebhookUpdateIn, webhook: Webhook) -> WebhookUpdate:
    """The change PrintCart's body asks; a topic or event alone keeps the other as it was."""
    shown = webhook_out(webhook)
    changes = {"url": body.callback_url} if body.callback_url is not None else {}
    if body.topic is not None or body.event is not None:
        topic, event = body.topic or shown.topic, body.event or shown.event
        if topic is None or event is None:
            raise refuse("topic", "give the webhook's topic and event together")
        changes["events"] = [topic_event_type(topic, event)]
    with speaking(WEBHOOK_NAMES):
        return WebhookUpdate(**changes)


def topic_event_type(topic: str, event: str) -> str:
    """The event type of PrintCart's `topic` ("products") and event ("POST BATCH")."""
    return f"{PRINTCART_EVENTS}{topic}.{event}"


def topic_of(event_type: str) -> tuple[str, str] | None:
    """PrintCart's topic and event of the event type, when it is one of them."""
    if event_type not in PRINTCART_EVENT_TYPES:
        return None
    topic, _, event = event_type.removeprefix(PRINTCART_EVENTS).partition(".")
    return topic, event


def webhook_out(webhook: Webhook, *, secret: str | None = None) -> pc.WebhookOut:
    """The webhook as PrintCart shows it: its first event type that is one of PrintCart's topics
    (a webhook made through /api/v1 may send several, or others); with its secret once made."""
    topic, event = next(filter(None, map(topic_of, webhook.events)), (None, None))
    return pc.WebhookOut(
        id=webhook.id,
        event=event,
        callback_url=webhook.url,
        topic=topic,
        secret=secret,
        created_at=moment(webhook.created_at),
        updated_at=moment(webhook.updated_at),
    )


# Designs


def _output_options(product: Product | None) -> pc.OutputOptions | None:
    return pc.OutputOptions(dpi=product.dpi, dimension_unit=unit_of(product)) if product else None


def _viewport_of(product: Product | None) -> pc.Viewport | None:
    viewport = (product.personalization or {}).get("viewport") if product else None
    return pc.Viewport(width=viewport["width"], height=viewport["height"]) if viewport else None


def canvas_of(product: Product) -> Canvas:
    """The product's canvas: its DPI, and the store's fonts and files layers name."""
    store_id = product.store_id

    def face(family: str, weight: int, style: str) -> str | None:
        statement = select(Font.id).where(
            Font.store_id == store_id,
            func.lower(Font.family) == family.lower(),
            Font.weight == weight,
            Font.style == style,
        )
        return db.session.scalars(statement.order_by(Font.id)).first()

    def font(font_id: str) -> tuple[str, int, str] | None:
        row = db.session.get(Font, font_id)
        return (row.family, row.weight, row.style) if row is not None and row.store_id == store_id else None

    def src(kind: str, item_id: str) -> str:
        if kind == "clipart":
            return url_for("api.get_clipart_file", clipart_id=item_id, storeId=store_id, _external=True)
        return url_for("api.get_file_content", file_id=item_id, _external=True)

    return Canvas(dpi=product.dpi, face=face, font=font, src=src)


def _refuse_rendered(body: pc.DesignFieldsIn | pc.TemplateFieldsIn, product: Product, image: str) -> None:
    """Refuse what Presswork makes itself or keeps elsewhere: the design's images (it renders
    them), an upload-only design, a viewport other than the product's."""
    for name in ("preview_image_id", image):
        if getattr(body, name) is not None:
            raise refuse(name, "Presswork renders this image itself from the layers; leave it out")
    if getattr(body, "is_uploader", False):
        raise refuse("is_uploader", "a customer's upload is an image layer of the design; send false")
    shown = _viewport_of(product)
    for name, value in (("viewport_width", body.viewport_width), ("viewport_height", body.viewport_height)):
        if value is not None and (shown is None or round(value) != round(getattr(shown, name[9:]))):
            raise refuse(name, "the viewport is the product's; change it on the product")


def _layers(body, product: Product, names: dict[str, str]) -> dict:
    if body.layers is None:
        return {}
    layers, layer_names = layers_in(body.layers, canvas_of(product))
    names |= layer_names
    return {"layers": layers}


DESIGN_NAMES = {"productId": "side_id", "sideId": "side_id", "projectId": "project_id"}


def design_create(store_id: str, body: pc.DesignIn) -> tuple[DesignCreate, dict[str, str]]:
    """The native DesignCreate for PrintCart's design (on the side's product), and the names
    that turn the services' refusals into PrintCart's fields."""
    side = referenced_side(store_id, body.side_id, "side_id")
    _refuse_rendered(body, side.product, "design_image_id")
    names = dict(DESIGN_NAMES)
    values = {"productId": side.product_id, "sideId": side.id, "note": body.note or ""}
    if body.project_id is not None:
        values["projectId"] = body.project_id
    values |= _layers(body, side.product, names)
    with speaking(names):
        return DesignCreate.model_validate(values), names


def design_update(body: pc.DesignFieldsIn, design: Design) -> tuple[DesignUpdate, dict[str, str]]:
    """The native change for the fields PrintCart's body gives; a design stays on its side and
    in its project."""
    for name, value, current in (
        ("side_id", body.side_id, design.side_id),
        ("project_id", body.project_id, design.project_id),
    ):
        if value is not None and value != current:
            raise refuse(name, "a design stays where it was made; create a design there instead")
    _refuse_rendered(body, design.product, "design_image_id")
    names = dict(DESIGN_NAMES)
    values = {name: getattr(body, name) for name in ("note", "status") if getattr(body, name) is not None}
    values |= _layers(body, design.product, names)
    with speaking(names):
        return DesignUpdate.model_validate(values), names


def design_out(design: Design, *, layers: bool = False) -> pc.DesignOut:
    product = design.product
    return pc.DesignOut(
        id=design.id,
        note=design.note,
        status=design.status,
        side=side_out(design.side) if design.side else None,
        product=product_out(product) if product else None,
        project=project_out(design.project) if design.project else None,
        design_image=image_out(design.store_id, design.proof_file_id),
        original_output_options=_output_options(product),
        viewport=_viewport_of(product),
        layers=layers_out(design.layers, canvas_of(product)) if layers and product else None,
        created_at=moment(design.created_at),
        updated_at=moment(design.updated_at),
    )


# Templates


TEMPLATE_NAMES = {"sideId": "side_id", "name": "note"}


def _refuse_project(body: pc.TemplateFieldsIn) -> None:
    if body.project_id is not None:
        raise refuse("project_id", "a template belongs to its side, for every project; leave it out")


def template_create(store_id: str, body: pc.TemplateIn) -> tuple[TemplateCreate, dict[str, str]]:
    """The native TemplateCreate for PrintCart's template: its note is its name."""
    _refuse_project(body)
    side = referenced_side(store_id, body.side_id, "side_id")
    _refuse_rendered(body, side.product, "template_image_id")
    names = dict(TEMPLATE_NAMES)
    values = {"sideId": side.id, "name": body.note or "Template"} | _layers(body, side.product, names)
    with speaking(names):
        return TemplateCreate.model_validate(values), names


def template_update(body: pc.TemplateFieldsIn, template: Template) -> tuple[TemplateUpdate, dict[str, str]]:
    """The native change for the fields PrintCart's body gives; a template stays on its side."""
    _refuse_project(body)
    if body.side_id is not None and body.side_id != template.side_id:
        raise refuse("side_id", "a template stays on its side; duplicate it to another one")
    _refuse_rendered(body, template.product, "template_image_id")
    names = dict(TEMPLATE_NAMES)
    values = {"name": body.note} if body.note is not None else {}
    values |= _layers(body, template.product, names)
    with speaking(names):
        return TemplateUpdate.model_validate(values), names


def template_out(template: Template, *, layers: bool = False) -> pc.TemplateOut:
    return pc.TemplateOut(
        id=template.id,
        name=template.name,
        note=template.name,
        status=template.status,
        is_default=template.is_default,
        side=side_out(template.side),
        product=product_out(template.product),
        original_output_options=_output_options(template.product),
        viewport=_viewport_of(template.product),
        layers=layers_out(template.layers, canvas_of(template.product)) if layers else None,
        created_at=moment(template.created_at),
        updated_at=moment(template.updated_at),
    )


# 3D: a product's profile, a store's GLB models, a side's mapping, and the previews drawn.
# PrintCart's `edge_preview` and `model_preview` modes are Presswork's `edge` and `model`, its
# model status `failed` Presswork's `invalid`, its unit `in` Presswork's `inch`.

PROFILE_MODES_3D = {EDGE_MODE: "edge_preview", MODEL_MODE: "model_preview"}
MODEL_STATUSES_3D = {INVALID: "failed"}
DEPTH_UNITS = {"inch": "in"}
PROFILE_3D_NAMES = {
    "edgeStyle": "edge_style_default",
    "edgeDepth": "edge_depth",
    "edgeDepthUnit": "edge_depth_unit",
    "modelId": "mode",
}
MAPPING_3D_NAMES = {
    "modelId": "model_id",
    "materialName": "material_name",
    "surfaceName": "surface_name",
    "uvRegion": "mapping",
}


def _native(names: dict[str, str]) -> dict[str, str]:
    """PrintCart's names back to Presswork's."""
    return {name: native for native, name in names.items()}


def profile_3d_put(body: pc.Profile3DIn, profile: Profile3D | None) -> ProfilePut:
    """The native profile the body makes (`profile` None) or makes of `profile` (what the body
    leaves out stays as it is). PrintCart's profile names no model: `model_preview` keeps the
    model the profile is on (chosen through /api/v1)."""
    if body.mode == "hybrid":
        raise refuse("mode", "Presswork shows a product on its 3D model or with edges, not both")
    refuse_undrawn("edge_style_default", body.edge_style_default)
    values = {}
    if profile is not None:
        kept = ("mode", "enabled", "model_id", "edge_style", "edge_color", "edge_depth", "edge_depth_unit")
        values = {name: getattr(profile, name) for name in kept}
    given = {
        "mode": _native(PROFILE_MODES_3D).get(body.mode),
        "enabled": body.enabled,
        "edge_style": body.edge_style_default,
        "edge_depth": body.edge_depth,
        "edge_depth_unit": _native(DEPTH_UNITS).get(body.edge_depth_unit, body.edge_depth_unit),
    }
    values |= {name: value for name, value in given.items() if value is not None}
    values.setdefault("mode", EDGE_MODE)
    if values["mode"] == MODEL_MODE and values.get("model_id") is None:
        raise refuse(
            "mode",
            "model_preview shows the product on its 3D model, which PrintCart's profile does not name: "
            "choose it through /api/v1 (PUT /api/v1/products/{id}/3d-profile with modelId)",
        )
    with speaking(PROFILE_3D_NAMES):
        return ProfilePut.model_validate(values)


def refuse_undrawn(field: str, style: str | None) -> None:
    """PrintCart's blurred edges are refused naming the field: Presswork does not draw them."""
    if style is not None and style not in EDGE_STYLES:
        raise refuse(field, f"Presswork draws {', '.join(EDGE_STYLES)} edges")


def profile_3d_out(profile: Profile3D) -> pc.Profile3DOut:
    return pc.Profile3DOut(
        id=profile.id,
        product_id=profile.product_id,
        mode=PROFILE_MODES_3D[profile.mode],
        enabled=profile.enabled,
        edge_style_default=profile.edge_style,
        edge_color=profile.edge_color,
        edge_depth=profile.edge_depth,
        edge_depth_unit=DEPTH_UNITS.get(profile.edge_depth_unit, profile.edge_depth_unit),
        config_version=profile.config_version,
        created_at=moment(profile.created_at),
        updated_at=moment(profile.updated_at),
    )


def refuse_unkept(body: pc.Model3DUpdateIn | pc.Mapping3DIn, field: str) -> None:
    """PrintCart's free-form fields Presswork does not keep are refused, never dropped."""
    if getattr(body, field) is not None:
        raise refuse(field, "Presswork does not keep it; leave it out or null")


def model_3d_out(model: Model3D) -> pc.Model3DOut:
    report = model.validation_report
    return pc.Model3DOut(
        id=model.id,
        name=model.name,
        file_name=model.filename,
        file_extension=PurePath(model.filename).suffix.lstrip(".").lower() or "glb",
        file_size=model.size_bytes,
        source_url=url_for("api.get_3d_model_content", model_id=model.id, _external=True),
        status=MODEL_STATUSES_3D.get(model.status, model.status),
        validation_report=ValidationReport.model_validate(report).model_dump() if report else None,
        validation_error=model.validation_error,
        validator_version=model.validator_version,
        validated_at=moment(model.validated_at) if model.validated_at else None,
        created_at=moment(model.created_at),
        updated_at=moment(model.updated_at),
    )


def model_3d_query(query: pc.Model3DListParams) -> ModelListQuery:
    """The native list's filters of PrintCart's query."""
    status = _native(MODEL_STATUSES_3D).get(query.status, query.status)
    return ModelListQuery(status=status, search=query.search)


def mapping_3d_put(body: pc.Mapping3DIn) -> MappingPut:
    refuse_unkept(body, "camera")
    values = {
        "model_id": body.model_id,
        "material_name": body.material_name,
        "surface_name": body.surface_name,
        "enabled": True if body.enabled is None else body.enabled,
    }
    values |= {
        name: value for name, value in (("uv_region", body.mapping), ("transform", body.transform)) if value
    }
    with speaking(MAPPING_3D_NAMES):
        return MappingPut.model_validate(values)


def mapping_3d_out(mapping: SideMapping) -> pc.Mapping3DOut:
    return pc.Mapping3DOut(
        id=mapping.id,
        side_id=mapping.side_id,
        model=model_3d_out(mapping.model),
        surface_name=mapping.surface_name,
        material_name=mapping.material_name,
        mapping=UvRegion.model_validate(mapping.uv_region).model_dump(),
        transform=Transform.model_validate(mapping.transform).model_dump(),
        enabled=mapping.enabled,
        config_version=mapping.config_version,
        created_at=moment(mapping.created_at),
        updated_at=moment(mapping.updated_at),
    )


def config_3d_out(product: Product, sides: list[Side], profile: Profile3D | None) -> pc.Config3DOut:
    """The product's 3D configuration: its profile and model, and each side's print geometry as
    PrintCart's sides give it, with where its design goes (an edge print's front, or the model's
    material the side is mapped on)."""
    mappings = mappings_of(product.store_id, [side.id for side in sides])
    edge = profile is not None and profile.mode == EDGE_MODE
    return pc.Config3DOut(
        product_id=product.id,
        enabled=profile is not None and profile.enabled,
        mode=PROFILE_MODES_3D[profile.mode] if profile else None,
        profile=profile_3d_out(profile) if profile else None,
        model=model_3d_out(profile.model) if profile and profile.model and not edge else None,
        sides=[_side_3d(side, edge, mappings.get(side.id)) for side in sides],
    )


def _side_3d(side: Side, edge: bool, mapping: SideMapping | None) -> pc.Side3DOut:
    shown = side_out(side)
    surface = None
    if edge:
        surface = pc.Surface3D(surface_type="front")
    elif mapping is not None:
        surface = pc.Surface3D(
            surface_type="material", mesh_name=mapping.surface_name or mapping.material_name
        )
    return pc.Side3DOut(
        side_id=side.id,
        name=side.name,
        side_image_size=shown.side_image_size,
        design_area=shown.design_area,
        cut_line_margin=shown.cut_line_margin,
        safe_zone_margin=shown.safe_zone_margin,
        mapping=surface,
    )


def preview_3d_out(store_id: str, preview: Preview3D) -> pc.Preview3DOut:
    return pc.Preview3DOut(
        status="ready",
        name=preview.name,
        url=preview_url(store_id, preview, external=True),
        cache_hit=preview.cache_hit,
        input_hash=preview.input_hash,
    )
