"""Serving stored documents – only after the permission check; never from the web root."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from ..models import Document
from ..permissions import can_download_document


def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = get_object_or_404(Document.objects.select_related("call", "application", "grant__application"), pk=pk)
    can_download_document(request.user, document).enforce()
    name = document.file.name
    assert name is not None  # the file is required
    response = FileResponse(default_storage.open(name, "rb"), content_type=document.content_type,
                            as_attachment=False,
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
