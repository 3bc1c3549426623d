from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseStudiesConfig(AppConfig):
    name = "himaya.casestudies"
    label = "casestudies"
    verbose_name = _("Case library")

    def ready(self):
        from django.urls import reverse
        from django.utils.translation import gettext as gettext_now

        from himaya.core import registry

        from . import permissions  # noqa: F401  (registers the rules)

        def nav(user):
            if not getattr(user, "is_authenticated", False):
                return []
            return [registry.Link(gettext_now("Case library"), reverse("casestudies:library"))]

        registry.add_nav(nav, order=20)

        from himaya.core import content as packs

        from . import content, jobs, ui  # noqa: F401  (jobs registers its kind)

        packs.register(content.DEMO)
        ui.register()
