"""A shop that embeds the customer's editor (README, "Add Presswork to a shop's product page"), and
what the editor tells it when the customer saves.

The shop opens the product's `editorUrl` in an iframe or by sending the customer there, with two
query parameters:
- `returnUrl`: the shop's page to hear back at. Its origin must be one of the store's shop
  origins (the setting `shopOrigins`); anything else is refused with a plain 422 page, so the
  editor never sends a customer, or a message, to a site the merchant did not name.
- `ref`: the shop's own reference (a cart line, a product variant), given back unchanged: at most
  MAX_REF characters, letters, digits and `-_.:/` only. It needs a `returnUrl`.

The editor's page on a design (the project's `editorUrl` with its `key`) takes them too, for a shop
that lets the customer edit a saved project again. They are remembered in the browser's session
for the project the page opens (the last MAX_REMEMBERED projects; the session is a cookie).

When the customer saves the project, the answer (templates/editor/_completed.html) carries the
message for the shop, which static/js/shop.js sends: a postMessage to the parent page, to the
return URL's exact origin, when the editor is in a frame; otherwise the browser goes back to the
return URL with the same data in its query. The message holds only what the shop needs:

    {"type": "presswork.saved", "projectId": "prj_…", "ref": "line-7",
     "designs": [{"id": "des_…", "previewUrl": "https://…/api/v1/designs/des_…/preview"}, …]}

The return URL gets `projectId`, `ref`, and per design `designId` and `previewUrl` (repeated, in
the message's order), replacing parameters of the same names it had.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import session

from designer.accounts.service import find_store, shop_origins_of
from designer.errors import ValidationFailed
from designer.products.urls import endpoint_url

MAX_RETURN_URL = 500
MAX_REF = 64
MAX_REMEMBERED = 3
SAVED = "presswork.saved"

_SESSION_KEY = "shop_returns"
# What a URL may be written with (RFC 3986); no space, quote, backslash or control character.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_REF = re.compile(rf"[A-Za-z0-9\-_.:/]{{1,{MAX_REF}}}")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_GIVEN_BACK = {"projectId", "ref", "designId", "previewUrl"}


@dataclass(frozen=True)
class ShopReturn:
    """Where the shop hears back: its page `url`, that page's `origin`, and its reference `ref`."""

    url: str
    origin: str
    ref: str | None


@dataclass(frozen=True)
class SavedForShop:
    """What the save's answer tells the shop: `message`, posted to `origin`, or `back_url`."""

    message: dict
    origin: str
    back_url: str


def shop_return_asked(store_id: str, args) -> ShopReturn | None:
    """The `returnUrl` and `ref` of this request's query (`args`), checked against the store's shop
    origins; None when neither was given.

    Raises ValidationFailed, naming the parameter in plain words, for a return URL that is not a
    web address on one of the store's shop origins, or a reference that breaks its rules.
    """
    url, ref = args.get("returnUrl"), args.get("ref")
    if url is None and ref is None:
        return None
    if url is None:
        raise ValidationFailed("The shop's ref is given back at its returnUrl: give that too", "returnUrl")
    if ref is not None and not _REF.fullmatch(ref):
        raise ValidationFailed(f"The shop's ref must be 1 to {MAX_REF} letters, digits, or - _ . : /", "ref")
    origins = {_same_port_written(origin) for origin in shop_origins_of(find_store(store_id))}
    origin = _origin_of(url)
    if origin is None or origin not in origins:
        raise ValidationFailed(
            "The shop's returnUrl must be a page on one of the store's shop addresses (shopOrigins)",
            "returnUrl",
        )
    return ShopReturn(url, origin, ref)


def remember_shop_return(project_id: str | None, shop_return: ShopReturn | None) -> None:
    """Remember in this browser's session where the project `project_id` goes back to when saved
    (nothing to do without a project or a return)."""
    if project_id is None or shop_return is None:
        return
    kept = [entry for entry in session.get(_SESSION_KEY, []) if entry["project"] != project_id]
    entry = {
        "project": project_id,
        "url": shop_return.url,
        "origin": shop_return.origin,
        "ref": shop_return.ref,
    }
    session[_SESSION_KEY] = [*kept, entry][-MAX_REMEMBERED:]


def saved_for_shop(project_id: str | None, designs) -> SavedForShop | None:
    """What to tell the shop that opened the project `project_id`, now its `designs` are saved;
    None when no shop asked to hear back from this browser's session."""
    remembered = session.get(_SESSION_KEY, []) if project_id else []
    entry = next((entry for entry in remembered if entry["project"] == project_id), None)
    if entry is None:
        return None
    shown = [{"id": design.id, "previewUrl": _preview_url(design.id)} for design in designs]
    message = {"type": SAVED, "projectId": project_id, "ref": entry["ref"], "designs": shown}
    given = [("projectId", project_id)]
    given += [("ref", entry["ref"])] if entry["ref"] else []
    given += [("designId", design["id"]) for design in shown]
    given += [("previewUrl", design["previewUrl"]) for design in shown]
    return SavedForShop(message, entry["origin"], _with_query(entry["url"], given))


def _origin_of(url: str) -> str | None:
    """The origin (scheme://host[:port], the default port left out) of an http or https `url`
    written plainly; None for anything else: too long, other characters, credentials, no host."""
    if len(url) > MAX_RETURN_URL or not _URL_CHARACTERS.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    written_port = f":{port}" if port is not None else ""
    return _same_port_written(f"{parts.scheme.lower()}://{parts.hostname}{written_port}")


def _same_port_written(origin: str) -> str:
    """`origin` as a browser writes it: without its scheme's default port."""
    scheme, _, rest = origin.partition("://")
    host, _, port = rest.partition(":")
    return origin if port and int(port) != _DEFAULT_PORTS[scheme] else f"{scheme}://{host}"


def _with_query(url: str, given: list[tuple[str, str]]) -> str:
    """`url` with the parameters `given` added to its query, in place of any of the same names."""
    parts = urlsplit(url)
    kept = [pair for pair in parse_qsl(parts.query, keep_blank_values=True) if pair[0] not in _GIVEN_BACK]
    return urlunsplit(parts._replace(query=urlencode(kept + given)))


def _preview_url(design_id: str) -> str:
    return endpoint_url("api.get_design_preview", design_id=design_id)
