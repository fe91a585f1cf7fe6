"""What the checks before print (composer/checks.py) hold a product's designs and templates to:
its smallest text (`minTextSize`, in points), and the most ink a colour may take (`maxTotalInk`,
C+M+Y+K in percent) as the press separates it through the product's printer profile (its own
CMYK profile, else FOGRA39) with its rendering intent. Which profile, and its separation, is
rendering's to say (rendering/colour_modes.py `ink_separation`, cached per profile and intent):
rendering sits above editing, so create_app hands the look-up over (`register_ink_separation`).
"""

from collections.abc import Callable

from designer.composer.checks import (
    DEFAULT_INK_LIMIT_PERCENT,
    DEFAULT_MIN_TEXT_PT,
    CmykSeparation,
    PrintChecks,
)
from designer.products.models import Product

_ink_separations: list[Callable[[Product], CmykSeparation | None]] = []


def register_ink_separation(ink_separation: Callable[[Product], CmykSeparation | None]) -> None:
    """Hands editing rendering's `ink_separation(product)`: how the product's press separates a
    #rrggbb colour, None when its profile cannot be had. The last one registered is used."""
    _ink_separations[:] = [ink_separation]


def checks_for(product: Product) -> PrintChecks:
    """The limits the product's designs are checked against before print."""
    rules = product.personalization or {}
    (ink_separation,) = _ink_separations
    return PrintChecks(
        min_text_pt=rules.get("minTextSize", DEFAULT_MIN_TEXT_PT),
        ink_limit_percent=rules.get("maxTotalInk", DEFAULT_INK_LIMIT_PERCENT),
        to_cmyk=ink_separation(product),
    )
