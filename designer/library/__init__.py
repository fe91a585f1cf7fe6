"""A store's fonts and clipart, with the default library every store starts with."""
