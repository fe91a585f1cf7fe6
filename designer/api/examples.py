"""Example values in the OpenAPI documents, so a reference shows requests and responses as they
look rather than `"string"` everywhere.

Both dialects' schemas name the same things the same way (`productId` or `product_id`, `createdAt`
or `created_at`), so one table serves both: a field without an example of its own (a schema's
`Field(examples=…)` wins) gets one from its name: an id with its resource's prefix, a moment, a URL,
an email, a name. Fields with an enum or a constant are left to the reference UI, which shows their
first value.
"""

from designer.ids import PREFIXES

_ULID = "01JGZK3X8T4M2N6P9Q5R7S1V0W"
_MOMENT = "2026-01-15T09:30:00Z"
_HOST = "https://presswork.example"
# Resources the dialects call by other names, by the name's letters (lower case, no separators).
_KINDS = {kind.replace("_", ""): kind for kind in PREFIXES} | {
    "storage": "category",
    "parentstorage": "category",
    "parent": "category",
    "image": "file",
    "designimage": "file",
    "previewimage": "file",
    "productimage": "file",
    "sideimage": "file",
    "templateimage": "file",
    "imgoverlay": "file",
    "backgroundfile": "file",
    "imagefile": "file",
    "logofile": "file",
    "mockupfile": "file",
    "overlayfile": "file",
    "colorprofilefile": "file",
    "owner": "design",
    "model": "model_3d",
    "sid": "store",
}
_STRINGS = {
    "name": "Business card",
    "storename": "Ada's Prints",
    "fullname": "Ada Lovelace",
    "customer": "Ada Lovelace",
    "email": "ada@example.com",
    "customeremail": "ada@example.com",
    "password": "correct horse battery staple",
    "description": "Two-sided, 85 × 55 mm",
    "note": "Rush order",
    "text": "Ada Lovelace",
    "family": "Roboto",
    "fontfamily": "Roboto",
    "color": "#1D232B",
    "fill": "#1D232B",
    "stroke": "#1D232B",
    "backgroundcolor": "#FFFFFF",
    "bgcolorvalue": "#FFFFFF",
    "edgecolor": "#FFFFFF",
    "slug": "business-card",
    "sku": "BC-85x55",
    "filename": "logo.png",
    "mediatype": "image/png",
    "mimetype": "image/png",
    "secret": "sk_live_5f2b8c1e9a7d4b3f",
    "publishabletoken": "pk_live_8a1c3e5f7b9d2f4a",
    "unauthtoken": "pk_live_8a1c3e5f7b9d2f4a",
    "token": "sk_live_5f2b8c1e9a7d4b3f",
    "message": "Retrieved successfully",
    "cursor": "cHJkXzAxSkdaSzNYOFQ0TTJONlA5UTVSN1MxVjBX",
    "nextcursor": "cHJkXzAxSkdaSzNYOFQ0TTJONlA5UTVSN1MxVjBX",
    "startingafter": f"prd_{_ULID}",
    "sortby": "created_at",
    "currency": "EUR",
    "country": "DE",
    "city": "Berlin",
    "postalcode": "10115",
    "address1": "Unter den Linden 1",
    "phone": "+49 30 1234567",
    "company": "Ada's Prints",
    "timezone": "Europe/Berlin",
    "q": "card",
    "alias": "business-card",
    "number": "1001",
    "externalid": "shop-order-1001",
    "customerexternalid": "shop-customer-42",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
}


def add_examples(schemas: dict) -> None:
    """Give each property of the component `schemas` that has no example one from its name."""
    for schema_name, schema in schemas.items():
        for name, prop in (schema.get("properties") or {}).items():
            if any(key in prop for key in ("example", "examples", "enum", "const", "$ref")):
                continue
            value = example(name, _types(prop), schema_name)
            if value is not None:
                prop["examples"] = [value]


def example(name: str, types: set[str], schema_name: str = "") -> object | None:
    """An example value of the field `name` of these JSON types, in the schema `schema_name`;
    None when the name says nothing the type does not."""
    key = name.replace("_", "").lower()
    if "array" in types and key.endswith("ids"):
        single = _id(key.removesuffix("ids"))
        return [single] if single is not None else None
    if "string" not in types:
        return None
    if key == "id":
        return _id(schema_name.lower())
    if key in _KINDS:
        return _id(key)
    if key.endswith("id"):
        return _id(key.removesuffix("id"))
    if (key.endswith("at") and key != "format") or key in ("since", "createdafter", "createdbefore"):
        return _MOMENT
    if key.endswith("url") or key in ("first", "next", "prev", "last", "path"):
        return f"{_HOST}/{key.removesuffix('url') or 'file'}"
    return _STRINGS.get(key)


def _id(words: str) -> str | None:
    kind = _KINDS.get(words) or next(
        (
            kind
            for letters, kind in sorted(_KINDS.items(), key=lambda item: -len(item[0]))
            if letters in words
        ),
        None,
    )
    return f"{PREFIXES[kind]}_{_ULID}" if kind else None


def _types(prop: dict) -> set[str]:
    kinds = prop.get("type") or [item.get("type") for item in prop.get("anyOf", [])]
    return {kinds} if isinstance(kinds, str) else {kind for kind in kinds if kind}
