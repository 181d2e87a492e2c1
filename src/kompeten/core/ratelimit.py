"""A small counter per visitor's address in Django's cache: public look-ups cannot be run by the thousand.

The address is hashed before it is used as a key (no visitor's address is kept). The cache is per
process with the default LocMemCache; a deployment with several workers sets KOMPETEN_CACHE_BACKEND to a
shared cache (database or Redis) so the limit holds across them (docs/security.md).
"""

import hashlib
import time

from django.core.cache import cache


def client_address(request):
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, bucket, limit, window=3600):
    """Count one use of `bucket` by this address; False once it has been used more than `limit` times in the
    current window of `window` seconds."""
    digest = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"ratelimit:{bucket}:{digest}:{int(time.time() // window)}"
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit
