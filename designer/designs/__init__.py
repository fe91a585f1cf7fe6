"""Templates, projects and designs: what merchants and customers put on a product's sides."""
