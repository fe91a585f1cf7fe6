"""The design composer: a side and its layers as one SVG document in millimetres.

One composer draws the editor's preview, the proof and the print, so the preview is what prints.
See compose.py for the document, text.py for setting type (fonts.py: HarfBuzz and fontTools;
bidi.py: mixed directions), pictures.py for images and clipart, assets.py and side.py for what it is given
(plain values: editing/assets.py loads them from a store), layers.py for the layer schema.
"""

from designer.composer.assets import Assets, ClipartAsset, FileAsset, FontAsset
from designer.composer.compose import FILE_SCHEME, MODES, Composition, compose
from designer.composer.problems import Problem
from designer.composer.side import Side

__all__ = [
    "FILE_SCHEME",
    "MODES",
    "Assets",
    "ClipartAsset",
    "Composition",
    "FileAsset",
    "FontAsset",
    "Problem",
    "Side",
    "compose",
]
