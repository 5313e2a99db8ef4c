from django.db import migrations

CATEGORIES = [
    ("treffpunkte", "Treffpunkte und Begegnung", 10),
    ("wege", "Wege, Verkehr und Mobilität", 20),
    ("barrieren", "Barrieren", 30),
    ("gruen", "Spielplätze und Grünflächen", 40),
    ("versorgung", "Nahversorgung", 50),
    ("sonstiges", "Sonstiges", 90),
]


def seed(apps, schema_editor):
    ReportCategory = apps.get_model("participation", "ReportCategory")
    for slug, name, sort in CATEGORIES:
        ReportCategory.objects.get_or_create(slug=slug, defaults={"name": name, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_participation_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
