"""The API conventions every /api/v1 endpoint is built from."""
