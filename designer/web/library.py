"""Dashboard pages for a store's fonts and clipart. Their uploads, deletions and "load more" are
htmx requests to the /api/v1 library routes, which answer them with the partials beside these pages."""

from flask import render_template, request
from flask_login import login_required

from designer.api.operations import parse
from designer.api.pagination import more_url, page_filters, paginate
from designer.library import services
from designer.library.api import CLIPART_SORTS, FONT_SORTS
from designer.library.default_library import CLIPART_TAGS
from designer.library.font_files import SCRIPT_SAMPLES
from designer.library.models import Clipart, Font
from designer.library.schemas import ClipartListQuery, FontListQuery
from designer.web.dashboard import account_store, blueprint


@blueprint.get("/stores/<store_id>/fonts")
@login_required
def fonts(store_id: str):
    """The store's fonts, newest first (so uploads come first and appear at the top), with an
    upload form; `?library=true|false` shows the default library or uploads only (the API's list
    filters and sorts all work).

    Another account's store is a 404 page; a bad filter a 422 page.
    """
    store = account_store(store_id)
    query = parse(FontListQuery, request.args.to_dict(flat=True))
    statement = services.fonts_of(
        store.id, family=query.family, library=query.library, script=query.script, q=query.q
    )
    rows, _, cursor = paginate(statement, Font, query, FONT_SORTS)
    return render_template(
        "dashboard/library/fonts.html",
        store=store,
        fonts=rows,
        more_url=more_url("api.list_fonts", query, cursor),
        filters=page_filters(query),
    )


@blueprint.get("/stores/<store_id>/clipart")
@login_required
def clipart(store_id: str):
    """The store's clipart, newest first, with an upload form; filtered by `?library=` and `?tag=`.

    Another account's store is a 404 page; a bad filter a 422 page.
    """
    store = account_store(store_id)
    query = parse(ClipartListQuery, request.args.to_dict(flat=True))
    statement = services.clipart_of(
        store.id, category_id=query.category_id, tag=query.tag, library=query.library, q=query.q
    )
    rows, _, cursor = paginate(statement, Clipart, query, CLIPART_SORTS)
    return render_template(
        "dashboard/library/clipart.html",
        store=store,
        clipart=rows,
        more_url=more_url("api.list_clipart", query, cursor),
        filters=page_filters(query),
        tags=CLIPART_TAGS,
    )


# Scripts a Latin font often covers too; its Latin line shows it well enough.
_SHOWN_BY_LATIN = ("greek", "cyrillic")


@blueprint.app_template_filter("font_samples")
def font_samples(scripts: list[str]) -> list[str]:
    """Sample lines for a font: Latin if it covers it, and each other writing system it covers."""
    shown = [script for script in scripts if script in SCRIPT_SAMPLES and script not in _SHOWN_BY_LATIN]
    return [SCRIPT_SAMPLES[script] for script in shown] or [SCRIPT_SAMPLES["latin"]]
