"""/api/v1 routes for 3D previews: a store's GLB models, a side's mapping onto a model, a
product's 3D profile and configuration, and a design's 3D scene and edge preview.

Who may do what: the account and secret tokens (scope `products`; a design's preview, `designs`)
do everything; the storefront (a publishable token, or anyone naming the store for a product's
configuration) reads what a viewer needs: a published product's 3D configuration and its sides'
mappings, a model's GLB by its id, and a design's scene and edge preview by the design's id.
"""

from designer.api.auth import ANYONE, MERCHANTS, STOREFRONT
from designer.api.downloads import IMMUTABLE, send_bytes
from designer.api.multipart import Upload
from designer.api.pagination import more_url, paginate
from designer.api.resource import EMPTY, Resource, Routes
from designer.api.respond import respond
from designer.api.schemas import Deleted, StoreQuery
from designer.api.store_scope import store_id_of
from designer.designs.service import find_design
from designer.previews3d import service
from designer.previews3d.models import ACTIVE, Model3D
from designer.previews3d.present import (
    config_out,
    mapping_out,
    model_out,
    preview_url,
    profile_out,
    scene_out,
)
from designer.previews3d.previews import Preview3D, cached_preview, design_preview
from designer.previews3d.schemas import (
    DesignScene,
    MappingOut,
    MappingPut,
    ModelListQuery,
    ModelOut,
    ModelPage,
    ModelUpdate,
    ModelUploadForm,
    PreviewQuery,
    Product3DConfig,
    ProfileOut,
    ProfilePut,
    ValidateQuery,
)
from designer.products.service import find_product, visible_sides
from designer.products.sides import find_side

TAG = "3D previews"
PARTIALS = "dashboard/models3d/"  # the page too
MODEL_SORTS = {"createdAt": Model3D.created_at, "name": Model3D.name}


def _public(caller) -> bool:
    """Anonymous and publishable callers see only what the storefront shows."""
    return caller.kind in ("anonymous", "publishable")


models = Resource(
    "/3d-models",
    resource="products",
    id_name="model_id",
    find=service.find_model,
    out=model_out,
    page=ModelPage,
)


@models.route("GET", auth=MERCHANTS, response=ModelPage, tag=TAG)
def list_3d_models(caller, query: ModelListQuery):
    """List 3D models (GLB), newest first; `status` filters"""
    rows, has_more, cursor = paginate(
        service.models_query(store_id_of(caller), query), Model3D, query, MODEL_SORTS
    )
    return respond(
        ModelPage.of_rows(model_out, rows, has_more, cursor),
        partial=PARTIALS + "_model_rows.html",
        page=PARTIALS + "models.html",
        models=rows,
        more_url=more_url("api.list_3d_models", query, cursor),
    )


@models.route(
    "POST",
    auth=MERCHANTS,
    response=ModelOut,
    status=201,
    upload=Upload(ModelUploadForm),
    form=PARTIALS + "_model_form.html",
    tag=TAG,
)
def upload_3d_model(caller, body: ModelUploadForm, files: list[tuple[str, bytes]]):
    """Upload a GLB model (multipart field `file`, at most 25 MB); it is queued for validation and
    becomes `active` or `invalid` with the reason"""
    ((filename, data),) = files
    model = service.upload_model(store_id_of(caller), filename=filename, data=data, name=body.name)
    return respond(model_out(model), status=201, partial=PARTIALS + "_model_created.html", model=model)


@models.route("GET /<model_id>", auth=MERCHANTS, response=ModelOut, tag=TAG)
def get_3d_model(caller, model_id: str, query: StoreQuery):
    """Get a 3D model and its validation"""
    model = service.find_model(store_id_of(caller), model_id)
    return respond(model_out(model), partial=PARTIALS + "_model_row.html", model=model)


@models.route("PATCH /<model_id>", auth=MERCHANTS, response=ModelOut, tag=TAG)
def update_3d_model(caller, model_id: str, query: StoreQuery, body: ModelUpdate):
    """Rename a 3D model"""
    model = service.update_model(service.find_model(store_id_of(caller), model_id), body)
    return respond(model_out(model))


@models.route("DELETE /<model_id>", auth=MERCHANTS, response=Deleted, tag=TAG)
def delete_3d_model(caller, model_id: str, query: StoreQuery):
    """Delete a 3D model; refused (409) while a product's profile or a side's mapping uses it"""
    service.delete_model(service.find_model(store_id_of(caller), model_id))
    return respond(Deleted(id=model_id), partial=EMPTY)


@models.route("POST /<model_id>/validate", auth=MERCHANTS, response=ModelOut, status=202, tag=TAG)
def validate_3d_model(caller, model_id: str, query: ValidateQuery):
    """Validate a 3D model again: 202 while it is queued, 200 when it is already active (unless `reset`)"""
    model = service.find_model(store_id_of(caller), model_id)
    queued = service.request_validation(model, reset=query.reset)
    return respond(model_out(model), status=202 if queued or model.status != ACTIVE else 200)


@models.route("GET /<model_id>/content", auth=STOREFRONT, tag=TAG, binary={200: "model/gltf-binary"})
def get_3d_model_content(caller, model_id: str, query: StoreQuery):
    """The model's GLB (model/gltf-binary), for a 3D viewer"""
    model = service.find_model(store_id_of(caller), model_id)
    return send_bytes(service.model_glb(model), service.GLB_MEDIA_TYPE, etag=model.sha256)


