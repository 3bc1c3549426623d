"""Module resource links: only http(s), mailto and relative links, at load and at render."""

import shutil
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from himaya.core.content import ContentErrors
from himaya.training import content
from himaya.training.tests.factories import EnrolmentFactory

MODULE = (
    Path(__file__).resolve().parents[3]
    / "content/curriculum/modules/law-103-13-and-penal-code.yaml"
)
GOOD_URL = '    url: "https://www.hrw.org/news/2018/02/26/morocco-new-violence-against-women-law"'


@pytest.mark.parametrize(
    "url,safe",
    [
        ("https://example.org/a?b=c", True),
        ("http://example.org", True),
        ("mailto:formation@example.org", True),
        ("/fr/benchbook/", True),
        ("docs/guide.pdf", True),
        ("#section", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:msgbox", False),
        ("\\\\evil.test\\share", False),
        ("", False),
    ],
)
def test_safe_link(url, safe):
    assert (content.safe_link(url) != "") is safe


def _validate(tmp_path, url_line):
    path = tmp_path / MODULE.name
    shutil.copy(MODULE, path)
    text = path.read_text(encoding="utf-8")
    assert GOOD_URL in text
    path.write_text(text.replace(GOOD_URL, url_line), encoding="utf-8")
    errors = ContentErrors(root=tmp_path)
    content._validate_module(path, errors, {"legal-frameworks"})
    return errors.messages


def test_the_loader_refuses_a_javascript_link_with_file_and_line(tmp_path):
    line = 1 + next(
        i for i, t in enumerate(MODULE.read_text(encoding="utf-8").splitlines()) if t == GOOD_URL
    )
    messages = _validate(tmp_path, '    url: "javascript:alert(document.cookie)"')
    assert len(messages) == 1
    # The line of the resource's entry ("- title: …"), just above its url.
    assert messages[0].startswith(f"{MODULE.name}:{line - 1}: resource ")
    assert "http(s), mailto or relative" in messages[0]


def test_the_loader_accepts_the_real_links(tmp_path):
    assert _validate(tmp_path, GOOD_URL) == []


@pytest.mark.django_db
def test_a_stored_javascript_link_is_shown_as_text_only(client, module, cycle):
    module.resources = [
        {"title": "Piège", "url": "javascript:alert(1)"},
        {"title": "Guide", "url": "https://example.org/guide"},
    ]
    module.save()
    participant = EnrolmentFactory(cycle=cycle).participant
    client.force_login(participant)
    with translation.override("fr"):
        page = client.get(reverse("training:module_detail", args=[module.key]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "javascript:" not in html
    assert "<li>Piège</li>" in html
    assert '<a href="https://example.org/guide" rel="noopener noreferrer">Guide</a>' in html
