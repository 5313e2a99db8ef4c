"""The real client address: forwarding headers count only from the documented trusted proxies."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from begegnungsatlas.core.middleware import TrustedProxyMiddleware


def seen_by_the_app(settings, trusted: list[str], **meta: str) -> HttpRequest:
    settings.BEGEGNUNGSATLAS_TRUSTED_PROXIES = trusted
    seen: list[HttpRequest] = []

    def app(request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse()

    TrustedProxyMiddleware(app)(RequestFactory().get("/", **meta))
    return seen[0]


def test_without_trusted_proxies_forwarding_headers_are_dropped(settings):
    request = seen_by_the_app(settings, [], REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="203.0.113.9",
                              HTTP_X_FORWARDED_PROTO="https")
    assert request.META["REMOTE_ADDR"] == "198.51.100.4"
    assert "HTTP_X_FORWARDED_FOR" not in request.META
    assert "HTTP_X_FORWARDED_PROTO" not in request.META


def test_an_untrusted_peer_cannot_claim_another_address(settings):
    request = seen_by_the_app(settings, ["10.0.0.0/8"], REMOTE_ADDR="198.51.100.4",
                              HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert request.META["REMOTE_ADDR"] == "198.51.100.4"
    assert not request.is_secure()


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(settings):
    # The client forged "1.2.3.4"; the outer proxy 10.0.0.5 appended the real peer 203.0.113.9.
    request = seen_by_the_app(settings, ["10.0.0.0/8", "::1"], REMOTE_ADDR="10.0.0.7",
                              HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9, 10.0.0.5",
                              HTTP_X_FORWARDED_PROTO="https")
    assert request.META["REMOTE_ADDR"] == "203.0.113.9"
    assert request.META["HTTP_X_FORWARDED_PROTO"] == "https"


@pytest.mark.django_db
def test_the_suggestion_rate_limit_counts_the_real_client_behind_the_proxy(client, settings):
    settings.BEGEGNUNGSATLAS_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.BEGEGNUNGSATLAS_SUGGESTION_RATE = 1
    from django.core.cache import cache

    cache.clear()
    url = reverse("places:suggest")
    data = {"kind": "new_place", "name": "Ort A", "description": "", "street": "", "postcode": "", "city": "Düren",
            "lon": "6.4836", "lat": "50.8048", "submitter_name": "", "submitter_email": "", "homepage": ""}
    first = client.post(url, data, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert first.status_code == 302, first.content.decode()[:3000]
    # Another person behind the same proxy is not blocked by the first one's suggestion …
    other = client.post(url, {**data, "name": "Ort B"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert other.status_code == 302
    # … but the first person is, even when the request comes through the proxy again.
    again = client.post(url, {**data, "name": "Ort C"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert again.status_code == 429
    assert "Vorschläge" in again.content.decode()
