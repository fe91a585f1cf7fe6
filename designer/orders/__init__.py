"""Orders: line items pointing at customers' projects and designs, followed through production."""
