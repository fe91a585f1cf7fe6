"""Projects: one customer's personalization of a product across its sides (its designs)."""
