"""/api/v1 routes for a store's fonts and clipart, the default library included (also the
dashboard's htmx actions).

Reads are open to every caller that names the store, anonymous ones too: fonts and clipart are
what a storefront's editor shows every visitor (and a browser's @font-face or <img> cannot send
a token). Writes need a secret token or the account.
"""

import zlib
from functools import partial

from flask import url_for

from designer.api.auth import ANYONE, MERCHANTS
from designer.api.batch import all_or_nothing
from designer.api.downloads import IMMUTABLE, send_bytes
from designer.api.multipart import Upload
from designer.api.pagination import count, more_url, page_filters, paginate
from designer.api.resource import Resource, Routes
from designer.api.respond import respond
from designer.api.schemas import Count, StoreQuery, out_of
from designer.api.store_scope import store_id_of
from designer.errors import ValidationFailed
from designer.files.service import MAX_FILES_PER_BATCH
from designer.library import service
from designer.library.default_library import CLIPART_TAGS
from designer.library.models import Clipart, Font
from designer.library.schemas import (
    CategoryClipartListQuery,
    ClipartBatchFields,
    ClipartCountQuery,
    ClipartList,
    ClipartListQuery,
    ClipartOut,
    ClipartPage,
    ClipartUpdate,
    ClipartUploadFields,
    DefaultClipartCountQuery,
    DefaultClipartListQuery,
    DefaultFontCountQuery,
    DefaultFontListQuery,
    FontCountQuery,
    FontListQuery,
    FontOut,
    FontPage,
    FontUpdate,
    FontUploadFields,
)

READ = ANYONE
# Files are addressed by id and never change under it: caches may keep them.
# An SVG opened on its own must not run anything or load anything.

# A sample shows the family's name, which the merchant may change: kept a day, then revalidated.
SAMPLE_CACHE = "public, max-age=86400"

FONT_SORTS = {"createdAt": Font.created_at, "family": Font.family, "weight": Font.weight}
CLIPART_SORTS = {"createdAt": Clipart.created_at, "name": Clipart.name}


def font_out(font: Font) -> FontOut:
    file_url = url_for("api.get_font_file", font_id=font.id, storeId=font.store_id)
    return out_of(FontOut, font, file_url=file_url)


def clipart_out(clipart: Clipart) -> ClipartOut:
    return out_of(
        ClipartOut,
        clipart,
        category_ids=[category.id for category in clipart.categories],
        file_url=url_for("api.get_clipart_file", clipart_id=clipart.id, storeId=clipart.store_id),
    )


# Fonts

fonts = Resource(
    "/fonts", resource="library", id_name="font_id", find=service.find_font, out=font_out, page=FontPage
)


@fonts.route(
    "POST",
    auth=MERCHANTS,
    response=FontOut,
    status=201,
    form="dashboard/library/_font_form.html",
    upload=Upload(FontUploadFields),
)
def create_font(caller, query: StoreQuery, body: FontUploadFields, files: list[tuple[str, bytes]]):
    """Upload a font (multipart field `file`: TTF, OTF, WOFF or WOFF2, at most 15 MB); family, style and
    weight are read from the file unless the form fields `family`, `style`, `weight` say otherwise"""
    ((filename, data),) = files
    # The form's fields (family, style, weight) override what the file says.
    font = service.create_font(store_id_of(caller), filename=filename, data=data, **body.model_dump())
    return respond(font_out(font), status=201, partial="dashboard/library/_font_created.html", font=font)


@fonts.route("GET", auth=READ, response=FontPage)
def list_fonts(caller, query: FontListQuery):
    """List fonts (filter by family, script, default library or uploads)"""
    statement = service.fonts_of(
        store_id_of(caller), family=query.family, library=query.library, script=query.script, q=query.q
    )
    return _font_page(statement, query, "api.list_fonts")


@fonts.route("GET /default", auth=READ, response=FontPage)
def list_default_fonts(caller, query: DefaultFontListQuery):
    """List the store's default-library fonts"""
    statement = service.fonts_of(
        store_id_of(caller), family=query.family, library=True, script=query.script, q=query.q
    )
    return _font_page(statement, query, "api.list_default_fonts")


def _font_page(statement, query, endpoint: str):
    """One page of fonts; `endpoint` lists the next. A browser at the Fonts page's URL gets the page."""
    rows, has_more, cursor = paginate(statement, Font, query, FONT_SORTS)
    return respond(
        FontPage.of_rows(font_out, rows, has_more, cursor),
        partial="dashboard/library/_font_rows.html",
        page="dashboard/library/fonts.html",
        fonts=rows,
        more_url=more_url(endpoint, query, cursor),
        filters=page_filters(query),
    )


