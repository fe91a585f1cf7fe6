"""Dashboard pages for a store's fonts and clipart. Their uploads, deletions and "load more" are
htmx requests to the /api/v1 library routes, which answer them with the partials beside these pages."""

from designer.library.font_files import SCRIPT_SAMPLES
from designer.library.routes import list_clipart, list_fonts
from designer.web.dashboard import blueprint, page

# The store's fonts, newest first (so uploads come first and appear at the top), with an upload
# form; `?library=true|false` shows the default library or uploads only (the API's list filters and
# sorts all work). A bad filter is a 422 page.
page("/stores/<store_id>/fonts", "fonts", list_fonts)

# The store's clipart, newest first, with an upload form; filtered by `?library=` and `?tag=`.
page("/stores/<store_id>/clipart", "clipart", list_clipart)


# Scripts a Latin font often covers too; its Latin line shows it well enough.
_SHOWN_BY_LATIN = ("greek", "cyrillic")


@blueprint.app_template_filter("font_samples")
def font_samples(scripts: list[str]) -> list[str]:
    """Sample lines for a font: Latin if it covers it, and each other writing system it covers."""
    shown = [script for script in scripts if script in SCRIPT_SAMPLES and script not in _SHOWN_BY_LATIN]
    return [SCRIPT_SAMPLES[script] for script in shown] or [SCRIPT_SAMPLES["latin"]]
