"""Rendering composed sides for print: the composer's print SVG of each side as one PDF.

pdf.py draws the PDF; renders.py (the Render rows, models.py) requests, queues, sweeps and runs
render jobs (worker/renders.py) under a memory cap (memory.py); proofs.py does the same for a
completed design's PNG proof, a render of kind `proof` (worker/proofs.py); routes.py serves them at
/api/v1/{designs,projects}/{id}/render and /api/v1/designs/{id}/proof.
"""

from designer.rendering.pdf import PrintPage, RenderError, render_pdf, render_png

__all__ = ["PrintPage", "RenderError", "render_pdf", "render_png"]
