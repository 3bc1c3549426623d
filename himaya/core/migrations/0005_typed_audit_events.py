"""The audit log's `action` (create/update/delete/import/login) becomes a typed `event`
(`cycle.created`, `login.succeeded`, …); events may have no target; a JSON `extra`.

Existing rows keep their meaning: `create` on a cycle becomes `cycle.created`, `update` on an
enrolment `enrolment.updated`, `delete` `<model>.deleted`, `import` `import.applied`, `login`
`login.succeeded`. Going back maps the verbs the other way."""

import django.core.serializers.json
import django.db.models.deletion
from django.db import migrations, models

VERBS = {"create": "created", "update": "updated", "delete": "deleted"}
WHOLE = {"import": "import.applied", "login": "login.succeeded"}


def name_events(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    models_by_id = dict(ContentType.objects.values_list("id", "model"))
    for old, new in WHOLE.items():
        AuditEntry.objects.filter(event=old).update(event=new)
    for old, verb in VERBS.items():
        type_ids = AuditEntry.objects.filter(event=old).values_list("target_type_id", flat=True)
        for type_id in set(type_ids):
            AuditEntry.objects.filter(event=old, target_type_id=type_id).update(
                event=f"{models_by_id.get(type_id, 'record')}.{verb}"
            )


def name_actions(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    back = {v: k for k, v in WHOLE.items()}
    for event in set(AuditEntry.objects.values_list("event", flat=True)):
        verb = event.rsplit(".", 1)[-1]
        action = back.get(event) or {v: k for k, v in VERBS.items()}.get(verb, "update")
        AuditEntry.objects.filter(event=event).update(event=action)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_job"),
    ]

    operations = [
        migrations.RenameField(model_name="auditentry", old_name="action", new_name="event"),
        migrations.AlterField(
            model_name="auditentry",
            name="event",
            field=models.CharField(db_index=True, max_length=64, verbose_name="event"),
        ),
        migrations.RunPython(name_events, name_actions, elidable=False),
        migrations.AddField(
            model_name="auditentry",
            name="extra",
            field=models.JSONField(
                blank=True,
                default=dict,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="details",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="target type",
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="target_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="target id"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="target_repr",
            field=models.CharField(blank=True, max_length=255, verbose_name="target"),
        ),
    ]
