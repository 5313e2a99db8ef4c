"""Fill ``PlaceFeature`` for the places that exist already (later writes keep it in step)."""

from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The current service on purpose: it writes exactly the text the items endpoint compares against.
    # A fresh database has no places yet; then there is nothing to fill (and nothing that could break if the
    # place model changes later). Existing installations can rebuild any time with
    # `begegnungsatlas refresh_place_features`.
    if not apps.get_model("places", "Place").objects.exists():
        return
    from begegnungsatlas.api.services import place_features_refresh

    place_features_refresh(place_ids=None)


class Migration(migrations.Migration):
    dependencies = [("api", "0001_placefeature")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
