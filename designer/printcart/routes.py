"""The PrintCart dialect's routes at /v1 (printcart-openapi.yaml): thin views over the same
services the native /api/v1 routes call, translated both ways by printcart/translate.py.

Store settings follow the native rules: the account (Basic with its email and password) creates,
changes and deletes stores and renews their unauthenticated token; the store's sid and secret
read them. The public (X-PrintCart-Unauth-Token) sees published products and sides only.
"""

from collections.abc import Callable
from pathlib import PurePath

from flask import after_this_request, current_app, jsonify, request, url_for
from sqlalchemy import Select, or_

from designer import errors
from designer.accounts import service as accounts
from designer.accounts.models import Account, Store
from designer.api.auth import current_caller
from designer.api.batch import all_or_nothing
from designer.api.docs import reference_page
from designer.api.multipart import Upload
from designer.api.operations import read_body
from designer.api.pagination import count
from designer.api.ratelimit import shared_limit
from designer.categories import service as categories
from designer.categories.models import Category
from designer.categories.schemas import CategoryFilters
from designer.composer.layers import load_layers
from designer.designs import service as designs
from designer.designs.models import Design
from designer.editing.assets import fonts_in
from designer.errors import Forbidden, NotFound
from designer.extensions import db
from designer.files import service as stored_files
from designer.files.models import File
from designer.library import service as library
from designer.library.models import Clipart, Font
from designer.previews3d import service as previews3d
from designer.previews3d.models import ACTIVE, Model3D, Profile3D
from designer.previews3d.previews import design_preview, side_preview
from designer.previews3d.schemas import ModelUpdate
from designer.printcart import openapi
from designer.printcart import schemas as pc
from designer.printcart import translate as to_pc
from designer.printcart.dialect import (
    ACCOUNT,
    ANYONE,
    BASIC,
    CREATED,
    DELETED,
    RETRIEVED,
    UNAUTH,
    UPDATED,
    UPLOADED,
    account_id_for,
    operation,
    page,
    printcart,
    store_id_for,
)
from designer.printcart.resource import Resource
from designer.printcart.schemas import (
    AccountCreated,
    AccountIn,
    AccountOut,
    AccountUpdateIn,
    Batch,
    ClipartForm,
    ClipartOut,
    ClipartUpdateIn,
    CountData,
    Counted,
    DesignBatchDeleteIn,
    DesignBatchIn,
    DesignBatchUpdateIn,
    DesignFieldsIn,
    DesignIn,
    DesignOut,
    DesignUpdateIn,
    Done,
    FontIn,
    FontOut,
    FontUpdateIn,
    ImageForm,
    ImageOut,
    ListParams,
    Many,
    One,
    ProductBatchDeleteIn,
    ProductBatchIn,
    ProductBatchUpdateIn,
    ProductIn,
    ProductOut,
    ProductUpdateIn,
    ProjectBatchDeleteIn,
    ProjectBatchIn,
    ProjectBatchUpdateIn,
    ProjectFolderIn,
    ProjectIn,
    ProjectOut,
    ProjectParams,
    ProjectUpdateIn,
    SideBatchDeleteIn,
    SideBatchIn,
    SideBatchUpdateIn,
    SideIn,
    SideOut,
    SideUpdateIn,
    StatusListParams,
    StorageIn,
    StorageOut,
    StorageUpdateIn,
    StoreIn,
    StoreOut,
    StoreUpdateIn,
    TemplateBatchDeleteIn,
    TemplateBatchIn,
    TemplateBatchUpdateIn,
    TemplateFieldsIn,
    TemplateIn,
    TemplateOut,
    TemplateUpdateIn,
    UnauthTokenOut,
    WebhookIn,
    WebhookOut,
    WebhookUpdateIn,
)
from designer.printcart.translate import (
    CLIPART_NAMES,
    IMAGE_NAMES,
    PRODUCT_NAMES,
    SIDE_NAMES,
    STORAGE_NAMES,
    WEBHOOK_NAMES,
    account_out,
    clipart_out,
    design_create,
    design_out,
    design_update,
    font_family,
    font_out,
    font_registered,
    image_of,
    image_upload,
    integration_changes,
    product_create,
    product_out,
    product_update,
    project_create,
    project_out,
    project_update,
    side_create,
    side_out,
    side_update,
    speaking,
    storage_create,
    storage_out,
    storage_update,
    store_out,
    template_create,
    template_out,
    template_update,
    webhook_create,
    webhook_out,
    webhook_update,
)
from designer.printcart.translate import (
    refuse as refuse_field,
)
from designer.products import service as products
from designer.products import sides
from designer.products.models import Product, Side
from designer.products.schemas import ProductFilters, SideFilters
from designer.projects import service as projects
from designer.projects.models import Project
from designer.templates import service as templates
from designer.templates.models import Template
from designer.webhooks import service as webhooks
from designer.webhooks.models import Webhook
from designer.webhooks.schemas import WebhookListQuery

PRODUCT_SORTS = {
    "id": Product.id,
    "created_at": Product.created_at,
    "updated_at": Product.updated_at,
    "name": Product.name,
}
SIDE_SORTS = {"id": Side.id, "created_at": Side.created_at, "name": Side.name, "position": Side.position}
STORAGE_SORTS = {
    "id": Category.id,
    "created_at": Category.created_at,
    "updated_at": Category.updated_at,
    "name": Category.name,
}
FONT_SORTS = {"id": Font.id, "created_at": Font.created_at, "name": Font.family}
CLIPART_SORTS = {"id": Clipart.id, "created_at": Clipart.created_at, "name": Clipart.name}
PROJECT_SORTS = {
    "id": Project.id,
    "created_at": Project.created_at,
    "updated_at": Project.updated_at,
    "name": Project.name,
}
WEBHOOK_SORTS = {"id": Webhook.id, "created_at": Webhook.created_at}
DESIGN_SORTS = {"id": Design.id, "created_at": Design.created_at, "updated_at": Design.updated_at}
TEMPLATE_SORTS = {
    "id": Template.id,
    "created_at": Template.created_at,
    "updated_at": Template.updated_at,
    "name": Template.name,
}
IMAGE_SORTS = {"id": File.id, "created_at": File.created_at, "name": File.filename}
DESIGN_IMAGE_PURPOSES = ("design", "proof")
STORE_SORTS = {"id": Store.id, "created_at": Store.created_at, "name": Store.name}


def is_public(caller) -> bool:
    return caller.kind == "publishable"


@printcart.get("/openapi.json")
def openapi_document():
    """The dialect's OpenAPI document, generated from its schemas"""
    return jsonify(openapi.document())


@printcart.get("/docs")
def reference():
    """The dialect's reference for a person, drawn from its OpenAPI document"""
    return reference_page("Presswork in PrintCart's dialect", url_for("printcart.openapi_document"))


# Account


@operation(
    "POST /account", tag="Account", auth=ANYONE, body=AccountIn, response=One[AccountCreated], status=201
)
def create_account(caller, body: AccountIn):
    """Create Account"""
    account = accounts.create_account(body.name, body.email, body.password)
    return One[AccountCreated](data=AccountCreated(user=account_out(account)), message=CREATED)


@operation("GET /account", tag="Account", auth=BASIC, response=One[AccountOut])
def get_account(caller):
    """Get Account Info"""
    return One[AccountOut](
        data=account_out(db.session.get(Account, account_id_for(caller))), message=RETRIEVED
    )


@operation("PUT /account", tag="Account", auth=ACCOUNT, body=AccountUpdateIn, response=One[AccountOut])
def update_account(caller, body: AccountUpdateIn):
    """Update Account Details"""
    account = db.session.get(Account, caller.account_id)
    accounts.update_account(account, body.name, body.email, None)
    return One[AccountOut](data=account_out(account), message=UPDATED)


# Stores


@operation("POST /stores", tag="Store", auth=ACCOUNT, body=StoreIn, response=One[StoreOut], status=201)
def create_store(caller, body: StoreIn):
    """Create Store (answers its sid and secret, shown this once)"""
    store = accounts.create_store(db.session.get(Account, caller.account_id), body.store_name)
    accounts.update_integration(store, integration_changes(body))
    _, secret = accounts.create_token(store, "PrintCart", ["full"])
    return One[StoreOut](data=store_out(store, secret=secret), message=CREATED)


