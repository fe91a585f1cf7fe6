"""The dashboard's 3D models page: a store's GLB models and where their validation is, with an
upload form. Its upload, deletion, "load more" and each waiting row's refresh are htmx requests to
the /api/v1 3D model routes, which answer them with the partials in templates/dashboard/models3d/."""

from designer.previews3d.routes import list_3d_models
from designer.web.dashboard import page

page("/stores/<store_id>/3d-models", "models_3d", list_3d_models)
