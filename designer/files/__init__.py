"""Uploaded files: storage, preflight, thumbnails."""
