import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType

from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.core.reading import audit_read
from himaya.training.models import Cycle

pytestmark = pytest.mark.django_db


def test_a_sensitive_read_is_logged_with_actor_target_and_reason(cycle, coordinator):
    audit_read(actor=coordinator, target=cycle, reason=" Préparation de l'audience ")
    entry = AuditEntry.objects.get(event=audit.RECORD_READ)
    assert entry.event == "record.read"
    assert entry.actor == coordinator
    assert entry.target_type == ContentType.objects.get_for_model(Cycle)
    assert entry.target_id == str(cycle.pk)
    assert entry.target_repr == str(cycle)
    assert entry.extra == {"reason": "Préparation de l'audience"}
    assert entry.changes == {}


def test_each_read_is_its_own_entry_and_an_anonymous_reader_is_nobody(cycle, coordinator):
    audit_read(actor=coordinator, target=cycle)
    audit_read(actor=AnonymousUser(), target=cycle)
    entries = AuditEntry.objects.filter(event=audit.RECORD_READ, target_id=str(cycle.pk))
    assert sorted((e.actor_id or 0, e.extra) for e in entries) == [
        (0, {}),
        (coordinator.pk, {}),
    ]
