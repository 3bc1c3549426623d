"""Signals of the training domain, for the apps above it (which training never names).

`attendance_changed(sender=Attendance, session=…, participant=…, before=…, after=…, actor=…)`
is sent after a participant's attendance for a session is created or changed (`before` and
`after` are the status values, `before` None for a first record; a tap that changes nothing
sends nothing), inside the transaction that wrote it: the certificates app
re-evaluates a certificate already issued for that cycle."""

from django.dispatch import Signal

attendance_changed = Signal()

# `cycle_duplicated(sender=Cycle, source=…, target=…, actor=…, shift_days=…)` is sent after a
# cycle was duplicated with its agenda moved by `shift_days`: the apps above training copy their
# own settings (tests' and surveys' windows, the completion rule, the signatories).
cycle_duplicated = Signal()
