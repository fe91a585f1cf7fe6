"""The /api/v1 blueprint; each domain module adds its routes to it."""

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")
