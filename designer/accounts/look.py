"""The store's look on its customer pages: its accent colour as a style sheet of custom properties.

The pages set no style from markup (templates/editor/_store_base.html links this sheet), and the
colours come from the store's settings (`brand_colors`, validated #rrggbb), never from a request.
"""

from designer.accounts.models import Store

# Presswork's own accent (static/css/presswork.css), for a store that chose none.
DEFAULT_ACCENT = "#0b5cad"


def accent_of(store: Store) -> str:
    """The store's accent: the first of its brand colours, else Presswork's."""
    return (store.brand_colors or [DEFAULT_ACCENT])[0]


def text_colour_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (#rrggbb): the one with the higher
    WCAG contrast ratio, which is always at least 4.5:1 for one of the two."""
    luminance = _relative_luminance(background)
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return "#000000" if on_black >= on_white else "#ffffff"


def theme_css(store: Store) -> str:
    """The store's style sheet: its accent and the text colour that reads on it, as custom
    properties of the page (static/css/editor.css uses them on the customer's pages)."""
    accent = accent_of(store)
    return f":root {{\n  --store-accent: {accent};\n  --store-accent-text: {text_colour_on(accent)};\n}}\n"


def _relative_luminance(colour: str) -> float:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
