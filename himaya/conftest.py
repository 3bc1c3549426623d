import os

import pytest
from hypothesis import settings as hypothesis_settings

from himaya.accounts.choices import Role
from himaya.training.tests.factories import (
    CycleFactory,
    EnrolmentFactory,
    ModuleFactory,
    PartnerFactory,
    ProgrammeFactory,
    SessionFactory,
    UserFactory,
)

# Property tests explore new random examples on every developer run; in CI they replay a fixed
# sequence, so that a submission's result does not depend on the luck of the draw (a failure
# found locally becomes a regression test of its own, as the digits of other scripts did).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _no_login_lockouts_between_tests(settings):
    settings.AXES_ENABLED = True


@pytest.fixture(autouse=True)
def _default_language_for_each_test():
    """A test (or a request in a live server thread) may leave a language active: each test
    starts in the default one, as a new request would."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture
def partner(db):
    return PartnerFactory(slug="amj", name="Association marocaine des juges", short_name="AMJ")


@pytest.fixture
def cycle(db, partner):
    programme = ProgrammeFactory(partners=[partner])
    return CycleFactory(programme=programme, slug="casablanca-2024-cycle-1")


@pytest.fixture
def module(cycle):
    from himaya.training.tests.factories import AxisFactory

    return ModuleFactory(axis=AxisFactory(programme=cycle.programme))


@pytest.fixture
def trainer(db):
    return UserFactory(role=Role.TRAINER, email="trainer@example.test", function="")


@pytest.fixture
def session(cycle, trainer, module):
    s = SessionFactory(cycle=cycle)
    s.trainers.add(trainer)
    s.modules.add(module)
    return s


@pytest.fixture
def coordinator(partner):
    return UserFactory(
        role=Role.COORDINATOR, partner=partner, email="coord@example.test", is_staff=True
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(
        role=Role.ADMIN, is_staff=True, is_superuser=True, email="admin@example.test"
    )


@pytest.fixture
def participant(cycle):
    return EnrolmentFactory(cycle=cycle, participant__email="p1@example.test").participant


@pytest.fixture
def other_participant(cycle):
    return EnrolmentFactory(cycle=cycle, participant__email="p2@example.test").participant


@pytest.fixture
def enrol_many(cycle):
    def make(n):
        return [EnrolmentFactory(cycle=cycle).participant for _ in range(n)]

    return make


# --- browser tests (Playwright driving Debian's Chromium) ------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    import os

    if not os.path.exists(CHROMIUM):
        if os.environ.get("HIMAYA_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are ordinary synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []

    def make(width=1280, height=900, **kwargs):
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server.url, **kwargs
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
