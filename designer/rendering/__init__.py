"""Rendering composed sides for print: the composer's print SVG of each side as one PDF.

See pdf.py. Nothing else imports this package yet: the render jobs that will are the next step.
"""

from designer.rendering.pdf import PrintPage, RenderError, render_pdf

__all__ = ["PrintPage", "RenderError", "render_pdf"]
