"""The only code that writes into a repository's files: `declare` (and, later, `approve`); never the index."""
