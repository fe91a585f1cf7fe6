"""3D previews: a store's GLB models (validated by a worker), a side mapped onto a model's
surface, a product's 3D profile (a model, or a procedural canvas-print edge), and the edge preview
drawn on the server.

models.py holds the rows; validation.py reads a GLB and says why it cannot be shown (pure);
edges.py draws a canvas print's front and edges from a flat picture of the design (pure);
mug.py builds the demo mug's GLB; service.py changes and finds the rows and queues validation
(worker/models3d.py); previews.py draws a design's edge preview, cached in storage by its
inputs; routes.py serves the native /api/v1 routes.
"""
