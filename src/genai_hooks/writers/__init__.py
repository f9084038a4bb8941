"""The only code that writes into a repository: `approve` (genai.lock, signatures) and `declare` (genai.toml
entries), atomically; never the index."""
