"""What designs and templates share: editing their layers (service.py), undo and redo
(history.py), the template's locks (locks.py), the store's assets a composition draws
(assets.py), and the references a request makes to the store (references.py)."""
