"""Categories: the shelves products and clipart are filed on (PrintCart calls them storages)."""
