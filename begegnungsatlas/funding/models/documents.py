"""Uploaded files (call attachments, application attachments, quotes, invoices).

Files live in the default storage (``PRIVATE_MEDIA_ROOT``, outside the web root) under random names and
are only served by ``views.documents.document_download`` after a permission check.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    file = models.FileField(_("Datei"), max_length=300)
    original_name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    title = models.CharField(_("Bezeichnung"), max_length=300, blank=True)
    call = models.ForeignKey("funding.Call", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="attachments")
    application = models.ForeignKey("funding.Application", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="attachments")
    grant = models.ForeignKey("funding.Grant", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="documents")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")

    def __str__(self) -> str:
        return self.title or self.original_name
