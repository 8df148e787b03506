"""The secret in a portal invitation link. The link carries the token; the database keeps only
its SHA-256, so a copy of the database opens no portal."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def token_new() -> tuple[str, str]:
    """A fresh token for a link, and the hash to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
