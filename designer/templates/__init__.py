"""Templates: a merchant's starting designs for a side, with lock and rule flags on their layers."""
