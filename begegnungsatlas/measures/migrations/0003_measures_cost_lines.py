"""Resources and costs of a Werkzeugblatt as lines; the former single estimate becomes one line."""

from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models

MOVED_ITEM = "geschätzte Kosten (übernommen)"


def move_costs_to_lines(apps, schema_editor):
    Werkzeugblatt = apps.get_model("measures", "Werkzeugblatt")
    CostLine = apps.get_model("measures", "CostLine")
    CostLine.objects.bulk_create([
        CostLine(sheet_id=sheet.pk, item=MOVED_ITEM, kind="other", amount=Decimal(sheet.cost_cents) / 100)
        for sheet in Werkzeugblatt.objects.exclude(cost_cents=None).only("pk", "cost_cents")
    ])


def move_lines_to_costs(apps, schema_editor):
    Werkzeugblatt = apps.get_model("measures", "Werkzeugblatt")
    for sheet in Werkzeugblatt.objects.prefetch_related("cost_lines"):
        lines = list(sheet.cost_lines.all())
        if lines:
            sheet.cost_cents = int(sum((line.amount for line in lines), Decimal(0)) * 100)
            sheet.save(update_fields=["cost_cents"])


class Migration(migrations.Migration):

    dependencies = [
        ('measures', '0002_measures_funding_calls'),
    ]

    operations = [
        migrations.CreateModel(
            name='CostLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('item', models.CharField(max_length=200, verbose_name='Posten')),
                ('kind', models.CharField(choices=[('staff', 'Personal'), ('material', 'Sachkosten'), ('room', 'Raum'), ('travel', 'Fahrt- und Reisekosten'), ('fees', 'Honorare'), ('other', 'Sonstiges')], default='other', max_length=10, verbose_name='Art')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='Betrag (Euro)')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='Anmerkung')),
                ('sheet', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cost_lines', to='measures.werkzeugblatt')),
            ],
            options={
                'verbose_name': 'Kostenposten',
                'verbose_name_plural': 'Ressourcen und Kosten',
                'ordering': ['id'],
            },
        ),
        migrations.RunPython(move_costs_to_lines, move_lines_to_costs),
        migrations.RemoveField(
            model_name='werkzeugblatt',
            name='cost_cents',
        ),
    ]
