"""genai-hooks: keep generative-AI use in production repositories within the studio's rules."""

__version__ = "0.1.0"
