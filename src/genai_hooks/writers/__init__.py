"""The only code that writes into a repository: `approve` (genai.lock, signatures), atomically."""
