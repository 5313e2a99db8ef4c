"""CORS for the read-only public API: ``Access-Control-Allow-Origin: *`` on GET and HEAD, and preflight answers.

The API serves only published data and uses no cookies or credentials, so every origin may read it (web maps,
OGC/HSDS clients in the browser). Applied to the API's URL patterns only (``api/urls.py``), never to the site.
HEAD is answered as GET without a body (ninja routes know only GET).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver

ALLOW_METHODS = "GET, HEAD, OPTIONS"
EXPOSE = "Content-Type, Content-Length, ETag, Link"


def _headers(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSE
    return response


def cors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOW_METHODS
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "Accept, Accept-Language, Content-Type")
            response["Access-Control-Max-Age"] = "86400"
            response["Allow"] = ALLOW_METHODS
            return _headers(response)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        try:
            response = view(request, *args, **kwargs)
        finally:
            if head:
                request.method = "HEAD"
        if head and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return _headers(response)

    return wrapper


def with_cors(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """Wrap the callback of every pattern (recursively) with ``cors``."""
    for p in patterns:
        if isinstance(p, URLResolver):
            with_cors(p.url_patterns)
        else:
            p.callback = cors(p.callback)
    return patterns
