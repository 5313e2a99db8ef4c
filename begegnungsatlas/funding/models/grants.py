"""Grants: budget lines, quotes and invoices (Belege), money bookings and the cooperation contract."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Grant(models.Model):
    application = models.OneToOneField("funding.Application", on_delete=models.PROTECT, related_name="grant")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("Förderung")
        verbose_name_plural = _("Förderungen")

    def __str__(self) -> str:
        return str(_("Förderung %(ref)s") % {"ref": self.application.reference or self.application_id})


class BudgetLine(models.Model):
    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="lines")
    call_line = models.ForeignKey("funding.CallBudgetLine", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("Haushaltsposition"), max_length=200)
    amount_cents = models.PositiveBigIntegerField(_("bewilligt (Cent)"))
    approved_cents = models.PositiveBigIntegerField(
        _("freigegeben (Cent)"), default=0,
        help_text=_("Summe der freigegebenen Rechnungen; nur im Buchungsdienst unter Zeilensperre geändert."))

    class Meta:
        ordering = ["grant", "call_line__sort", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(approved_cents__lte=models.F("amount_cents")),
                                   name="budgetline_never_overdrawn"),
        ]
        verbose_name = _("Haushaltsposition")
        verbose_name_plural = _("Haushaltspositionen")

    def __str__(self) -> str:
        return self.name

    @property
    def remaining_cents(self) -> int:
        return self.amount_cents - self.approved_cents


class VoucherKind(models.TextChoices):
    QUOTE = "quote", _("Angebot")
    INVOICE = "invoice", _("Rechnung")


class VoucherStatus(models.TextChoices):
    UPLOADED = "uploaded", _("hochgeladen")
    CHECKED = "checked", _("sachlich geprüft, förderfähig")
    INELIGIBLE = "ineligible", _("nicht förderfähig")
    APPROVED = "approved", _("freigegeben (Vier-Augen)")
    PAID = "paid", _("bezahlt")


class Voucher(models.Model):
    """A quote (Angebot) or an invoice (Rechnung) of a supplier, with its document."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="vouchers")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="vouchers",
                             verbose_name=_("Haushaltsposition"))
    kind = models.CharField(_("Art"), max_length=16, choices=VoucherKind.choices)
    supplier = models.CharField(_("Lieferant / Auftragnehmer"), max_length=300)
    amount_cents = models.PositiveBigIntegerField(_("Betrag brutto (Cent)"))
    cost_type = models.ForeignKey("funding.CostType", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("Kostenart"))
    date = models.DateField(_("Datum"))
    description = models.CharField(_("Leistung"), max_length=500, blank=True)
    document = models.ForeignKey("funding.Document", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("Dokument"))
    quote = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="invoices",
                              verbose_name=_("zugehöriges Angebot"))
    status = models.CharField(_("Status"), max_length=16, choices=VoucherStatus.choices,
                              default=VoucherStatus.UPLOADED)
    check_note = models.TextField(_("Ergebnis der Prüfung"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_to = models.CharField(_("Zahlungsempfänger"), max_length=300, blank=True)
    paid_on = models.DateField(_("bezahlt am"), null=True, blank=True)
    payment_reference = models.CharField(_("Buchungszeichen"), max_length=100, blank=True)

    class Meta:
        ordering = ["grant", "date", "id"]
        verbose_name = _("Beleg")
        verbose_name_plural = _("Belege")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.supplier} {self.date:%d.%m.%Y}"


class BookingKind(models.TextChoices):
    APPROVAL = "approval", _("Freigabe (belastet die Position)")
    PAYMENT = "payment", _("Zahlung an den Lieferanten")


class BookingQuerySet(models.QuerySet["Booking"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("bookings are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("bookings are append-only")


class Booking(models.Model):
    """A money booking: append-only, with who and when."""

    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="bookings")
    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(_("Art"), max_length=16, choices=BookingKind.choices)
    amount_cents = models.PositiveBigIntegerField(_("Betrag (Cent)"))
    payee = models.CharField(_("Empfänger"), max_length=300, blank=True)
    at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["voucher", "kind"], name="booking_once_per_voucher_kind")]
        verbose_name = _("Buchung")
        verbose_name_plural = _("Buchungen")

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents} ({self.voucher_id})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("bookings are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("bookings are append-only")


class SignatureStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SENT = "sent", _("zur Unterschrift versandt")
    SIGNED = "signed", _("von allen unterschrieben")


class Contract(models.Model):
    """The cooperation contract (Kooperationsvertrag) of a grant."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="contract")
    subject = models.TextField(_("Gegenstand"))
    starts_on = models.DateField(_("Laufzeit von"))
    ends_on = models.DateField(_("Laufzeit bis"))
    signature_status = models.CharField(_("Unterschriften"), max_length=16, choices=SignatureStatus.choices,
                                        default=SignatureStatus.DRAFT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Kooperationsvertrag")
        verbose_name_plural = _("Kooperationsverträge")

    def __str__(self) -> str:
        return f"Kooperationsvertrag {self.grant_id}"


class ContractParty(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("Vertragspartei"), max_length=300)
    kind = models.CharField(_("Art"), max_length=32, blank=True)
    responsibilities = models.TextField(_("Zuständigkeiten"))
    tasks = models.TextField(_("Aufgaben"), blank=True)
    duties = models.TextField(_("Pflichten"), blank=True)
    signed_on = models.DateField(_("unterschrieben am"), null=True, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "id"]
        verbose_name = _("Vertragspartei")
        verbose_name_plural = _("Vertragsparteien")

    def __str__(self) -> str:
        return self.name
