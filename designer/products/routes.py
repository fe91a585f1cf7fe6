"""/api/v1 routes for products, their sides and categories (also the dashboard's htmx actions).

Reads are open to the public (anonymous callers naming the store with `storeId`, and publishable
tokens), who see published products and sides only; writes take a secret token or the account
(which names the store with the X-Store-Id header or `storeId`: see api/store_scope.py).
Products are addressed by id (prd_…) or slug.
"""

from functools import partial

from flask import request, url_for

from designer.api.auth import ANYONE, MERCHANTS
from designer.api.pagination import count, paginate
from designer.api.resource import Resource
from designer.api.respond import respond
from designer.api.schemas import Count, Deleted, StoreQuery
from designer.api.store_scope import store_id_of
from designer.categories import service as category_services
from designer.categories.models import Category
from designer.categories.present import category_out
from designer.categories.schemas import (
    CategoriesCreate,
    CategoriesUpdate,
    CategoryCreate,
    CategoryFilters,
    CategoryListQuery,
    CategoryOut,
    CategoryPage,
    CategoryUpdate,
)
from designer.products import service
from designer.products import sides as side_services
from designer.products.models import Product, Side
from designer.products.present import product_out, side_out
from designer.products.schemas import (
    CategoryProductsQuery,
    PersonalizationUpdate,
    ProductCreate,
    ProductFilters,
    ProductListQuery,
    ProductOut,
    ProductPage,
    ProductsCreate,
    ProductSidesQuery,
    ProductsUpdate,
    ProductUpdate,
    SideCreate,
    SideFields,
    SideFilters,
    SideListQuery,
    SideOrder,
    SideOut,
    SidePage,
    SidesCreate,
    SidesUpdate,
    SideUpdate,
)

PARTIALS = "dashboard/products/"  # the pages too
PRODUCT_SORTS = {
    "createdAt": Product.created_at,
    "updatedAt": Product.updated_at,
    "name": Product.name,
    "slug": Product.slug,
}
SIDE_SORTS = {"position": Side.position, "createdAt": Side.created_at, "name": Side.name}
CATEGORY_SORTS = {"name": Category.name, "slug": Category.slug, "createdAt": Category.created_at}


def is_public(caller) -> bool:
    """Anonymous and publishable callers see only what the storefront shows."""
    return caller.kind in ("anonymous", "publishable")


def _product_out(product: Product, caller) -> ProductOut:
    return product_out(product, service.visible_sides(product, public=is_public(caller)))


def _product_page(rows, has_more, cursor, caller) -> ProductPage:
    return ProductPage.of_rows(partial(_product_out, caller=caller), rows, has_more, cursor)


# Products

products = Resource(
    "/products", id_name="product_id", find=service.find_product, out=product_out, page=ProductPage
)


@products.route("GET", auth=ANYONE, response=ProductPage)
def list_products(caller, query: ProductListQuery):
    """List products (the public sees published ones)"""
    store_id = store_id_of(caller)
    statement = service.products_query(store_id, query, public=is_public(caller))
    return respond(
        _product_page(*paginate(statement, Product, query, PRODUCT_SORTS), caller),
        partial=PARTIALS + "_product_rows.html",
        page=PARTIALS + "list.html",
        store_id=store_id,
        query=query,
    )


@products.route("GET /count", auth=ANYONE, response=Count)
def count_products(caller, query: ProductFilters):
    """Count products"""
    statement = service.products_query(store_id_of(caller), query, public=is_public(caller))
    return respond(Count(count=count(statement, Product)))


@products.route(
    "POST", auth=MERCHANTS, response=ProductOut, status=201, form=PARTIALS + "_product_new_form.html"
)
def create_product(caller, query: StoreQuery, body: ProductCreate):
    """Create a product with its sides and personalization rules"""
    product = service.create_product(store_id_of(caller), body)
    return respond(
        product_out(product), status=201, partial=PARTIALS + "_product_created.html", product=product
    )


@products.route("GET /<product_id>", auth=ANYONE, response=ProductOut)
def get_product(caller, product_id: str, query: StoreQuery):
    """Get a product by id or slug, with its sides and rules"""
    store_id = store_id_of(caller)
    product = service.find_product(store_id, product_id, public=is_public(caller))
    return respond(
        _product_out(product, caller), page=PARTIALS + "product.html", store_id=store_id, product=product
    )


@products.route(
    "PATCH /<product_id>", auth=MERCHANTS, response=ProductOut, form=PARTIALS + "_product_settings.html"
)
def update_product(caller, product_id: str, query: StoreQuery, body: ProductUpdate):
    """Update a product"""
    product = service.find_product(store_id_of(caller), product_id)
    service.update_product(product, body)
    return respond(
        product_out(product), partial=PARTIALS + "_product_settings.html", product=product, saved=True
    )


