"""Rendering composed sides for print: the composer's print SVG of each side as one PDF.

pdf.py draws the PDF; renders.py (the Render rows, models.py) requests, queues and runs render jobs
(worker/renders.py); api.py serves them at /api/v1/{designs,projects}/{id}/render.
"""

from designer.rendering.pdf import PrintPage, RenderError, render_pdf, render_png

__all__ = ["PrintPage", "RenderError", "render_pdf", "render_png"]
