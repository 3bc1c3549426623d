import datetime

import factory

from himaya.accounts.choices import Function, Gender, Role
from himaya.accounts.models import User
from himaya.training.models import (
    Axis,
    Cycle,
    CycleStatus,
    Enrolment,
    Module,
    Partner,
    Programme,
    Session,
)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    slug = factory.Sequence(lambda n: f"partner-{n}")
    name = factory.Sequence(lambda n: f"Partner {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"programme-{n}")
    title = factory.Sequence(lambda n: f"Programme {n}")

    @factory.post_generation
    def partners(self, create, extracted, **kwargs):
        if create:
            self.partners.add(*(extracted or [PartnerFactory()]))


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"axis-{n}")
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Axis {n}")


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    axis = factory.SubFactory(AxisFactory)
    key = factory.Sequence(lambda n: f"module-{n}")
    title = factory.Sequence(lambda n: f"Module {n}")
    title_ar = factory.Sequence(lambda n: f"الوحدة {n}")
    content = "## Contenu\n\nTexte du module."
    objectives = "Comprendre\nAppliquer"


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cycle

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"cycle-{n}")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Cycle {n}")
    start_date = datetime.date(2024, 12, 5)
    end_date = datetime.date(2024, 12, 6)
    city = "Casablanca"
    venue = "Hôtel Idou Anfa"
    capacity = 30
    status = CycleStatus.OPEN


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cycle = factory.SubFactory(CycleFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    date = factory.LazyAttribute(lambda o: o.cycle.start_date)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(10, 30)
    room = "Salle A"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    first_name_ar = "سعاد"
    last_name_ar = "العلوي"
    gender = Gender.FEMALE
    function = Function.JUDGE
    role = Role.PARTICIPANT
    password = factory.django.Password("pass-word-123")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cycle = factory.SubFactory(CycleFactory)
    participant = factory.SubFactory(UserFactory)
