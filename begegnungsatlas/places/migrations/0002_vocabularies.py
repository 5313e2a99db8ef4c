"""Seed the controlled vocabularies (extensible in the administration)."""

from django.db import migrations

TARGET_GROUPS = [
    ("kinder", "Kinder", "Children"),
    ("jugendliche", "Jugendliche", "Young people"),
    ("familien", "Familien", "Families"),
    ("erwachsene", "Erwachsene", "Adults"),
    ("senioren", "Ältere Menschen", "Older people"),
    ("menschen-mit-behinderung", "Menschen mit Behinderung", "People with disabilities"),
    ("neuzugewanderte", "Neuzugewanderte und Geflüchtete", "Newcomers and refugees"),
    ("alleinerziehende", "Alleinerziehende", "Single parents"),
    ("ehrenamtliche", "Ehrenamtliche", "Volunteers"),
    ("alle", "Alle Generationen", "All generations"),
]

QUALITIES = [
    ("offen", "offen", "open"),
    ("einladend", "einladend", "welcoming"),
    ("mitgestaltet", "mitgestaltet", "co-designed"),
    ("partizipativ", "partizipativ", "participatory"),
    ("inklusiv", "inklusiv", "inclusive"),
    ("niedrigschwellig", "niedrigschwellig", "low-threshold"),
    ("wandelbar", "wandelbar", "adaptable"),
    ("barrierefrei", "barrierefrei", "barrier-free"),
]


def seed(apps, schema_editor):
    TargetGroup = apps.get_model("places", "TargetGroup")
    Quality = apps.get_model("places", "Quality")
    for i, (slug, de, en) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(slug=slug, defaults={"name_de": de, "name_en": en, "sort": i * 10})
    for i, (slug, de, en) in enumerate(QUALITIES):
        Quality.objects.update_or_create(slug=slug, defaults={"name_de": de, "name_en": en, "sort": i * 10})


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