@operation("GET /stores", tag="Store", auth=BASIC, query=ListParams, response=Many[StoreOut])
def list_stores(caller, query: ListParams):
    """Get Store Info (the account's stores; a store's sid and secret see that store)"""
    statement = accounts.stores_of(account_id_for(caller))
    if caller.kind != "account":
        statement = statement.where(Store.id == caller.store_id)
    rows, links, meta = page(statement, Store, query, STORE_SORTS, "stores")
    return Many[StoreOut](data=[store_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED)


@operation("PUT /stores", tag="Store", auth=ACCOUNT, body=StoreUpdateIn, response=One[StoreOut])
def update_store(caller, body: StoreUpdateIn):
    """Update Store Details"""
    store = accounts.update_store(caller.store(store_id_for(caller)), body.store_name, None)
    accounts.update_integration(store, integration_changes(body))
    return One[StoreOut](data=store_out(store), message=UPDATED)


@operation("DELETE /stores", tag="Store", auth=ACCOUNT, response=Done)
def delete_store(caller):
    """Delete a store and everything in it"""
    accounts.delete_store(caller.store(store_id_for(caller)))
    return Done(message=DELETED)


@operation("GET /stores/store-details", tag="Store", auth=UNAUTH, response=One[StoreOut])
def get_store_details(caller):
    """Get Store Details"""
    store = caller.store(store_id_for(caller), reading=True)
    return One[StoreOut](data=store_out(store, public=is_public(caller)), message=RETRIEVED)


@operation("PUT /stores/token-revoke", tag="Store", auth=ACCOUNT, response=One[UnauthTokenOut])
def revoke_unauth_token(caller):
    """Renew UnAuth Token (the old one stops working)"""
    store = accounts.renew_publishable_token(caller.store(store_id_for(caller)))
    return One[UnauthTokenOut](data=UnauthTokenOut(unauth_token=store.publishable_token), message=UPDATED)


# Products


def _product(caller, product_id: str) -> Product:
    return products.find_product(store_id_for(caller), product_id, public=is_public(caller))


def _shown(caller, product: Product) -> ProductOut:
    return product_out(product, products.visible_sides(product, public=is_public(caller)))


def _update_product(product: Product, body) -> Product:
    return products.update_product(product, product_update(body, product))


product_routes = Resource(
    path="/products",
    tag="Product",
    scope="products",
    id_name="product_id",
    schema=ProductOut,
    out=product_out,
    find=_product,
    model=Product,
    sorts=PRODUCT_SORTS,
    names=PRODUCT_NAMES,
)
product_routes.create(
    "create_product",
    "Create Product",
    auth=BASIC,
    body=ProductIn,
    create=lambda caller, body: products.create_product(store_id_for(caller), product_create(body)),
)


@product_routes.route("GET", auth=UNAUTH, query=StatusListParams, response=Many[ProductOut])
def list_products(caller, query: StatusListParams):
    """Get a list of products"""
    filters = ProductFilters(status=query.status)
    statement = products.products_query(store_id_for(caller), filters, public=is_public(caller))
    rows, links, meta = page(statement, Product, query, PRODUCT_SORTS, "products")
    data = [_shown(caller, row) for row in rows]
    return Many[ProductOut](data=data, links=links, meta=meta, message=RETRIEVED)


product_routes.count(
    "count_products",
    "Get a count of products",
    auth=BASIC,
    rows=lambda caller: products.products_query(store_id_for(caller), ProductFilters()),
)


@product_routes.route("GET /<product_id>", auth=UNAUTH, response=One[ProductOut])
def get_product(caller, product_id: str):
    """Get Product Details"""
    return One[ProductOut](data=_shown(caller, _product(caller, product_id)), message=RETRIEVED)


product_routes.update(
    "update_product", "Update Product Details", auth=BASIC, body=ProductUpdateIn, update=_update_product
)
product_routes.delete(
    "delete_product",
    "Delete a product (refused while designs use it: trash it instead)",
    auth=BASIC,
    delete=products.delete_product,
)
product_routes.create_batch(
    "create_products",
    "Create batch products (all or nothing)",
    auth=BASIC,
    body=ProductBatchIn,
    create=lambda caller, item: products.create_product(store_id_for(caller), product_create(item)),
)
product_routes.update_batch(
    "update_products",
    "Update batch products (all or nothing)",
    auth=BASIC,
    body=ProductBatchUpdateIn,
    update=_update_product,
)
product_routes.delete_batch(
    "delete_products",
    "Delete batch products (all or nothing)",
    auth=BASIC,
    body=ProductBatchDeleteIn,
    delete=products.delete_product,
)


@product_routes.route("GET /<product_id>/sides", auth=UNAUTH, query=ListParams, response=Many[SideOut])
def list_product_sides(caller, product_id: str, query: ListParams):
    """Get a list of sides by product"""
    product = _product(caller, product_id)
    statement = sides.sides_query(
        product.store_id, SideFilters(product_id=product.id), public=is_public(caller)
    )
    rows, links, meta = page(statement, Side, query, SIDE_SORTS, "sides")
    return Many[SideOut](data=[side_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED)


@product_routes.route("GET /<product_id>/sides/count", auth=BASIC, response=Counted)
def count_product_sides(caller, product_id: str):
    """Get a count of sides by product"""
    product = _product(caller, product_id)
    statement = sides.sides_query(product.store_id, SideFilters(product_id=product.id))
    return Counted(data=CountData(count=count(statement, Side)), message=RETRIEVED)


# Sides


def _side(caller, side_id: str) -> Side:
    return sides.find_side(store_id_for(caller), side_id, public=is_public(caller))


def _create_side(caller, body: SideIn) -> Side:
    product = products.find_product_or_invalid(store_id_for(caller), body.product_id, "productId")
    return sides.create_side(product, side_create(body, product))


def _update_side(side: Side, body) -> Side:
    return sides.update_side(side, side_update(body, side))


def _sides(caller, query: StatusListParams | None = None) -> Select:
    if query is None:
        return sides.sides_query(store_id_for(caller), SideFilters())
    filters = SideFilters(status=query.status)
    return sides.sides_query(store_id_for(caller), filters, public=is_public(caller))


side_routes = Resource(
    path="/sides",
    tag="Side",
    scope="products",
    id_name="side_id",
    schema=SideOut,
    out=side_out,
    find=_side,
    model=Side,
    sorts=SIDE_SORTS,
    names=SIDE_NAMES,
)
side_routes.create("create_side", "Create new product side", auth=BASIC, body=SideIn, create=_create_side)
side_routes.list(
    "list_sides", "Get a list of product sides", auth=UNAUTH, rows=_sides, query=StatusListParams
)
side_routes.count("count_sides", "Get a count of product sides", auth=BASIC, rows=_sides)
side_routes.get("get_side", "Get product side details", auth=UNAUTH)
side_routes.update(
    "update_side", "Update a product side details", auth=BASIC, body=SideUpdateIn, update=_update_side
)
side_routes.delete(
    "delete_side",
    "Delete a product side (refused while designs use it: trash it instead)",
    auth=BASIC,
    delete=sides.delete_side,
)
side_routes.create_batch(
    "create_sides", "Create batch sides (all or nothing)", auth=BASIC, body=SideBatchIn, create=_create_side
)
side_routes.update_batch(
    "update_sides",
    "Update batch sides (all or nothing)",
    auth=BASIC,
    body=SideBatchUpdateIn,
    update=_update_side,
)
side_routes.delete_batch(
    "delete_sides",
    "Delete batch sides (all or nothing)",
    auth=BASIC,
    body=SideBatchDeleteIn,
    delete=sides.delete_side,
)


# Storages: the store's categories


def _storages(caller, query=None) -> Select:
    return categories.categories_query(store_id_for(caller), CategoryFilters())


storages = Resource(
    path="/storages",
    tag="Storage",
    scope="categories",
    id_name="storage_id",
    schema=StorageOut,
    out=storage_out,
    find=lambda caller, storage_id: categories.find_category(store_id_for(caller), storage_id),
    model=Category,
    sorts=STORAGE_SORTS,
    names=STORAGE_NAMES,
)
storages.create(
    "create_storage",
    "Create a storage (a category)",
    auth=BASIC,
    body=StorageIn,
    create=lambda caller, body: categories.create_category(store_id_for(caller), storage_create(body)),
)
storages.list("list_storages", "Get a list of storages", auth=UNAUTH, rows=_storages)
storages.count("count_storages", "Get a count of storages", auth=BASIC, rows=_storages)
storages.get("get_storage", "Get storage details", auth=UNAUTH)
storages.update(
    "update_storage",
    "Update storage details",
    auth=BASIC,
    body=StorageUpdateIn,
    update=lambda category, body: categories.update_category(category, storage_update(body)),
)


# Images: the store's files


def _uploads(caller, form: ImageForm, items: list[tuple[str, bytes]]) -> list[File]:
    """Preflight and store the images (all or nothing). GLB files (by name; preflight checks
    their content) are kept as 3D models' sources, for `POST /3d-models`. Raises Forbidden for a
    merchant's `type` or a GLB from the store's unauth token, as the native upload does."""
    fields = image_upload(form)
    purpose = "model" if fields.purpose == "upload" and _all_glb(items) else fields.purpose
    if caller.kind == "publishable" and purpose not in stored_files.CUSTOMER_PURPOSES:
        what = form.type or "GLB models"
        raise Forbidden(f"The unauth token may upload only customers' images, not {what}", field="type")
    uploads = [stored_files.Upload(name, data) for name, data in items]
    return stored_files.upload_files(
        store_id_for(caller),
        uploads,
        purpose=purpose,
        uploaded_by=caller.kind,
        thumbnail_px=fields.thumbnail_width_px,
    )


def _all_glb(items: list[tuple[str, bytes]]) -> bool:
    return bool(items) and all(PurePath(name).suffix.lower() == ".glb" for name, _ in items)


@operation(
    "POST /images",
    tag="Image",
    resource="files",
    auth=UNAUTH,
    upload=Upload(ImageForm),
    response=One[ImageOut],
    status=201,
    names=IMAGE_NAMES | {"files.0": "file"},
)
def upload_image(caller, body: ImageForm, files: list[tuple[str, bytes]]):
    """Upload an image (multipart field `file`): preflighted, refused with its reasons when it fails"""
    (image,) = _uploads(caller, body, files)
    return One[ImageOut](data=image_of(image), message=UPLOADED)


@operation(
    "POST /images/batch",
    tag="Image",
    resource="files",
    auth=UNAUTH,
    upload=Upload(ImageForm, files=("files[]", "files"), at_most=stored_files.MAX_FILES_PER_BATCH),
    response=Batch[ImageOut],
    status=201,
    names=IMAGE_NAMES,
)
def upload_images(caller, body: ImageForm, files: list[tuple[str, bytes]]):
    """Upload several images (multipart field `files[]`), all or nothing"""
    return Batch[ImageOut](
        data=[image_of(image) for image in _uploads(caller, body, files)], message=UPLOADED
    )


image_routes = Resource(
    path="/images",
    tag="Image",
    scope="files",
    id_name="image_id",
    schema=ImageOut,
    out=image_of,
    find=lambda caller, image_id: stored_files.get_file(store_id_for(caller), image_id),
    model=File,
    sorts=IMAGE_SORTS,
    names=IMAGE_NAMES,
)
image_routes.list(
    "list_images",
    "Get a list of images (the store's; the public lists none, as customers' uploads are private)",
    auth=BASIC,
    rows=lambda caller, query=None: stored_files.files_of(store_id_for(caller)),
)


@operation(
    "GET /designs/images",
    tag="Design",
    resource="files",
    auth=BASIC,
    query=ListParams,
    response=Many[ImageOut],
)
def list_design_images(caller, query: ListParams):
    """Get a list of design images (uploaded for designs, and the designs' proofs)"""
    statement = stored_files.files_of(store_id_for(caller)).where(File.purpose.in_(DESIGN_IMAGE_PURPOSES))
    rows, links, meta = page(statement, File, query, IMAGE_SORTS, "images")
    return Many[ImageOut](data=[image_of(row) for row in rows], links=links, meta=meta, message=RETRIEVED)


image_routes.count(
    "count_images",
    "Get a count of images",
    auth=BASIC,
    rows=lambda caller: stored_files.files_of(store_id_for(caller)),
)
image_routes.get("get_image", "Get image details", auth=BASIC)
image_routes.delete(
    "delete_image", "Delete an image and its stored bytes", auth=BASIC, delete=stored_files.delete_file
)


# Fonts: the store's, and those of the default library (installed in every store)

font_routes = Resource(
    path="/fonts",
    tag="Font",
    scope="library",
    id_name="font_id",
    schema=FontOut,
    out=font_out,
    find=lambda caller, font_id: library.find_font(store_id_for(caller), font_id),
    model=Font,
    sorts=FONT_SORTS,
)


@font_routes.route("POST", auth=BASIC, body=FontIn, response=One[FontOut], status=201)
def create_font(caller, body: FontIn):
    """Add a font by its URL (fetched as a webhook is sent, then checked as an upload is)"""
    with speaking({"file": "url"}):
        font = library.create_font_from_url(store_id_for(caller), body.url, family=body.name)
    font_registered(body, font)
    return One[FontOut](data=font_out(font), message=CREATED)


def _fonts(caller, query=None) -> Select:
    return library.fonts_of(store_id_for(caller))


def _default_fonts(caller, query=None) -> Select:
    return library.fonts_of(store_id_for(caller), library=True)


font_routes.list(
    "list_fonts",
    "Get a list of fonts (the store's uploads and its default library)",
    auth=UNAUTH,
    rows=_fonts,
)
font_routes.list(
    "list_default_fonts",
    "Get a list of the default library's fonts",
    auth=UNAUTH,
    rows=_default_fonts,
    rule="/default",
)
font_routes.count("count_fonts", "Get a count of fonts", auth=BASIC, rows=_fonts)
font_routes.count(
    "count_default_fonts",
    "Get a count of the default library's fonts",
    auth=BASIC,
    rows=_default_fonts,
    rule="/default",
)
font_routes.get("get_font", "Get font details", auth=UNAUTH)
font_routes.update(
    "update_font",
    "Update font details (its name; the rest is read from its file)",
    auth=BASIC,
    body=FontUpdateIn,
    update=lambda font, body: library.update_font(
        font, family=font_family(body, font), style=None, weight=None
    ),
)
font_routes.delete("delete_font", "Delete a font", auth=BASIC, delete=library.delete_font)


# Cliparts: the store's, and those of the default library


def _add_clipart(caller, upload: tuple[str, bytes]) -> Clipart:
    filename, data = upload
    return library.create_clipart(store_id_for(caller), filename=filename, data=data, uploaded_by=caller.kind)


@operation(
    "POST /cliparts",
    tag="Clipart",
    resource="library",
    auth=BASIC,
    upload=Upload(ClipartForm),
    response=One[ClipartOut],
    status=201,
    names=CLIPART_NAMES,
)
def create_clipart(caller, body: ClipartForm, files: list[tuple[str, bytes]]):
    """Upload a clipart (multipart field `file`: SVG or PNG, through preflight)"""
    (upload,) = files
    return One[ClipartOut](data=clipart_out(_add_clipart(caller, upload)), message=CREATED)


@operation(
    "POST /clipart/batch",
    tag="Clipart",
    resource="library",
    auth=BASIC,
    upload=Upload(ClipartForm, files=("files[]", "files"), at_most=stored_files.MAX_FILES_PER_BATCH),
    response=Batch[ClipartOut],
    status=201,
    names=CLIPART_NAMES,
)
def create_cliparts(caller, body: ClipartForm, files: list[tuple[str, bytes]]):
    """Upload several cliparts (multipart field `files[]`), all or nothing"""
    made = all_or_nothing("files[]", files, lambda upload: _add_clipart(caller, upload))
    return Batch[ClipartOut](data=[clipart_out(clipart) for clipart in made], message=CREATED)


clipart_routes = Resource(
    path="/cliparts",
    tag="Clipart",
    scope="library",
    id_name="clipart_id",
    schema=ClipartOut,
    out=clipart_out,
    find=lambda caller, clipart_id: library.find_clipart(store_id_for(caller), clipart_id),
    model=Clipart,
    sorts=CLIPART_SORTS,
    names=CLIPART_NAMES,
)


def _cliparts(caller, query=None) -> Select:
    return library.clipart_of(store_id_for(caller))


def _default_cliparts(caller, query=None) -> Select:
    return library.clipart_of(store_id_for(caller), library=True)


clipart_routes.list(
    "list_cliparts",
    "Get a list of cliparts (the store's uploads and its default library)",
    auth=UNAUTH,
    rows=_cliparts,
)
clipart_routes.list(
    "list_default_cliparts",
    "Get a list of the default library's cliparts",
    auth=UNAUTH,
    rows=_default_cliparts,
    rule="/default",
)
clipart_routes.count("count_cliparts", "Get a count of cliparts", auth=UNAUTH, rows=_cliparts)
clipart_routes.count(
    "count_default_cliparts",
    "Get a count of the default library's cliparts",
    auth=UNAUTH,
    rows=_default_cliparts,
    rule="/default",
)
clipart_routes.get("get_clipart", "Get clipart details", auth=UNAUTH)
clipart_routes.update(
    "update_clipart",
    "Update a clipart's storages (its categories)",
    auth=BASIC,
    body=ClipartUpdateIn,
    update=lambda clipart, body: library.update_clipart(
        clipart, name=None, category_ids=body.storages, tags=None
    ),
)
clipart_routes.delete("delete_clipart", "Delete a clipart", auth=BASIC, delete=library.delete_clipart)


# Clipart storages: the same categories, seen from the clipart filed in them


@operation(
    "POST /clipart-storages",
    tag="Clipart Storage",
    resource="categories",
    auth=BASIC,
    body=StorageIn,
    response=One[StorageOut],
    status=201,
    names=STORAGE_NAMES,
)
def create_clipart_storage(caller, body: StorageIn):
    """Create a clipart storage (a category)"""
    category = categories.create_category(store_id_for(caller), storage_create(body))
    return One[StorageOut](data=storage_out(category), message=CREATED)


@operation(
    "GET /clipart-storages",
    tag="Clipart Storage",
    resource="categories",
    auth=UNAUTH,
    query=ListParams,
    response=Many[StorageOut],
)
def list_clipart_storages(caller, query: ListParams):
    """Get a list of clipart storages (the store's categories)"""
    statement = categories.categories_query(store_id_for(caller), CategoryFilters())
    rows, links, meta = page(statement, Category, query, STORAGE_SORTS, "storages")
    return Many[StorageOut](
        data=[storage_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "DELETE /clipart-storages/<storage_id>",
    tag="Clipart Storage",
    resource="categories",
    auth=BASIC,
    response=Done,
)
def delete_clipart_storage(caller, storage_id: str):
    """Delete a clipart storage (its cliparts stay, unfiled from it)"""
    categories.delete_category(categories.find_category(store_id_for(caller), storage_id))
    return Done(message=DELETED)


@operation(
    "GET /clipart-storages/<storage_id>/cliparts",
    tag="Clipart Storage",
    resource="library",
    auth=UNAUTH,
    query=ListParams,
    response=Many[ClipartOut],
)
def list_storage_cliparts(caller, storage_id: str, query: ListParams):
    """Get a list of the cliparts filed in a storage"""
    statement = library.clipart_of(store_id_for(caller), category_id=storage_id)
    rows, links, meta = page(statement, Clipart, query, CLIPART_SORTS, "cliparts")
    return Many[ClipartOut](
        data=[clipart_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "GET /clipart-storages/<storage_id>/cliparts/count",
    tag="Clipart Storage",
    resource="library",
    auth=BASIC,
    response=Counted,
)
def count_storage_cliparts(caller, storage_id: str):
    """Get a count of the cliparts filed in a storage"""
    statement = library.clipart_of(store_id_for(caller), category_id=storage_id)
    return Counted(data=CountData(count=count(statement, Clipart)), message=RETRIEVED)


@operation(
    "GET /clipart-storages/<clipart_id>/storages",
    tag="Clipart Storage",
    resource="library",
    auth=UNAUTH,
    query=ListParams,
    response=Many[StorageOut],
)
def list_clipart_storages_of(caller, clipart_id: str, query: ListParams):
    """Get a list of the storages a clipart is filed in"""
    return _storages_of(library.find_clipart(store_id_for(caller), clipart_id), query)


def _storages_of(clipart: Clipart, query: ListParams) -> Many[StorageOut]:
    statement = categories.categories_query(clipart.store_id, CategoryFilters()).where(
        Category.id.in_([category.id for category in clipart.categories])
    )
    rows, links, meta = page(statement, Category, query, STORAGE_SORTS, "storages")
    return Many[StorageOut](
        data=[storage_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


# The default library: the platform's fonts and cliparts installed in every store (read-only to
# it), the storages it files its cliparts in, and the templates each side starts from


def _default_storages(caller, query: ListParams) -> Many[StorageOut]:
    statement = library.default_library_categories(store_id_for(caller))
    rows, links, meta = page(statement, Category, query, STORAGE_SORTS, "storages")
    return Many[StorageOut](
        data=[storage_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "GET /storages/default",
    tag="Storage",
    resource="categories",
    auth=UNAUTH,
    query=ListParams,
    response=Many[StorageOut],
)
def list_default_storages(caller, query: ListParams):
    """Get a list of default storages (those holding the default library's cliparts)"""
    return _default_storages(caller, query)


@operation(
    "GET /clipart-storages/default",
    tag="Clipart Storage",
    resource="categories",
    auth=UNAUTH,
    query=ListParams,
    response=Many[StorageOut],
)
def list_default_clipart_storages(caller, query: ListParams):
    """Get a list of default clipart storages (those holding the default library's cliparts)"""
    return _default_storages(caller, query)


@operation(
    "GET /clipart-storages/<storage_id>/cliparts-default",
    tag="Clipart Storage",
    resource="library",
    auth=UNAUTH,
    query=ListParams,
    response=Many[ClipartOut],
)
def list_storage_default_cliparts(caller, storage_id: str, query: ListParams):
    """Get a list of the default library's cliparts filed in a storage"""
    statement = library.clipart_of(store_id_for(caller), category_id=storage_id, library=True)
    rows, links, meta = page(statement, Clipart, query, CLIPART_SORTS, "cliparts")
    return Many[ClipartOut](
        data=[clipart_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "GET /clipart-storages/<storage_id>/cliparts-default/count",
    tag="Clipart Storage",
    resource="library",
    auth=BASIC,
    response=Counted,
)
def count_storage_default_cliparts(caller, storage_id: str):
    """Get a count of the default library's cliparts filed in a storage"""
    statement = library.clipart_of(store_id_for(caller), category_id=storage_id, library=True)
    return Counted(data=CountData(count=count(statement, Clipart)), message=RETRIEVED)


@operation(
    "GET /clipart-storages/<clipart_id>/storages-default",
    tag="Clipart Storage",
    resource="library",
    auth=UNAUTH,
    query=ListParams,
    response=Many[StorageOut],
)
def list_default_clipart_storages_of(caller, clipart_id: str, query: ListParams):
    """Get a list of the storages a default library's clipart is filed in"""
    clipart = library.find_clipart(store_id_for(caller), clipart_id)
    if not clipart.library:
        raise NotFound(f"No clipart of the default library with id '{clipart_id}'")
    return _storages_of(clipart, query)


@operation(
    "GET /templates/template-default",
    tag="Template",
    resource="templates",
    auth=UNAUTH,
    query=ListParams,
    response=Many[TemplateOut],
)
def list_default_templates(caller, query: ListParams):
    """Get a list of default templates (each the one its side starts from)"""
    return _templates_page(caller, query, is_default=True)


@operation("GET /templates/default/count", tag="Template", resource="templates", auth=BASIC, response=Counted)
def count_default_templates(caller):
    """Get a count of default templates"""
    statement = templates.templates_of(store_id_for(caller), is_default=True)
    return Counted(data=CountData(count=count(statement, Template)), message=RETRIEVED)


# Projects: a customer starts one on a product in the editor; PrintCart's start with none, their
# designs on any products


def _create_project(caller, body: ProjectIn) -> Project:
    fields, move = project_create(body)
    project = projects.create_project(store_id_for(caller), fields)
    return projects.update_project(project, move) if move is not None else project


def _projects(caller, query: ProjectParams | None = None) -> Select:
    statement = projects.projects_of(store_id_for(caller), status=query.status if query else None)
    if query is not None and query.s:
        statement = statement.where(Project.name.contains(query.s, autoescape=True))
    return statement


def _update_project(project: Project, body) -> Project:
    return projects.update_project(project, project_update(body))


project_routes = Resource(
    path="/projects",
    tag="Project",
    scope="projects",
    id_name="project_id",
    schema=ProjectOut,
    out=project_out,
    find=lambda caller, project_id: projects.find_project(store_id_for(caller), project_id),
    model=Project,
    sorts=PROJECT_SORTS,
)
project_routes.create(
    "create_project",
    "Create a project (its designs may be on several products)",
    auth=BASIC,
    body=ProjectIn,
    create=_create_project,
)
project_routes.create_batch(
    "create_projects",
    "Create batch projects (all or nothing)",
    auth=BASIC,
    body=ProjectBatchIn,
    create=_create_project,
)
project_routes.list(
    "list_projects",
    "Get a list of projects (by status, or searched by name with `s`)",
    auth=BASIC,
    rows=_projects,
    query=ProjectParams,
)
project_routes.count("count_projects", "Get a count of projects", auth=BASIC, rows=_projects)
project_routes.get("get_project", "Get project details", auth=BASIC)
project_routes.update(
    "update_project",
    "Update project details, or move it to another status",
    auth=BASIC,
    body=ProjectUpdateIn,
    update=_update_project,
)
project_routes.delete(
    "delete_project", "Delete a project (its designs stay)", auth=BASIC, delete=projects.delete_project
)
project_routes.update_batch(
    "update_projects",
    "Update batch projects (all or nothing)",
    auth=BASIC,
    body=ProjectBatchUpdateIn,
    update=_update_project,
)
project_routes.delete_batch(
    "delete_projects",
    "Delete batch projects (all or nothing)",
    auth=BASIC,
    body=ProjectBatchDeleteIn,
    delete=projects.delete_project,
)


# Project folders: the store's storages (categories) projects are filed in


def _folder(caller, storage_id: str, field: str | None = None) -> Category:
    try:
        return categories.find_category(store_id_for(caller), storage_id)
    except NotFound:
        if field is None:
            raise
        raise refuse_field(field, f"no storage with id '{storage_id}'") from None


@operation(
    "POST /project-folder",
    tag="Project Folder",
    resource="projects",
    auth=BASIC,
    body=ProjectFolderIn,
    response=One[StorageOut],
    status=201,
)
def create_project_folder(caller, body: ProjectFolderIn):
    """File a project in a folder (one of the store's storages)"""
    folder = _folder(caller, body.category_id, "category_id")
    if body.project_id is not None:
        try:
            project = projects.find_project(store_id_for(caller), body.project_id)
        except NotFound:
            raise refuse_field("project_id", f"no project with id '{body.project_id}'") from None
        projects.file_project(project, folder)
    return One[StorageOut](data=storage_out(folder), message=CREATED)


@operation(
    "GET /project-folder",
    tag="Project Folder",
    resource="projects",
    auth=BASIC,
    query=ListParams,
    response=Many[StorageOut],
)
def list_project_folders(caller, query: ListParams):
    """Get a list of project folders (the storages that hold projects)"""
    rows, links, meta = page(
        projects.folders_of(store_id_for(caller)), Category, query, STORAGE_SORTS, "storages"
    )
    return Many[StorageOut](
        data=[storage_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "DELETE /project-folder/<storage_id>",
    tag="Project Folder",
    resource="projects",
    auth=BASIC,
    response=Done,
)
def delete_project_folder(caller, storage_id: str):
    """Delete a project folder (its projects are taken out; the storage stays)"""
    projects.empty_folder(_folder(caller, storage_id))
    return Done(message=DELETED)


@operation(
    "GET /project-folder/<storage_id>/projects",
    tag="Project Folder",
    resource="projects",
    auth=BASIC,
    query=ListParams,
    response=Many[ProjectOut],
)
def list_folder_projects(caller, storage_id: str, query: ListParams):
    """Get a list of the projects in a folder"""
    statement = projects.projects_in_folder(store_id_for(caller), _folder(caller, storage_id))
    rows, links, meta = page(statement, Project, query, PROJECT_SORTS, "projects")
    return Many[ProjectOut](
        data=[project_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "GET /project-folder/<project_id>/folders",
    tag="Project Folder",
    resource="projects",
    auth=BASIC,
    query=ListParams,
    response=Many[StorageOut],
)
def list_project_folders_of(caller, project_id: str, query: ListParams):
    """Get a list of the folders a project is filed in"""
    store_id = store_id_for(caller)
    statement = projects.folders_of_project(store_id, projects.find_project(store_id, project_id))
    rows, links, meta = page(statement, Category, query, STORAGE_SORTS, "storages")
    return Many[StorageOut](
        data=[storage_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


# Webhooks (PrintCart's topics: printcart/topics.py; signed the Standard Webhooks way)

webhook_routes = Resource(
    path="/webhooks",
    tag="Webhook",
    scope="webhooks",
    id_name="webhook_id",
    schema=WebhookOut,
    out=webhook_out,
    find=lambda caller, webhook_id: webhooks.find_webhook(store_id_for(caller), webhook_id),
    model=Webhook,
    sorts=WEBHOOK_SORTS,
    names=WEBHOOK_NAMES,
)


@webhook_routes.route("POST", auth=BASIC, body=WebhookIn, response=One[WebhookOut], status=201)
def create_webhook(caller, body: WebhookIn):
    """Create a webhook to one topic and event (answers its signing secret, shown this once: each
    delivery is signed as Standard Webhooks says)"""
    webhook = webhooks.create_webhook(store_id_for(caller), webhook_create(body))
    return One[WebhookOut](data=webhook_out(webhook, secret=webhook.secret), message=CREATED)


webhook_routes.list(
    "list_webhooks",
    "Get a list of webhooks",
    auth=BASIC,
    rows=lambda caller, query: webhooks.webhooks_query(store_id_for(caller), WebhookListQuery()),
)
webhook_routes.get("get_webhook", "Get webhook details", auth=BASIC)
webhook_routes.update(
    "update_webhook",
    "Update a webhook",
    auth=BASIC,
    body=WebhookUpdateIn,
    update=lambda webhook, body: webhooks.update_webhook(webhook, webhook_update(body, webhook)),
)
webhook_routes.delete(
    "delete_webhook", "Delete a webhook and its delivery log", auth=BASIC, delete=webhooks.delete_webhook
)


# Designs: PrintCart's layers translated both ways (printcart/layers.py), through the native
# design services (their locks, references and events)


def _create_design(store_id: str, body: DesignIn) -> Design:
    fields, names = design_create(store_id, body)
    with speaking(names):
        design = designs.create_design(store_id, fields).design
    if body.status not in (None, design.status):
        designs.update_design(store_id, design, design_update(DesignFieldsIn(status=body.status), design)[0])
    return design


def _update_design(store_id: str, design_id: str, body: DesignFieldsIn) -> Design:
    design = designs.find_design_to_change(store_id, design_id)
    fields, names = design_update(body, design)
    with speaking(names):
        return designs.update_design(store_id, design, fields).design


@operation(
    "POST /designs",
    tag="Design",
    resource="designs",
    auth=BASIC,
    body=DesignIn,
    response=One[DesignOut],
    status=201,
)
def create_design(caller, body: DesignIn):
    """Create a design on a side (its layers in pixels of the product's DPI)"""
    design = _create_design(store_id_for(caller), body)
    return One[DesignOut](data=design_out(design, layers=True), message=CREATED)


@operation(
    "PUT /designs/<design_id>",
    tag="Design",
    resource="designs",
    auth=BASIC,
    body=DesignUpdateIn,
    response=One[DesignOut],
)
def update_design(caller, design_id: str, body: DesignUpdateIn):
    """Update a design (its layers replace the design's)"""
    design = _update_design(store_id_for(caller), design_id, body)
    return One[DesignOut](data=design_out(design, layers=True), message=UPDATED)


@operation(
    "POST /designs/batch",
    tag="Design",
    resource="designs",
    auth=BASIC,
    body=DesignBatchIn,
    response=Batch[DesignOut],
    status=201,
)
def create_designs(caller, body: DesignBatchIn):
    """Create batch designs (all or nothing)"""
    store_id = store_id_for(caller)
    made = all_or_nothing("designs", body.designs, lambda item: _create_design(store_id, item))
    return Batch[DesignOut](data=[design_out(design) for design in made], message=CREATED)


@operation(
    "PUT /designs/batch",
    tag="Design",
    resource="designs",
    auth=BASIC,
    body=DesignBatchUpdateIn,
    response=Batch[DesignOut],
)
def update_designs(caller, body: DesignBatchUpdateIn):
    """Update batch designs (all or nothing)"""
    store_id = store_id_for(caller)
    changed = all_or_nothing("designs", body.designs, lambda item: _update_design(store_id, item.id, item))
    return Batch[DesignOut](data=[design_out(design) for design in changed], message=UPDATED)


def _designs_page(caller, query: ListParams, **filters) -> Many[DesignOut]:
    statement = designs.designs_of(store_id_for(caller), **filters)
    rows, links, meta = page(statement, Design, query, DESIGN_SORTS, "designs")
    return Many[DesignOut](data=[design_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED)


def _designs_count(caller, **filters) -> Counted:
    statement = designs.designs_of(store_id_for(caller), **filters)
    return Counted(data=CountData(count=count(statement, Design)), message=RETRIEVED)


@operation(
    "GET /designs", tag="Design", resource="designs", auth=BASIC, query=ListParams, response=Many[DesignOut]
)
def list_designs(caller, query: ListParams):
    """Get a list of designs"""
    return _designs_page(caller, query)


@operation("GET /designs/count", tag="Design", resource="designs", auth=BASIC, response=Counted)
def count_designs(caller):
    """Get a count of designs"""
    return _designs_count(caller)


@operation("GET /designs/<design_id>", tag="Design", resource="designs", auth=BASIC, response=One[DesignOut])
def get_design(caller, design_id: str):
    """Get design details (the merchant's; a customer opens a design in the editor)"""
    design = designs.find_design(store_id_for(caller), design_id)
    return One[DesignOut](data=design_out(design, layers=True), message=RETRIEVED)


@operation("DELETE /designs/<design_id>", tag="Design", resource="designs", auth=BASIC, response=Done)
def delete_design(caller, design_id: str):
    """Delete a design"""
    designs.delete_design(designs.find_design(store_id_for(caller), design_id))
    return Done(message=DELETED)


@operation(
    "DELETE /designs/batch",
    tag="Design",
    resource="designs",
    auth=BASIC,
    body=DesignBatchDeleteIn,
    response=Done,
)
def delete_designs(caller, body: DesignBatchDeleteIn):
    """Delete batch designs (all or nothing)"""
    found = [designs.find_design(store_id_for(caller), item.id) for item in body.designs]
    all_or_nothing("designs", found, designs.delete_design)
    return Done(message=DELETED)


@operation(
    "GET /products/<product_id>/designs",
    tag="Product",
    resource="designs",
    auth=BASIC,
    query=ListParams,
    response=Many[DesignOut],
)
def list_product_designs(caller, product_id: str, query: ListParams):
    """Get a list of designs by product"""
    return _designs_page(caller, query, product_id=_product(caller, product_id).id)


@operation(
    "GET /products/<product_id>/designs/count",
    tag="Product",
    resource="designs",
    auth=BASIC,
    response=Counted,
)
def count_product_designs(caller, product_id: str):
    """Get a count of designs by product"""
    return _designs_count(caller, product_id=_product(caller, product_id).id)


@operation(
    "GET /projects/<project_id>/designs",
    tag="Project",
    resource="designs",
    auth=BASIC,
    query=ListParams,
    response=Many[DesignOut],
)
def list_project_designs(caller, project_id: str, query: ListParams):
    """Get a list of a project's designs"""
    project = projects.find_project(store_id_for(caller), project_id)
    return _designs_page(caller, query, project_id=project.id)


@operation(
    "GET /projects/<project_id>/designs/count",
    tag="Project",
    resource="designs",
    auth=BASIC,
    response=Counted,
)
def count_project_designs(caller, project_id: str):
    """Get a count of a project's designs"""
    return _designs_count(caller, project_id=projects.find_project(store_id_for(caller), project_id).id)


def _project_products(caller, project_id: str):
    """The products the project's designs are on, and the one it was started on."""
    project = projects.find_project(store_id_for(caller), project_id)
    statement = products.products_query(project.store_id, ProductFilters())
    on = designs.designs_of(project.store_id, project_id=project.id).with_only_columns(Design.product_id)
    return statement.where(or_(Product.id == project.product_id, Product.id.in_(on)))


@operation(
    "GET /projects/<project_id>/products",
    tag="Project",
    resource="projects",
    auth=BASIC,
    query=ListParams,
    response=Many[ProductOut],
)
def list_project_products(caller, project_id: str, query: ListParams):
    """Get a list of a project's products (those its designs are on)"""
    rows, links, meta = page(_project_products(caller, project_id), Product, query, PRODUCT_SORTS, "products")
    return Many[ProductOut](
        data=[product_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "GET /projects/<project_id>/products/count",
    tag="Project",
    resource="projects",
    auth=BASIC,
    response=Counted,
)
def count_project_products(caller, project_id: str):
    """Get a count of a project's products"""
    statement = _project_products(caller, project_id)
    return Counted(data=CountData(count=count(statement, Product)), message=RETRIEVED)


# Templates: PrintCart's layers translated both ways, through the native template services


def _create_template(store_id: str, body: TemplateIn) -> Template:
    fields, names = template_create(store_id, body)
    with speaking(names):
        return templates.create_template(store_id, fields)


def _update_template(store_id: str, template_id: str, body: TemplateFieldsIn) -> Template:
    template = templates.find_template_to_change(store_id, template_id)
    fields, names = template_update(body, template)
    with speaking(names):
        templates.update_template(store_id, template, fields)
    return template


@operation(
    "POST /templates",
    tag="Template",
    resource="templates",
    auth=BASIC,
    body=TemplateIn,
    response=One[TemplateOut],
    status=201,
)
def create_template(caller, body: TemplateIn):
    """Create a template on a side (its note is its name)"""
    template = _create_template(store_id_for(caller), body)
    return One[TemplateOut](data=template_out(template, layers=True), message=CREATED)


@operation(
    "PUT /templates/<template_id>",
    tag="Template",
    resource="templates",
    auth=BASIC,
    body=TemplateUpdateIn,
    response=One[TemplateOut],
)
def update_template(caller, template_id: str, body: TemplateUpdateIn):
    """Update a template (its layers replace the template's)"""
    template = _update_template(store_id_for(caller), template_id, body)
    return One[TemplateOut](data=template_out(template, layers=True), message=UPDATED)


@operation(
    "POST /templates/batch",
    tag="Template",
    resource="templates",
    auth=BASIC,
    body=TemplateBatchIn,
    response=Batch[TemplateOut],
    status=201,
)
def create_templates(caller, body: TemplateBatchIn):
    """Create batch templates (all or nothing)"""
    store_id = store_id_for(caller)
    made = all_or_nothing("templates", body.templates, lambda item: _create_template(store_id, item))
    return Batch[TemplateOut](data=[template_out(item, layers=True) for item in made], message=CREATED)


@operation(
    "PUT /templates/batch",
    tag="Template",
    resource="templates",
    auth=BASIC,
    body=TemplateBatchUpdateIn,
    response=Batch[TemplateOut],
)
def update_templates(caller, body: TemplateBatchUpdateIn):
    """Update batch templates (all or nothing)"""
    store_id = store_id_for(caller)
    changed = all_or_nothing(
        "templates", body.templates, lambda item: _update_template(store_id, item.id, item)
    )
    return Batch[TemplateOut](data=[template_out(item, layers=True) for item in changed], message=UPDATED)


def _templates_page(caller, query: ListParams, **filters) -> Many[TemplateOut]:
    statement = templates.templates_of(store_id_for(caller), public=is_public(caller), **filters)
    rows, links, meta = page(statement, Template, query, TEMPLATE_SORTS, "templates")
    return Many[TemplateOut](
        data=[template_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "GET /templates",
    tag="Template",
    resource="templates",
    auth=UNAUTH,
    query=ListParams,
    response=Many[TemplateOut],
)
def list_templates(caller, query: ListParams):
    """Get a list of templates (the public sees published ones)"""
    return _templates_page(caller, query)


@operation("GET /templates/count", tag="Template", resource="templates", auth=BASIC, response=Counted)
def count_templates(caller):
    """Get a count of templates"""
    statement = templates.templates_of(store_id_for(caller))
    return Counted(data=CountData(count=count(statement, Template)), message=RETRIEVED)


@operation(
    "GET /templates/<template_id>",
    tag="Template",
    resource="templates",
    auth=UNAUTH,
    response=One[TemplateOut],
)
def get_template(caller, template_id: str):
    """Get template details"""
    template = templates.find_template(store_id_for(caller), template_id, public=is_public(caller))
    return One[TemplateOut](data=template_out(template, layers=True), message=RETRIEVED)


@operation("DELETE /templates/<template_id>", tag="Template", resource="templates", auth=BASIC, response=Done)
def delete_template(caller, template_id: str):
    """Delete a template"""
    templates.delete_template(templates.find_template(store_id_for(caller), template_id))
    return Done(message=DELETED)


@operation(
    "DELETE /templates/batch",
    tag="Template",
    resource="templates",
    auth=BASIC,
    body=TemplateBatchDeleteIn,
    response=Done,
)
def delete_templates(caller, body: TemplateBatchDeleteIn):
    """Delete batch templates (all or nothing)"""
    found = [templates.find_template(store_id_for(caller), item.id) for item in body.templates]
    all_or_nothing("templates", found, templates.delete_template)
    return Done(message=DELETED)


@operation(
    "GET /sides/<side_id>/templates",
    tag="Side",
    resource="templates",
    auth=UNAUTH,
    query=ListParams,
    response=Many[TemplateOut],
)
def list_side_templates(caller, side_id: str, query: ListParams):
    """Get a list of templates by side"""
    return _templates_page(caller, query, side_id=_side(caller, side_id).id)


# The fonts a design or a template sets its text in


@operation(
    "GET /designs/<design_id>/fonts", tag="Design", resource="designs", auth=BASIC, response=Batch[FontOut]
)
def list_design_fonts(caller, design_id: str):
    """Get a list of the fonts a design uses"""
    design = designs.find_design(store_id_for(caller), design_id)
    used = fonts_in(design.store_id, load_layers(design.layers))
    return Batch[FontOut](data=[font_out(font) for font in used], message=RETRIEVED)


@operation(
    "GET /templates/<template_id>/fonts",
    tag="Template",
    resource="templates",
    auth=UNAUTH,
    response=Batch[FontOut],
)
def list_template_fonts(caller, template_id: str):
    """Get a list of the fonts a template uses"""
    template = templates.find_template(store_id_for(caller), template_id, public=is_public(caller))
    used = fonts_in(template.store_id, load_layers(template.layers))
    return Batch[FontOut](data=[font_out(font) for font in used], message=RETRIEVED)


# 3D: a product's 3D profile and configuration, a store's GLB models, a side's mapping onto one,
# and previews drawn as images, over the native 3D services (previews3d/)


TAG_3D = "3D Preview"
MAX_PREVIEW_PX = 1600  # PrintCart's largest output width and height
MODEL_3D_SORTS = {"id": Model3D.id, "created_at": Model3D.created_at, "name": Model3D.name}


# PrintCart's limits on what costs a render or a validation, per store: 10 a minute unless the
# config says otherwise (PREVIEW3D_RENDERS_PER_MINUTE, MODEL3D_VALIDATIONS_PER_MINUTE).
RENDERS_PER_MINUTE = VALIDATIONS_PER_MINUTE = 10


def _calling_store() -> str:
    try:
        return "store " + store_id_for(current_caller())
    except errors.ApiError:  # refused later, by the operation's own checks
        return "unknown"


def _per_minute(setting: str, default: int) -> Callable[[], int]:
    return lambda: int(current_app.config.get(setting, default))


_renders = shared_limit(
    "printcart-3d-renders", _per_minute("PREVIEW3D_RENDERS_PER_MINUTE", RENDERS_PER_MINUTE), _calling_store
)
_validations = shared_limit(
    "printcart-3d-validations",
    _per_minute("MODEL3D_VALIDATIONS_PER_MINUTE", VALIDATIONS_PER_MINUTE),
    _calling_store,
)


class _InUse(errors.ApiError):
    """PrintCart answers 409 (not its 400 for other conflicts) for a model still in use."""

    code = "in_use"
    status = 409


def _reset() -> pc.ResetIn:
    """The operation's optional body: `{reset}`, or nothing."""
    return read_body(pc.ResetIn) if request.get_data(cache=True) else pc.ResetIn()


def _answering(status: int) -> None:
    """Answer this request with `status` rather than its operation's usual one."""

    @after_this_request
    def with_status(response):
        response.status_code = status
        return response


def _preview(caller, design_or_side, options: dict) -> One[pc.Preview3DOut]:
    store_id = store_id_for(caller)
    drawn = (design_preview if isinstance(design_or_side, Design) else side_preview)(
        design_or_side, **options
    )
    return One[pc.Preview3DOut](data=to_pc.preview_3d_out(store_id, drawn), message=RETRIEVED)


@operation(
    "GET /products/<product_id>/3d-config",
    tag=TAG_3D,
    resource="products",
    auth=UNAUTH,
    response=One[pc.Config3DOut],
)
def get_product_3d_config(caller, product_id: str):
    """Get product 3D preview config (the public sees a published product's)"""
    public = is_public(caller)
    product = products.find_product(store_id_for(caller), product_id, public=public)
    profile = previews3d.profile_of(product.store_id, product.id)
    config = to_pc.config_3d_out(product, products.visible_sides(product, public=public), profile)
    return One[pc.Config3DOut](data=config, message=RETRIEVED)


@operation(
    "POST /products/<product_id>/3d-profiles",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    body=pc.Profile3DIn,
    response=One[pc.Profile3DOut],
    names=to_pc.PROFILE_3D_NAMES | {"productId": "product_id"},
)
def create_product_3d_profile(caller, product_id: str, body: pc.Profile3DIn):
    """Create product 3D profile (one per product; a deleted one comes back, its version bumped)"""
    product = products.find_product(store_id_for(caller), product_id)
    profile = previews3d.create_profile(product, to_pc.profile_3d_put(body, None))
    return One[pc.Profile3DOut](data=to_pc.profile_3d_out(profile), message=CREATED)


def _profile(caller, product_id: str, profile_id: str) -> tuple[Product, Profile3D]:
    product = products.find_product(store_id_for(caller), product_id)
    profile = previews3d.find_profile(product.store_id, product.id)
    if profile.id != profile_id:
        raise NotFound(f"Product '{product.id}' has no 3D profile '{profile_id}'")
    return product, profile


@operation(
    "PUT /products/<product_id>/3d-profiles/<profile_id>",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    body=pc.Profile3DIn,
    response=One[pc.Profile3DOut],
    names=to_pc.PROFILE_3D_NAMES,
)
def update_product_3d_profile(caller, product_id: str, profile_id: str, body: pc.Profile3DIn):
    """Update product 3D profile; a render-affecting change bumps config_version"""
    product, profile = _profile(caller, product_id, profile_id)
    profile = previews3d.put_profile(product, to_pc.profile_3d_put(body, profile))
    return One[pc.Profile3DOut](data=to_pc.profile_3d_out(profile), message=UPDATED)


@operation(
    "DELETE /products/<product_id>/3d-profiles/<profile_id>",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    response=Done,
)
def delete_product_3d_profile(caller, product_id: str, profile_id: str):
    """Delete product 3D profile (softly: made again, it comes back with a new config_version)"""
    previews3d.delete_profile(_profile(caller, product_id, profile_id)[1])
    return Done(message=DELETED)


@operation(
    "POST /3d/edge-preview",
    tag=TAG_3D,
    resource="designs",
    auth=UNAUTH,
    body=pc.EdgePreviewIn,
    response=One[pc.Preview3DOut],
)
@_renders
def render_edge_preview(caller, body: pc.EdgePreviewIn):
    """Render a 3D preview image of a design on its side (the side as it starts without one):
    a canvas print's edges, or the mug; cached by its inputs' hash unless `reset`"""
    store_id, public = store_id_for(caller), is_public(caller)
    if body.artwork_url is not None:
        raise refuse_field("artwork_url", "Presswork draws the design itself: give design_id instead")
    to_pc.refuse_undrawn("edge_style", body.edge_style)
    product = products.find_product(store_id, body.product_id, public=public)
    side = sides.find_side(store_id, body.side_id, public=public)
    if side.product_id != product.id:
        raise refuse_field("side_id", f"side '{side.id}' is not a side of product '{product.id}'")
    drawn = side
    if body.design_id is not None:
        drawn = designs.find_design(store_id, body.design_id)
        if drawn.side_id != side.id:
            raise refuse_field("design_id", f"design '{drawn.id}' is not on side '{side.id}'")
    output = body.output
    options = {
        "style": body.edge_style,
        "color": body.edge_color,
        "width_px": output.width or 800,
        "fit": (output.width or MAX_PREVIEW_PX, output.height or MAX_PREVIEW_PX),
        "image_format": output.format,
        "reset": body.reset,
    }
    return _preview(caller, drawn, options)


@operation(
    "POST /designs/<design_id>/generate/3d-preview",
    tag=TAG_3D,
    resource="designs",
    auth=BASIC,
    response=One[pc.Preview3DOut],
)
@_renders
def generate_saved_design_3d_preview(caller, design_id: str):
    """Generate 3D preview for a saved design (its canvas print's edges, or the mug); cached
    unless `reset` (an optional body)"""
    design = designs.find_design(store_id_for(caller), design_id)
    return _preview(caller, design, {"reset": _reset().reset})


@operation(
    "GET /3d-models",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    query=pc.Model3DListParams,
    response=Many[pc.Model3DOut],
)
def list_three_d_models(caller, query: pc.Model3DListParams):
    """Get a list of 3D models (`status` and `search` by name filter)"""
    statement = previews3d.models_query(store_id_for(caller), to_pc.model_3d_query(query))
    rows, links, meta = page(statement, Model3D, query, MODEL_3D_SORTS, "models")
    return Many[pc.Model3DOut](
        data=[to_pc.model_3d_out(row) for row in rows], links=links, meta=meta, message=RETRIEVED
    )


@operation(
    "POST /3d-models",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    body=pc.Model3DIn,
    response=One[pc.Model3DOut],
    status=201,
)
def create_three_d_model(caller, body: pc.Model3DIn):
    """Register an uploaded GLB file as a 3D model (`uploaded`: validate it next)"""
    to_pc.refuse_unkept(body, "metadata")
    model = previews3d.model_from_file(
        store_id_for(caller), body.source_image_id, body.name, "source_image_id"
    )
    return One[pc.Model3DOut](data=to_pc.model_3d_out(model), message=CREATED)


@operation(
    "GET /3d-models/<model_id>",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    response=One[pc.Model3DOut],
)
def get_three_d_model(caller, model_id: str):
    """Get 3D model details"""
    model = previews3d.find_model(store_id_for(caller), model_id)
    return One[pc.Model3DOut](data=to_pc.model_3d_out(model), message=RETRIEVED)


@operation(
    "PUT /3d-models/<model_id>",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    body=pc.Model3DUpdateIn,
    response=One[pc.Model3DOut],
)
def update_three_d_model(caller, model_id: str, body: pc.Model3DUpdateIn):
    """Update 3D model details (its name)"""
    model = previews3d.find_model(store_id_for(caller), model_id)
    to_pc.refuse_unkept(body, "metadata")
    if body.name is not None:
        model = previews3d.update_model(model, ModelUpdate(name=body.name))
    return One[pc.Model3DOut](data=to_pc.model_3d_out(model), message=UPDATED)


@operation("DELETE /3d-models/<model_id>", tag=TAG_3D, resource="products", auth=BASIC, response=Done)
def delete_three_d_model(caller, model_id: str):
    """Delete a 3D model (softly); 409 while a profile or a side's mapping uses it"""
    model = previews3d.find_model(store_id_for(caller), model_id)
    try:
        previews3d.delete_model(model)
    except errors.Conflict as error:
        raise _InUse(error.message) from None
    return Done(message=DELETED)


@operation(
    "POST /3d-models/<model_id>/validate",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    response=One[pc.Model3DOut],
    status=202,
    also_status=(200,),
)
@_validations
def validate_three_d_model(caller, model_id: str):
    """Validate a 3D model: 202 while it is queued, 200 when it is already active (unless `reset`)"""
    model = previews3d.find_model(store_id_for(caller), model_id)
    queued = previews3d.request_validation(model, reset=_reset().reset)
    if not queued and model.status == ACTIVE:
        _answering(200)
    return One[pc.Model3DOut](data=to_pc.model_3d_out(model), message=UPDATED)


@operation(
    "GET /sides/<side_id>/3d-mapping",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    response=One[pc.Mapping3DOut],
)
def get_side_3d_mapping(caller, side_id: str):
    """Get a side's 3D model mapping (404 when it has none)"""
    side = sides.find_side(store_id_for(caller), side_id)
    return One[pc.Mapping3DOut](
        data=to_pc.mapping_3d_out(previews3d.find_mapping(side.store_id, side.id)), message=RETRIEVED
    )


@operation(
    "PUT /sides/<side_id>/3d-mapping",
    tag=TAG_3D,
    resource="products",
    auth=BASIC,
    body=pc.Mapping3DIn,
    response=One[pc.Mapping3DOut],
    names=to_pc.MAPPING_3D_NAMES,
)
def update_side_3d_mapping(caller, side_id: str, body: pc.Mapping3DIn):
    """Create or update a side's 3D model mapping onto an active model; a change bumps its
    config_version"""
    side = sides.find_side(store_id_for(caller), side_id)
    try:
        mapping = previews3d.put_mapping(side, to_pc.mapping_3d_put(body))
    except errors.ValidationFailed as error:
        if error.field != "modelId":
            raise
        raise NotFound(error.message, field=error.field) from None  # PrintCart's 404 for the model
    return One[pc.Mapping3DOut](data=to_pc.mapping_3d_out(mapping), message=UPDATED)


@operation("DELETE /sides/<side_id>/3d-mapping", tag=TAG_3D, resource="products", auth=BASIC, response=Done)
def delete_side_3d_mapping(caller, side_id: str):
    """Delete a side's 3D model mapping"""
    side = sides.find_side(store_id_for(caller), side_id)
    previews3d.delete_mapping(previews3d.find_mapping(side.store_id, side.id))
    return Done(message=DELETED)
