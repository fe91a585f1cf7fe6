"""Batches: one template and rows of values (a CSV or XLSX spreadsheet, or JSON rows) made into a
design per row, each checked like any design, then rendered as a PDF per row and one merged PDF."""
