"""Approvals: the register, the content each approval was given for (genai.lock), and who signed it.

The judge asks these modules plain questions ("does what this entry cites cover this category on
this date?", "what was this approval given for?") and never reads a lock or runs ssh-keygen itself.
"""

from __future__ import annotations

from .book import Book, Signers
from .register import (
    EXPIRING_DAYS,
    Cited,
    cite,
    consent_gaps,
    expiring,
    expiring_soon,
    needs_consent,
    needs_union_notice,
)

__all__ = ["EXPIRING_DAYS", "Book", "Cited", "Signers", "cite", "consent_gaps", "expiring", "expiring_soon",
           "needs_consent", "needs_union_notice"]
