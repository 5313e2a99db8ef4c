"""Demo loader: an example Sozialraum level for Kreis Düren from its 15 Kommunen, clearly marked as an example.

A max-p proposal (population density, at least 40,000 inhabitants per Sozialraum, Zensus 2022), adopted as
version 1 ("Beispiel", no body ever decided it) and a draft version 2 to edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from begegnungsatlas.atlas.models import AreaLevel, Indicator

from .models import SozialraumLevel
from .services.propose import ProposalInputs, proposal_create
from .services.versions import sozialraum_adopt, sozialraum_create_from_proposal, sozialraum_new_version

SERIES = "Beispiel-Sozialräume Kreis Düren"


def load(*, out: Callable[[str], object] = print) -> None:
    if SozialraumLevel.objects.filter(series=SERIES).exists():
        return
    level = AreaLevel.objects.filter(region__slug="kreis-dueren", slug="kommune").first()
    density = Indicator.objects.filter(slug="einwohner_dichte_zensus2022").first()
    population = Indicator.objects.filter(slug="einwohner_zensus2022").first()
    if level is None or density is None or population is None:
        out("Sozialräume: Kreis Düren oder Zensus 2022 fehlt; kein Beispiel angelegt.")
        return
    proposal = proposal_create(
        inputs=ProposalInputs(base_level=level, method="maxp", period="2022-05-15", indicators=[(density, 1.0)],
                              population_indicator=population, min_population=40_000),
        name="Beispiel: Einwohnerdichte, mind. 40.000 Einwohner", actor=None)
    sr = sozialraum_create_from_proposal(proposal=proposal, series=SERIES, actor=None, is_example=True)
    SozialraumLevel.objects.filter(pk=sr.pk).update(
        note="Beispiel für die Vorführung: berechnet aus Zensus 2022, von keinem Gremium beschlossen.")
    sozialraum_adopt(sr=sr, adopted_on=dt.date(2026, 1, 1), actor=None)
    sozialraum_new_version(sr=sr, actor=None)
    out(f"Sozialräume: Beispiel für Kreis Düren mit {proposal.quality['n_regions']} Sozialräumen "
        "(Fassung 1 als Beispiel beschlossen, Fassung 2 als Entwurf).")
