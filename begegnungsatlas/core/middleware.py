"""Site-wide middleware owned by core.

- ``TrustedProxyMiddleware``: the real client address behind the documented reverse proxies.
- ``AccessLogMiddleware``: one access-log line per request.
- ``ContentSecurityPolicyMiddleware``: the Content-Security-Policy of every HTML page.
- ``ChosenLanguageMiddleware``: German unless the person chose another language with the language switch
  (Django's ``LocaleMiddleware`` follows the browser's ``Accept-Language``; a German public body's site should
  open in German for everybody and switch only on request; the choice is kept in the language cookie).
- ``RequestSizeLimitMiddleware``: oversized bodies are refused before they are read.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RequestSizeLimitMiddleware:
    """Refuse oversized request bodies before Django reads them (a clear page instead of a long upload)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "BEGEGNUNGSATLAS_MAX_REQUEST_BYTES", 0) or 0)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            from django.shortcuts import render

            return render(request, "413.html", {"limit_mb": limit // (1024 * 1024)}, status=413)
        return self.get_response(request)


PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
                 "HTTP_FORWARDED")


def _parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("["):  # "[2001:db8::1]:443"
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # "203.0.113.7:5678"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def trusted_proxy_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(item, strict=False) for item in settings.BEGEGNUNGSATLAS_TRUSTED_PROXIES]


class TrustedProxyMiddleware:
    """Find the real client behind the reverse proxies named in ``BEGEGNUNGSATLAS_TRUSTED_PROXIES``.

    Only when the direct peer is a trusted proxy are ``X-Forwarded-For`` and ``X-Forwarded-Proto`` honoured:
    ``REMOTE_ADDR`` becomes the right-most address in ``X-Forwarded-For`` that is not itself a trusted proxy
    (addresses further left were written by the client and may be forged). From anybody else the forwarding
    headers are removed, so neither the rate limits nor the HTTPS check (``SECURE_PROXY_SSL_HEADER``) can be
    fooled. Must run before ``SecurityMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = trusted_proxy_networks()

    def _is_trusted(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
        return address is not None and any(address in network for network in self.trusted)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if self._is_trusted(_parse_address(str(meta.get("REMOTE_ADDR", "")))):
            hops = [_parse_address(hop) for hop in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
            for hop in reversed(hops):
                if hop is None:
                    break  # garbage in the chain: keep the proxy's own address
                if not self._is_trusted(hop):
                    meta["REMOTE_ADDR"] = str(hop)
                    break
        else:
            for header in PROXY_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def _tile_source(url: str) -> str:
    """The CSP source of the configured tile server (``https://{s}.tile.example.org/…`` → ``https://*.tile…``)."""
    if not url:
        return ""
    parts = urlsplit(url.replace("{s}", "tiles-subdomain"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    host = parts.netloc.replace("tiles-subdomain", "*")
    return f"{parts.scheme}://{host}"


def content_security_policy() -> str:
    """The policy for every HTML page: scripts only from our own static files (no inline script, no eval).

    Inline ``style`` attributes stay allowed (legend swatches, Leaflet's positioning); images may also come from
    the optional tile server.
    """
    images = " ".join(filter(None, ["'self'", "data:", _tile_source(settings.BEGEGNUNGSATLAS_TILE_URL)]))
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class ContentSecurityPolicyMiddleware:
    """Send ``Content-Security-Policy`` with every HTML response (a view may set its own stricter one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", content_security_policy())
        return response


def client_ip(request: HttpRequest) -> str | None:
    """The client address after ``TrustedProxyMiddleware`` (for rate limits and sign-in throttling), or ``None``
    when the request carries no valid address (e.g. a request built in code): the throttle stores addresses in an
    address column, which PostgreSQL checks."""
    address = _parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    return str(address) if address is not None else None


access_logger = logging.getLogger("begegnungsatlas.access")


class AccessLogMiddleware:
    """One line per request on the ``begegnungsatlas.access`` logger: client, method, path, status, bytes, time.

    Runs after ``TrustedProxyMiddleware`` so the line names the real client; works under any WSGI server.
    Query strings are left out (they may carry search words or tokens).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        status, size = 500, "-"
        try:
            response = self.get_response(request)
            status = response.status_code
            if not response.streaming:
                size = str(len(response.content))
            return response
        finally:
            access_logger.info(
                '%s "%s %s" %s %s %.1fms', client_ip(request) or "-", request.method, request.path, status, size,
                (time.perf_counter() - started) * 1000,
            )
