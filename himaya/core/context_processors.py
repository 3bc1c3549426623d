from django.conf import settings

from . import registry


def navigation(request):
    """What every page needs to draw the header: languages and the signed-in user's role."""
    user = getattr(request, "user", None)
    return {
        "available_languages": settings.LANGUAGES,
        "nav_role": getattr(user, "role", None) if user and user.is_authenticated else None,
        "nav_links": registry.nav_links(user) if user is not None else [],
    }
