"""The place of encounter (Ort der Begegnung) and what hangs on it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    PHYSICAL = "physical", _("vor Ort")
    VIRTUAL = "virtual", _("virtuell")
    HYBRID = "hybrid", _("hybrid")


class PlaceStatus(models.TextChoices):
    EXISTING = "existing", _("besteht")
    PLANNED = "planned", _("geplant")
    POTENTIAL = "potential", _("Potenzialraum")


class SharedBuilding(models.TextChoices):
    STANDALONE = "standalone", _("eigenständig")
    KITA = "kita", _("in einer Kita")
    REFUGEE_HOUSING = "refugee_housing", _("in einer Unterkunft für Geflüchtete")
    SCHOOL = "school", _("in einer Schule")
    CHURCH = "church", _("in einer Kirche / einem Gemeindehaus")
    TOWN_HALL = "town_hall", _("in einem Rathaus / Verwaltungsgebäude")
    LIBRARY = "library", _("in einer Bibliothek")
    SENIOR_HOME = "senior_home", _("in einer Senioreneinrichtung")
    CLUB_HOUSE = "club_house", _("in einem Vereinsheim")
    OTHER = "other", _("andere Mitnutzung")


class Wheelchair(models.TextChoices):
    YES = "yes", _("rollstuhlgerecht")
    LIMITED = "limited", _("eingeschränkt rollstuhlgerecht")
    NO = "no", _("nicht rollstuhlgerecht")
    UNKNOWN = "unknown", _("unbekannt")


class ActorRole(models.TextChoices):
    PROVIDES = "provides", _("stellt bereit")
    RUNS = "runs", _("bespielt")
    FUNDS = "funds", _("finanziert")


class TargetGroup(models.Model):
    """Controlled, extensible vocabulary of target groups (Zielgruppen)."""

    slug = models.SlugField(_("Kürzel"), unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=100)
    name_en = models.CharField(_("Name (englisch)"), max_length=100)
    description = models.TextField(_("Beschreibung"), blank=True)
    sort = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort", "name_de"]
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class Quality(models.Model):
    """Qualities of a place (offen, einladend, mitgestaltet, partizipativ, inklusiv, niedrigschwellig, wandelbar …)."""

    slug = models.SlugField(_("Kürzel"), unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=100)
    name_en = models.CharField(_("Name (englisch)"), max_length=100)
    sort = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["sort", "name_de"]
        verbose_name = _("Qualität")
        verbose_name_plural = _("Qualitäten")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "de").startswith("en") else self.name_de


class Place(models.Model):
    name = models.CharField(_("Name"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    kind = models.CharField(_("Art"), max_length=16, choices=PlaceKind.choices, default=PlaceKind.PHYSICAL)
    status = models.CharField(_("Status"), max_length=16, choices=PlaceStatus.choices, default=PlaceStatus.EXISTING)

    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    lon = models.FloatField(_("Längengrad"), null=True, blank=True)
    lat = models.FloatField(_("Breitengrad"), null=True, blank=True)
    kommune = models.ForeignKey(
        "atlas.Area", null=True, blank=True, on_delete=models.PROTECT, related_name="places_in_kommune",
        verbose_name=_("Kommune"),
    )
    area = models.ForeignKey(
        "atlas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="places_in_area",
        verbose_name=_("Gebiet"),
    )
    virtual_url = models.URLField(_("Online-Adresse (virtuell)"), blank=True)

    shared_building = models.CharField(
        _("Gebäude"), max_length=32, choices=SharedBuilding.choices, default=SharedBuilding.STANDALONE
    )
    shared_building_note = models.CharField(_("Gebäude – Erläuterung"), max_length=200, blank=True)

    contact_name = models.CharField(_("feste Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=64, blank=True)

    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="places", verbose_name=_("Zielgruppen"))
    qualities = models.ManyToManyField(Quality, blank=True, related_name="places", verbose_name=_("Qualitäten"))
    opening_hours = models.CharField(
        _("Öffnungszeiten"), max_length=500, blank=True,
        help_text=_("Im OpenStreetMap-Format, z. B. „Mo-Fr 09:00-17:00; PH off“"),
    )
    wheelchair = models.CharField(_("Rollstuhl"), max_length=16, choices=Wheelchair.choices, default=Wheelchair.UNKNOWN)
    wheelchair_description = models.CharField(_("Barrierefreiheit – Beschreibung"), max_length=500, blank=True)
    open_for_groups = models.BooleanField(
        _("Raum für freie/spontane Gruppen"), default=False,
        help_text=_("Freie oder spontane Gruppen dürfen den Raum nutzen."),
    )
    website = models.URLField(_("Website"), blank=True)
    capacity = models.PositiveIntegerField(_("Kapazität (Personen)"), null=True, blank=True)

    source = models.CharField(_("Quelle"), max_length=200, blank=True)
    source_id = models.CharField(_("Quell-ID"), max_length=200, blank=True)
    is_example = models.BooleanField(_("Beispieldaten"), default=False)
    is_published = models.BooleanField(_("veröffentlicht"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    actors = models.ManyToManyField(
        "places.Organisation", through="PlaceActor", related_name="places", verbose_name=_("Akteure")
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["lon", "lat"]),
            models.Index(fields=["lat", "lon"]),
            models.Index(fields=["status"]),
            models.Index(fields=["source", "source_id"]),
            # The public list pages published places by (name, id): this partial index gives the page and the count
            # without sorting or reading the table (Django writes ``WHERE is_published`` on SQLite, which a
            # composite (is_published, name, id) index cannot use as an equality; the partial index matches it).
            # is_published is the last column so that SQLite reads page and count from the index alone (covering).
            models.Index(fields=["name", "id", "is_published"], name="place_published_name_idx",
                         condition=Q(is_published=True)),
        ]
        verbose_name = _("Ort der Begegnung")
        verbose_name_plural = _("Orte der Begegnung")

    def __str__(self) -> str:
        return self.name


class PlaceActor(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="place_actors")
    organisation = models.ForeignKey("places.Organisation", on_delete=models.PROTECT, related_name="place_roles",
                                     verbose_name=_("Organisation"))
    role = models.CharField(_("Rolle"), max_length=16, choices=ActorRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["place", "organisation", "role"], name="placeactor_unique"),
        ]
        verbose_name = _("Akteur am Ort")
        verbose_name_plural = _("Akteure am Ort")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"


class OfferCategory(models.TextChoices):
    CULTURE = "culture", _("Kultur")
    EDUCATION = "education", _("Bildung")
    COUNSELLING = "counselling", _("Beratung")
    LEISURE = "leisure", _("Freizeit und Begegnung")
    SPORT = "sport", _("Bewegung und Sport")
    CARE = "care", _("Unterstützung und Pflege")
    OTHER = "other", _("Sonstiges")


class Offer(models.Model):
    """An offer (Angebot) at a place, e.g. Familienbüro, Schuldnerberatung, Sprachcafé."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="offers", verbose_name=_("Ort"))
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    category = models.CharField(_("Bereich"), max_length=16, choices=OfferCategory.choices, default=OfferCategory.OTHER)
    schedule = models.CharField(
        _("Termine"), max_length=500, blank=True, help_text=_("Im OpenStreetMap-Format, z. B. „We 15:00-17:00“")
    )
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="offers", verbose_name=_("Zielgruppen"))
    is_free = models.BooleanField(_("kostenlos"), default=True)
    cost_note = models.CharField(_("Kosten"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "places.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="offers",
        verbose_name=_("Anbieter"),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")

    def __str__(self) -> str:
        return self.title