@fonts.route("GET /count", auth=READ, response=Count)
def count_fonts(caller, query: FontCountQuery):
    """Count fonts"""
    statement = service.fonts_of(
        store_id_of(caller), family=query.family, library=query.library, script=query.script
    )
    return respond(Count(count=count(statement, Font)))


@fonts.route("GET /default/count", auth=READ, response=Count)
def count_default_fonts(caller, query: DefaultFontCountQuery):
    """Count the store's default-library fonts"""
    statement = service.fonts_of(store_id_of(caller), family=query.family, library=True, script=query.script)
    return respond(Count(count=count(statement, Font)))


fonts.get("get_font", "Get a font", auth=READ)


@fonts.route("GET /<font_id>/file", auth=READ, binary={200: "font/*"})
def get_font_file(caller, font_id: str, query: StoreQuery):
    """Download a font's file (for @font-face; cacheable)"""
    font = service.find_font(store_id_of(caller), font_id)
    return send_bytes(
        service.font_bytes(font), service.font_media_type(font), etag=font.id, cache_control=IMMUTABLE
    )


@fonts.route("GET /<font_id>/sample", auth=READ, binary={200: "image/svg+xml"})
def get_font_sample(caller, font_id: str, query: StoreQuery):
    """The font's family name drawn in the font, as an SVG picture (the editor's font picker;
    cacheable, and new when the family is renamed)"""
    font = service.find_font(store_id_of(caller), font_id)
    etag = f"{font.id}-{zlib.crc32(font.family.encode()):08x}"
    return send_bytes(service.font_sample(font), "image/svg+xml", etag=etag, cache_control=SAMPLE_CACHE)


@fonts.route("PATCH /<font_id>", auth=MERCHANTS, response=FontOut)
def update_font(caller, font_id: str, query: StoreQuery, body: FontUpdate):
    """Update a font's family, style or weight"""
    font = service.find_font(store_id_of(caller), font_id)
    service.update_font(font, family=body.family, style=body.style, weight=body.weight)
    return respond(font_out(font), partial="dashboard/library/_font_row.html", font=font)


fonts.delete("delete_font", "Delete a font", auth=MERCHANTS, delete=service.delete_font)
fonts.delete_batch(
    "delete_fonts", "Delete several fonts (all or nothing)", auth=MERCHANTS, delete=service.delete_font
)


# Clipart

clipart = Resource(
    "/clipart",
    resource="library",
    id_name="clipart_id",
    find=service.find_clipart,
    out=clipart_out,
    page=ClipartPage,
)


@clipart.route(
    "POST",
    auth=MERCHANTS,
    response=ClipartOut,
    status=201,
    form="dashboard/library/_clipart_form.html",
    upload=Upload(ClipartUploadFields),
)
def create_clipart(caller, query: StoreQuery, body: ClipartUploadFields, files: list[tuple[str, bytes]]):
    """Upload a clipart (multipart field `file`: SVG or PNG, through preflight; optional `name`,
    `categoryIds`, `tags`)"""
    ((filename, data),) = files
    clipart = service.create_clipart(
        store_id_of(caller), filename=filename, data=data, uploaded_by=caller.kind, **body.model_dump()
    )
    return respond(
        clipart_out(clipart), status=201, partial="dashboard/library/_clipart_created.html", created=[clipart]
    )


@clipart.route(
    "POST /batch",
    auth=MERCHANTS,
    response=ClipartList,
    status=201,
    form="dashboard/library/_clipart_form.html",
    upload=Upload(ClipartBatchFields, files=("files", "files[]"), at_most=MAX_FILES_PER_BATCH),
    summary=f"Upload up to {MAX_FILES_PER_BATCH} clipart at once (multipart field `files[]` or `files`; "
    "optional `categoryIds`, `tags` for all), all or nothing: each refused file is reported by index",
)
def create_clipart_batch(caller, query: StoreQuery, body: ClipartBatchFields, files: list[tuple[str, bytes]]):
    store_id = store_id_of(caller)
    service.categories_in_store(store_id, body.category_ids)  # one error for the whole batch
    create = partial(_create_batch_item, store_id, caller.kind, body)
    created = all_or_nothing("files", files, create)
    return respond(
        ClipartList(data=[clipart_out(clipart) for clipart in created]),
        status=201,
        partial="dashboard/library/_clipart_created.html",
        created=created,
    )


