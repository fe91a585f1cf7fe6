"""The PrintCart dialect of the API at /v1: a translating room over the native services."""
