"""Imposition: orders of one product ganged n-up on press sheets (gang sheets)."""