@products.route(
    "PATCH /<product_id>/personalization",
    auth=MERCHANTS,
    response=ProductOut,
    form=PARTIALS + "_personalization_form.html",
)
def update_personalization(caller, product_id: str, query: StoreQuery, body: PersonalizationUpdate):
    """Update a product's personalization rules (those left out keep their value)"""
    product = service.find_product(store_id_of(caller), product_id)
    service.update_personalization(product, body)
    return respond(
        product_out(product), partial=PARTIALS + "_personalization_form.html", product=product, saved=True
    )


@products.route("DELETE /<product_id>", auth=MERCHANTS, response=Deleted)
def delete_product(caller, product_id: str, query: StoreQuery):
    """Delete a product with its sides and templates (refused while designs use it)"""
    store_id = store_id_of(caller)
    product = service.find_product(store_id, product_id)
    deleted = Deleted(id=product.id)
    service.delete_product(product)
    response = respond(deleted, partial="dashboard/_empty.html")
    if request.htmx:  # the dashboard's product page is gone: back to the list
        response.headers["HX-Redirect"] = url_for("dashboard.products", store_id=store_id)
    return response


products.create_batch(
    "create_products",
    "Create several products at once (all or nothing)",
    auth=MERCHANTS,
    body=ProductsCreate,
    create=service.create_product,
)
products.update_batch(
    "update_products",
    "Update several products at once (all or nothing)",
    auth=MERCHANTS,
    body=ProductsUpdate,
    update=service.update_product,
)
products.delete_batch(
    "delete_products",
    "Delete several products at once (all or nothing)",
    auth=MERCHANTS,
    delete=service.delete_product,
)


# Sides of a product


@products.route("GET /<product_id>/sides", auth=ANYONE, response=SidePage)
def list_product_sides(caller, product_id: str, query: ProductSidesQuery):
    """List a product's sides"""
    store_id = store_id_of(caller)
    product = service.find_product(store_id, product_id, public=is_public(caller))
    filters = SideFilters(product_id=product.id, status=query.status)
    statement = side_services.sides_query(store_id, filters, public=is_public(caller))
    return respond(SidePage.of_rows(side_out, *paginate(statement, Side, query, SIDE_SORTS)))


@products.route("GET /<product_id>/sides/count", auth=ANYONE, response=Count)
def count_product_sides(caller, product_id: str, query: StoreQuery):
    """Count a product's sides"""
    store_id = store_id_of(caller)
    product = service.find_product(store_id, product_id, public=is_public(caller))
    statement = side_services.sides_query(
        store_id, SideFilters(product_id=product.id), public=is_public(caller)
    )
    return respond(Count(count=count(statement, Side)))


@products.route(
    "POST /<product_id>/sides",
    auth=MERCHANTS,
    response=SideOut,
    status=201,
    form=PARTIALS + "_side_new_form.html",
)
def create_product_side(caller, product_id: str, query: StoreQuery, body: SideFields):
    """Add a side to a product"""
    product = service.find_product(store_id_of(caller), product_id)
    side = side_services.create_side(product, body)
    return respond(
        side_out(side), status=201, partial=PARTIALS + "_side_created.html", side=side, product=product
    )


@products.route("POST /<product_id>/sides/reorder", auth=MERCHANTS, response=SidePage)
def reorder_sides(caller, product_id: str, query: StoreQuery, body: SideOrder):
    """Put a product's sides in a new order"""
    product = service.find_product(store_id_of(caller), product_id)
    return respond(SidePage.of(map(side_out, side_services.reorder_sides(product, body.side_ids))))


# Sides

sides = Resource(
    "/sides",
    resource="products",
    id_name="side_id",
    find=side_services.find_side,
    out=side_out,
    page=SidePage,
)


@sides.route("GET", auth=ANYONE, response=SidePage)
def list_sides(caller, query: SideListQuery):
    """List sides"""
    statement = side_services.sides_query(store_id_of(caller), query, public=is_public(caller))
    return respond(SidePage.of_rows(side_out, *paginate(statement, Side, query, SIDE_SORTS)))


@sides.route("GET /count", auth=ANYONE, response=Count)
def count_sides(caller, query: SideFilters):
    """Count sides"""
    statement = side_services.sides_query(store_id_of(caller), query, public=is_public(caller))
    return respond(Count(count=count(statement, Side)))


@sides.route("POST", auth=MERCHANTS, response=SideOut, status=201)
def create_side(caller, query: StoreQuery, body: SideCreate):
    """Create a side (productId in the body)"""
    return respond(side_out(_create_side(store_id_of(caller), body)), status=201)