def _create_batch_item(store_id: str, uploaded_by: str, body: ClipartBatchFields, upload: tuple[str, bytes]):
    filename, data = upload
    try:
        return service.create_clipart(
            store_id, filename=filename, data=data, uploaded_by=uploaded_by, **body.model_dump()
        )
    except ValidationFailed as error:
        if error.field == "file":
            error.field = None  # the item is the file: its error is `files.N`, not `files.N.file`
        raise


@clipart.route("GET", auth=READ, response=ClipartPage)
def list_clipart(caller, query: ClipartListQuery):
    """List clipart (filter by category, tag, default library or uploads)"""
    statement = service.clipart_of(
        store_id_of(caller), category_id=query.category_id, tag=query.tag, library=query.library, q=query.q
    )
    return _clipart_page(statement, query, "api.list_clipart")


@clipart.route("GET /default", auth=READ, response=ClipartPage)
def list_default_clipart(caller, query: DefaultClipartListQuery):
    """List the store's default-library clipart"""
    return _clipart_page(
        service.clipart_of(store_id_of(caller), tag=query.tag, library=True, q=query.q),
        query,
        "api.list_default_clipart",
    )


category_clipart = Routes("/categories/<category_id>/clipart", resource="library")


@category_clipart.route("GET", auth=READ, response=ClipartPage)
def list_category_clipart(caller, category_id: str, query: CategoryClipartListQuery):
    """List the clipart in a category"""
    statement = service.clipart_of(
        store_id_of(caller), category_id=category_id, tag=query.tag, library=query.library, q=query.q
    )
    return _clipart_page(statement, query, "api.list_category_clipart", category_id=category_id)


def _clipart_page(statement, query, endpoint: str, **path):
    """One page of clipart; `endpoint` (with `path`) lists the next. A browser at the Clipart
    page's URL gets the page."""
    rows, has_more, cursor = paginate(statement, Clipart, query, CLIPART_SORTS)
    return respond(
        ClipartPage.of_rows(clipart_out, rows, has_more, cursor),
        partial="dashboard/library/_clipart_rows.html",
        page="dashboard/library/clipart.html",
        clipart=rows,
        more_url=more_url(endpoint, query, cursor, **path),
        filters=page_filters(query),
        tags=CLIPART_TAGS,
    )


@clipart.route("GET /count", auth=READ, response=Count)
def count_clipart(caller, query: ClipartCountQuery):
    """Count clipart"""
    statement = service.clipart_of(
        store_id_of(caller), category_id=query.category_id, tag=query.tag, library=query.library
    )
    return respond(Count(count=count(statement, Clipart)))


@clipart.route("GET /default/count", auth=READ, response=Count)
def count_default_clipart(caller, query: DefaultClipartCountQuery):
    """Count the store's default-library clipart"""
    statement = service.clipart_of(store_id_of(caller), tag=query.tag, library=True)
    return respond(Count(count=count(statement, Clipart)))


clipart.get("get_clipart", "Get a clipart", auth=READ)


@clipart.route("GET /<clipart_id>/file", auth=READ, binary={200: "image/*"})
def get_clipart_file(caller, clipart_id: str, query: StoreQuery):
    """Download a clipart's file (SVG or PNG)"""
    clipart = service.find_clipart(store_id_of(caller), clipart_id)
    data, media_type = service.clipart_bytes(clipart), service.clipart_media_type(clipart)
    return send_bytes(data, media_type, etag=clipart.id, cache_control=IMMUTABLE)


@clipart.route("PATCH /<clipart_id>", auth=MERCHANTS, response=ClipartOut)
def update_clipart(caller, clipart_id: str, query: StoreQuery, body: ClipartUpdate):
    """Update a clipart's name, categories (PrintCart's storages), tags or whether it prints as a picture"""
    clipart = service.find_clipart(store_id_of(caller), clipart_id)
    service.update_clipart(
        clipart,
        name=body.name,
        category_ids=body.category_ids,
        tags=body.tags,
        print_as_raster=body.print_as_raster,
    )
    return respond(clipart_out(clipart), partial="dashboard/library/_clipart_row.html", item=clipart)


clipart.delete("delete_clipart", "Delete a clipart", auth=MERCHANTS, delete=service.delete_clipart)
clipart.delete_batch(
    "delete_clipart_batch",
    "Delete several clipart (all or nothing)",
    auth=MERCHANTS,
    delete=service.delete_clipart,
)
