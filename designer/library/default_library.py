"""The default library every store starts with: open-licence fonts and Presswork's own clipart.

Nothing here is fetched at run time. The fonts come from npm packages installed at set-up
(`make install` runs `python -m designer.library.default_library`, which copies the files named
below out of node_modules into `library/fonts/`); the clipart is drawn for Presswork and
committed under `library/clipart/`. Stores reference these files (storage keys starting with
`library:`), they never get copies.
"""

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

LIBRARY_PREFIX = "library:"
_PROJECT_ROOT = Path(__file__).resolve().parents[2]
OFL = "OFL-1.1"


@dataclass(frozen=True)
class LibraryFont:
    """One font file of the default library: where it comes from and its licence."""

    package: str  # the npm package that ships it
    source: str  # its path inside the package
    licence: str

    @property
    def filename(self) -> str:
        return Path(self.source).name

    @property
    def storage_key(self) -> str:
        return f"{LIBRARY_PREFIX}fonts/{self.filename}"


@dataclass(frozen=True)
class LibraryClipart:
    """One clipart of the default library, drawn for Presswork (licensed with the project)."""

    filename: str
    name: str
    tags: tuple[str, ...]

    @property
    def storage_key(self) -> str:
        return f"{LIBRARY_PREFIX}clipart/{self.filename}"


def _faces(package: str, prefix: str, faces: tuple[str, ...]) -> list[LibraryFont]:
    return [
        LibraryFont(f"@expo-google-fonts/{package}", f"{face}/{prefix}_{face}.ttf", OFL) for face in faces
    ]


_FOUR = ("400Regular", "400Regular_Italic", "700Bold", "700Bold_Italic")
_TWO = ("400Regular", "700Bold")

# Full TTFs (every glyph, not unicode-range subsets): text is shaped from the real file.
# CJK: Nanum Gothic (Korean, about 2 MB a face). Noto Sans JP/SC/KR were left out: each
# package is 28-57 MB packed.
DEFAULT_FONTS: tuple[LibraryFont, ...] = tuple(
    _faces("roboto", "Roboto", _FOUR)
    + _faces("open-sans", "OpenSans", _FOUR)
    + _faces("montserrat", "Montserrat", _FOUR)
    + _faces("lora", "Lora", _FOUR)
    + _faces("playfair-display", "PlayfairDisplay", _FOUR)
    + _faces("oswald", "Oswald", _TWO)
    + _faces("dancing-script", "DancingScript", _TWO)
    + _faces("pacifico", "Pacifico", ("400Regular",))
    + _faces("noto-sans-arabic", "NotoSansArabic", _TWO)
    + _faces("noto-sans-hebrew", "NotoSansHebrew", _TWO)
    + _faces("noto-sans-devanagari", "NotoSansDevanagari", _TWO)
    + _faces("nanum-gothic", "NanumGothic", _TWO)
)

_SHAPES, _CELEBRATIONS, _NATURE, _ARROWS, _FRAMES, _SYMBOLS = (
    "shapes",
    "celebrations",
    "nature",
    "arrows",
    "frames",
    "symbols",
)

DEFAULT_CLIPART: tuple[LibraryClipart, ...] = (
    LibraryClipart("star.svg", "Star", (_SHAPES,)),
    LibraryClipart("heart.svg", "Heart", (_SHAPES, _CELEBRATIONS)),
    LibraryClipart("circle.svg", "Circle", (_SHAPES,)),
    LibraryClipart("hexagon.svg", "Hexagon", (_SHAPES,)),
    LibraryClipart("triangle.svg", "Triangle", (_SHAPES,)),
    LibraryClipart("burst.svg", "Burst", (_SHAPES, _CELEBRATIONS)),
    LibraryClipart("arrow-right.svg", "Arrow right", (_ARROWS,)),
    LibraryClipart("arrow-curved.svg", "Curved arrow", (_ARROWS,)),
    LibraryClipart("chevrons.svg", "Chevrons", (_ARROWS,)),
    LibraryClipart("badge-rosette.svg", "Rosette badge", (_CELEBRATIONS, _FRAMES)),
    LibraryClipart("badge-seal.svg", "Seal", (_FRAMES,)),
    LibraryClipart("banner-ribbon.svg", "Ribbon banner", (_FRAMES, _CELEBRATIONS)),
    LibraryClipart("frame-square.svg", "Square frame", (_FRAMES,)),
    LibraryClipart("frame-oval.svg", "Oval frame", (_FRAMES,)),
    LibraryClipart("frame-corners.svg", "Corner frame", (_FRAMES,)),
    LibraryClipart("divider-flourish.svg", "Flourish divider", (_FRAMES,)),
    LibraryClipart("balloon.svg", "Balloon", (_CELEBRATIONS,)),
    LibraryClipart("gift.svg", "Gift", (_CELEBRATIONS,)),
    LibraryClipart("confetti.svg", "Confetti", (_CELEBRATIONS,)),
    LibraryClipart("leaf.svg", "Leaf", (_NATURE,)),
    LibraryClipart("flower.svg", "Flower", (_NATURE,)),
    LibraryClipart("sun.svg", "Sun", (_NATURE,)),
    LibraryClipart("moon.svg", "Moon", (_NATURE,)),
    LibraryClipart("tree.svg", "Tree", (_NATURE,)),
    LibraryClipart("wave.svg", "Wave", (_NATURE,)),
    LibraryClipart("check.svg", "Check mark", (_SYMBOLS,)),
    LibraryClipart("speech-bubble.svg", "Speech bubble", (_SYMBOLS,)),
    LibraryClipart("paw.svg", "Paw print", (_SYMBOLS, _NATURE)),
)

CLIPART_TAGS: tuple[str, ...] = (_SHAPES, _CELEBRATIONS, _NATURE, _ARROWS, _FRAMES, _SYMBOLS)


def library_root(configured: str | None = None) -> Path:
    """The installed library directory: `configured` (the LIBRARY_PATH setting) or `library/`."""
    return Path(configured) if configured else _PROJECT_ROOT / "library"


def install_font_files(node_modules: Path, fonts_dir: Path) -> list[Path]:
    """Copy the default fonts, and each package's font licence, from `node_modules` into `fonts_dir`.

    Raises FileNotFoundError naming the file when a package is not installed (run `npm ci`).
    """
    fonts_dir.mkdir(parents=True, exist_ok=True)
    copied = []
    for font in DEFAULT_FONTS:
        package_dir = node_modules / font.package
        source = package_dir / font.source
        if not source.is_file():
            raise FileNotFoundError(f"{source} is missing: run `npm ci` first")
        copied.append(Path(shutil.copyfile(source, fonts_dir / font.filename)))
        licence = package_dir / "LICENSE_FONT"
        if licence.is_file():
            shutil.copyfile(licence, fonts_dir / f"{font.package.rsplit('/', 1)[-1]}-LICENSE.txt")
    return copied


if __name__ == "__main__":
    # make install: python -m designer.library.default_library node_modules library/fonts
    if len(sys.argv) != 3:
        sys.exit("usage: python -m designer.library.default_library NODE_MODULES FONTS_DIR")
    files = install_font_files(Path(sys.argv[1]), Path(sys.argv[2]))
    size_mb = sum(os.path.getsize(path) for path in files) / 1e6
    print(f"default library: {len(files)} font files ({size_mb:.1f} MB) in {sys.argv[2]}")
