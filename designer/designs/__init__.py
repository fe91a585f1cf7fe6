"""Designs: the layers a customer makes on one side of a product, started from a template."""