def _create_side(store_id: str, body: SideCreate) -> Side:
    product = service.find_product_or_invalid(store_id, body.product_id, "productId")
    return side_services.create_side(product, body)


sides.get("get_side", "Get a side", auth=ANYONE, public=is_public)


@sides.route("PATCH /<side_id>", auth=MERCHANTS, response=SideOut, form=PARTIALS + "_side_form.html")
def update_side(caller, side_id: str, query: StoreQuery, body: SideUpdate):
    """Update a side (sizes in the product's unit)"""
    side = side_services.update_side(side_services.find_side(store_id_of(caller), side_id), body)
    return respond(side_out(side), partial=PARTIALS + "_side_saved.html", side=side, saved=True)


sides.delete(
    "delete_side",
    "Delete a side and its templates (refused while designs use it)",
    auth=MERCHANTS,
    delete=side_services.delete_side,
)
sides.create_batch(
    "create_sides",
    "Create several sides at once (all or nothing)",
    auth=MERCHANTS,
    body=SidesCreate,
    create=_create_side,
)
sides.update_batch(
    "update_sides",
    "Update several sides at once (all or nothing)",
    auth=MERCHANTS,
    body=SidesUpdate,
    update=side_services.update_side,
)
sides.delete_batch(
    "delete_sides",
    "Delete several sides at once (all or nothing)",
    auth=MERCHANTS,
    delete=side_services.delete_side,
)


# Categories

categories = Resource(
    "/categories",
    id_name="category_id",
    find=category_services.find_category,
    out=category_out,
    page=CategoryPage,
)


@categories.route("GET", auth=ANYONE, response=CategoryPage)
def list_categories(caller, query: CategoryListQuery):
    """List categories"""
    store_id = store_id_of(caller)
    statement = category_services.categories_query(store_id, query)
    rows, has_more, cursor = paginate(statement, Category, query, CATEGORY_SORTS)
    return respond(
        CategoryPage.of_rows(category_out, rows, has_more, cursor),
        partial=PARTIALS + "_category_rows.html",
        page=PARTIALS + "categories.html",
        store_id=store_id,
        query=query,
    )


@categories.route("GET /count", auth=ANYONE, response=Count)
def count_categories(caller, query: CategoryFilters):
    """Count categories"""
    statement = category_services.categories_query(store_id_of(caller), query)
    return respond(Count(count=count(statement, Category)))


@categories.route(
    "POST", auth=MERCHANTS, response=CategoryOut, status=201, form=PARTIALS + "_category_form.html"
)
def create_category(caller, query: StoreQuery, body: CategoryCreate):
    """Create a category"""
    category = category_services.create_category(store_id_of(caller), body)
    return respond(
        category_out(category), status=201, partial=PARTIALS + "_category_created.html", category=category
    )


categories.get("get_category", "Get a category", auth=ANYONE)


@categories.route(
    "PATCH /<category_id>", auth=MERCHANTS, response=CategoryOut, form=PARTIALS + "_category_edit_form.html"
)
def update_category(caller, category_id: str, query: StoreQuery, body: CategoryUpdate):
    """Update a category"""
    category = category_services.find_category(store_id_of(caller), category_id)
    category_services.update_category(category, body)
    return respond(category_out(category), partial=PARTIALS + "_category_saved.html", category=category)


categories.delete(
    "delete_category",
    "Delete a category (its products stay, unfiled from it)",
    auth=MERCHANTS,
    delete=category_services.delete_category,
)
categories.create_batch(
    "create_categories",
    "Create several categories at once (all or nothing)",
    auth=MERCHANTS,
    body=CategoriesCreate,
    create=category_services.create_category,
)
categories.update_batch(
    "update_categories",
    "Update several categories at once (all or nothing)",
    auth=MERCHANTS,
    body=CategoriesUpdate,
    update=category_services.update_category,
)
categories.delete_batch(
    "delete_categories",
    "Delete several categories at once (all or nothing)",
    auth=MERCHANTS,
    delete=category_services.delete_category,
)


@categories.route("GET /<category_id>/products", auth=ANYONE, resource="products", response=ProductPage)
def list_category_products(caller, category_id: str, query: CategoryProductsQuery):
    """List the products filed in a category"""
    store_id = store_id_of(caller)
    category = category_services.find_category(store_id, category_id)
    filters = ProductFilters(category_id=category.id, status=query.status)
    statement = service.products_query(store_id, filters, public=is_public(caller))
    return respond(_product_page(*paginate(statement, Product, query, PRODUCT_SORTS), caller))