side_mapping = Routes("/sides/<side_id>/3d-mapping", resource="products")


@side_mapping.route("GET", auth=ANYONE, response=MappingOut, tag=TAG)
def get_side_3d_mapping(caller, side_id: str, query: StoreQuery):
    """A side's mapping onto a 3D model (404 when it has none)"""
    side = find_side(store_id_of(caller), side_id, public=_public(caller))
    return respond(mapping_out(service.find_mapping(side.store_id, side.id)))


@side_mapping.route("PUT", auth=MERCHANTS, response=MappingOut, tag=TAG)
def put_side_3d_mapping(caller, side_id: str, query: StoreQuery, body: MappingPut):
    """Map a side onto an active 3D model (a material or UV region, with a transform); a change
    bumps its configVersion"""
    mapping = service.put_mapping(find_side(store_id_of(caller), side_id), body)
    return respond(mapping_out(mapping))


@side_mapping.route("DELETE", auth=MERCHANTS, response=Deleted, tag=TAG)
def delete_side_3d_mapping(caller, side_id: str, query: StoreQuery):
    """Unmap a side from its 3D model"""
    mapping = service.find_mapping(store_id_of(caller), side_id)
    service.delete_mapping(mapping)
    return respond(Deleted(id=mapping.id))


product_3d = Routes("/products/<product_id>", resource="products")


@product_3d.route("GET /3d-config", auth=ANYONE, response=Product3DConfig, tag=TAG)
def get_product_3d_config(caller, product_id: str, query: StoreQuery):
    """A product's 3D configuration: its profile, its model, and each side's size and mapping"""
    public = _public(caller)
    product = find_product(store_id_of(caller), product_id, public=public)
    profile = service.profile_of(product.store_id, product.id)
    return respond(config_out(product, visible_sides(product, public=public), profile))


@product_3d.route("GET /3d-profile", auth=MERCHANTS, response=ProfileOut, tag=TAG)
def get_product_3d_profile(caller, product_id: str, query: StoreQuery):
    """A product's 3D profile (404 when it has none)"""
    product = find_product(store_id_of(caller), product_id)
    return respond(profile_out(service.find_profile(product.store_id, product.id)))


@product_3d.route("PUT /3d-profile", auth=MERCHANTS, response=ProfileOut, tag=TAG)
def put_product_3d_profile(caller, product_id: str, query: StoreQuery, body: ProfilePut):
    """Make or change a product's 3D profile: a GLB model, or a canvas print's edges; a
    render-affecting change bumps its configVersion"""
    profile = service.put_profile(find_product(store_id_of(caller), product_id), body)
    return respond(profile_out(profile))


@product_3d.route("DELETE /3d-profile", auth=MERCHANTS, response=Deleted, tag=TAG)
def delete_product_3d_profile(caller, product_id: str, query: StoreQuery):
    """Turn a product's 3D preview off (made again, it comes back with a new configVersion)"""
    product = find_product(store_id_of(caller), product_id)
    profile = service.find_profile(product.store_id, product.id)
    service.delete_profile(profile)
    return respond(Deleted(id=profile.id))


design_3d = Routes("/designs/<design_id>", resource="designs")


@design_3d.route("GET /3d", auth=STOREFRONT, response=DesignScene, tag=TAG)
def get_design_3d_scene(caller, design_id: str, query: StoreQuery):
    """What a 3D viewer needs to show a design: its model, mapping and texture, or its edge preview"""
    design = find_design(store_id_of(caller), design_id)
    return respond(scene_out(design, service.find_profile(design.store_id, design.product_id)))


@design_3d.route("GET /3d-preview", auth=STOREFRONT, tag=TAG, binary={200: "image/*"})
def get_design_3d_preview(caller, design_id: str, query: PreviewQuery):
    """The design in 3D as an image (PNG, or WebP): a canvas print's front and two edges, wrapped,
    mirrored or coloured as its product's edge profile says, or the design on the mug its side is
    mapped onto; cached by the profile's and mapping's versions and the design. Its
    Content-Location serves it again, unchanged, by its hash"""
    design = find_design(store_id_of(caller), design_id)
    preview = design_preview(
        design,
        style=query.edge_style,
        color=query.edge_color,
        width_px=query.width_px,
        image_format=query.format,
    )
    response = _image(preview)
    response.headers["X-Cache"] = "hit" if preview.cache_hit else "miss"
    response.headers["Content-Location"] = preview_url(design.store_id, preview)
    return response


previews_3d = Routes("/3d-previews", resource="designs")


@previews_3d.route("GET /<name>", auth=ANYONE, tag=TAG, binary={200: "image/*"})
def get_3d_preview_image(caller, name: str, query: StoreQuery):
    """A 3D preview drawn before, by its name (`<hash>.png` or `.webp`), for anyone who has its
    name (a hash no one guesses: an `<img>`, a mail, a cart): it never changes, so it is cached
    for good"""
    return _image(cached_preview(store_id_of(caller), name), cache_control=IMMUTABLE)


def _image(preview: Preview3D, **cache):
    return send_bytes(preview.image, preview.media_type, etag=preview.input_hash, **cache)
