from __future__ import annotations

from begegnungsatlas.funding import demo
from begegnungsatlas.funding.models import Application, Booking, Call, Voucher
from begegnungsatlas.funding.workflow import State


def test_demo_walks_every_state_and_labels_examples(db):
    lines: list[str] = []
    demo.load(out=lines.append)
    seed = Call.objects.get(title=demo.SEED_TITLE)
    assert seed.status == "closed"
    assert seed.is_historical
    assert not seed.is_example
    assert seed.grant_total_cents == 500000
    assert set(Application.objects.values_list("state", flat=True)) == set(State.values)
    assert not Application.objects.filter(is_example=False).exists()
    assert Voucher.objects.filter(kind="quote").exists()
    assert Voucher.objects.filter(status="paid").exists()
    assert Booking.objects.count() == 2
    assert any("kommune-juelich" in line for line in lines)
    demo.load(out=lines.append)  # idempotent
    assert Call.objects.count() == 2
