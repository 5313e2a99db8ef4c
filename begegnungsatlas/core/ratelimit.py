"""Hourly rate limit per client for public forms (suggestions, survey answers, citizens' reports).

Only a salted hash of the client address is used as cache key (``client_hash``); no IP address is stored.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def client_hash(address: str, *, scope: str = "suggest") -> str:
    """A salted hash of the client address: enough to rate-limit, without storing the IP itself."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{address}".encode()).hexdigest()


def _key(scope: str, client: str) -> str:
    return f"{scope}:{client}:{timezone.now().strftime('%Y%m%d%H')}"


def rate_exceeded(*, scope: str, client: str, limit: int) -> bool:
    return int(cache.get(_key(scope, client), 0)) >= limit


def rate_count(*, scope: str, client: str) -> None:
    """Count one submission of ``client`` in the current hour."""
    key = _key(scope, client)
    if not cache.add(key, 1, timeout=3600):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3600)
