"""The design composer: a side and its layers as one SVG document in millimetres.

One composer draws the editor's preview, the proof and the print, so the preview is what prints.
See compose.py for the document, text.py for setting type (fonts.py: HarfBuzz and fontTools;
bidi.py: mixed directions), pictures.py for images and clipart, assets.py for what is loaded.
"""

from designer.composer.compose import FILE_SCHEME, Composition, compose
from designer.composer.problems import Problem

__all__ = ["FILE_SCHEME", "Composition", "Problem", "compose"]
