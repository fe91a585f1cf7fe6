"""Products, their sides and categories."""
