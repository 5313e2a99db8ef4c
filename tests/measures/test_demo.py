from __future__ import annotations

from begegnungsatlas.measures import demo
from begegnungsatlas.measures.models import Handlungsfeld, Measure, Werkzeugblatt


def test_demo_loads_five_fields_and_labelled_example_measures(db):
    demo.load(out=lambda *_a: None)
    demo.load(out=lambda *_a: None)  # twice: idempotent
    assert list(Handlungsfeld.objects.values_list("name", flat=True)) == [
        "Fachkräfte", "Bildung", "gesellschaftliche Teilhabe", "Mobilität & (Nah-)Versorgung", "Leben & Wohnen"]
    assert Measure.objects.count() == 10
    assert not Measure.objects.filter(is_example=False).exists()
    assert all(m.title.startswith("Beispiel") for m in Measure.objects.all())
    assert set(Measure.objects.values_list("kind", flat=True)) == {"existing", "new"}
    assert Werkzeugblatt.objects.count() == 3


def test_demo_reload_deletes_examples_through_the_service(db):
    from begegnungsatlas.core.models import AuditEvent

    demo.load(out=lambda *_a: None)
    demo.load(out=lambda *_a: None)
    assert AuditEvent.objects.filter(action="measures.measure_example_delete").count() == 10
    assert AuditEvent.objects.filter(action="measures.measure_create").count() == 20
