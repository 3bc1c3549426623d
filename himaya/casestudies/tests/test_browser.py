"""In a real browser, in Arabic and in French: a trainer uploads a decision, corrects two spans
(adds a nickname the engine missed by selecting it with the mouse, re-labels a proposal), links two
mentions of one person; a second reviewer approves; a participant reads the published case."""

import pytest

from himaya.accounts.choices import Role
from himaya.casestudies.models import CaseDocument, Correction, Status
from himaya.tests.test_accessibility import serious_violations
from himaya.training.tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mot-de-passe-relecture-2027"
TABLET = {"width": 820, "height": 1180, "has_touch": True, "is_mobile": True}
DECISIONS = {
    "ar": (
        "المحكمة الابتدائية بتطوان، ملف رقم 2024/2105/318.\n"
        "المطالبة بالحق المدني: زليخة بنت الصديق بلعيد، المزدادة بتاريخ 1988/02/11، الساكنة بدرب "
        "الملاح زنقة 4 رقم 11 تطوان، تعمل بمقهى النخيل.\n"
        "المتهم: عبد الغفور بن التهامي أكنوش، الملقب «زيزو».\n"
        "وحيث اعترف المتهم أكنوش بالضرب، وطبقا للفصل 404 من القانون الجنائي."
    ),
    "fr": (
        "Tribunal de première instance de Tétouan, dossier n° 402/2103/2024.\n"
        "Partie civile : Mme Kenza AARAB, née le 2 mai 2005, demeurant n° 6, rue Erfoud, Tétouan, "
        "serveuse au café Al Nakhil.\n"
        "Prévenu : M. Soufiane OUHSSAINE, surnommé « zizou ».\n"
        "Attendu que Ouhssaine reconnaît les coups, faits prévus par l'article 404 du Code pénal."
    ),
}
SELECT = {"ar": "زيزو", "fr": "zizou"}  # a nickname the engine cannot know
ACCUSED = {
    "ar": ("عبد الغفور بن التهامي أكنوش", "أكنوش"),
    "fr": ("Soufiane OUHSSAINE", "Ouhssaine"),
}


def person(role, email):
    user = UserFactory(role=role, email=email, function="")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, email, lang):
    page.goto(f"/{lang}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def select_text(page, needle):
    page.evaluate(
        """(needle) => {
          const root = document.getElementById('decision');
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode, at = node.data.indexOf(needle);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at); range.setEnd(node, at + needle.length);
              const selection = window.getSelection();
              selection.removeAllRanges(); selection.addRange(range);
              return;
            }
          }
          throw new Error('not found: ' + needle);
        }""",
        needle,
    )


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_upload_review_and_publish_in_a_browser(new_page, lang):
    trainer = person(Role.TRAINER, f"relectrice-{lang}@trainers.test")
    second = person(Role.COORDINATOR, f"second-{lang}@partner.test")
    reader = person(Role.PARTICIPANT, f"lectrice-{lang}@justice.test")
    text = DECISIONS[lang]
    page = new_page(**TABLET, bypass_csp=True)  # axe is injected by the test
    sign_in(page, trainer.email, lang)
    page.goto(f"/{lang}/cases/upload/")
    page.check(f"#lang-{lang}")
    page.fill("#id_text", text)
    page.locator("#upload-decision").click()
    page.wait_for_selector("#decision")
    assert page.locator("#decision").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert not serious_violations(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    document = CaseDocument.objects.get()
    # Correction 1: select the nickname with the mouse and add it as a person.
    select_text(page, SELECT[lang])
    page.wait_for_function("document.getElementById('id_start').value !== ''")
    page.select_option("#id_add_label", "PERSON")
    page.locator("#add-span button[type=submit]").click()
    page.wait_for_selector(".message.success")
    # Correction 2: the café the engine proposed as an identifying place becomes an address.
    document.refresh_from_db()
    cafe = next(i for i, s in enumerate(document.spans) if s["label"] == "ORG_IDENTIFYING")
    page.select_option(f"#label-{cafe}", "ADDRESS")
    page.locator(f"#row-{cafe} form:has(input[value=relabel]) button").click()
    page.wait_for_selector(".message.success")
    # Link the two mentions of the accused to one person.
    document.refresh_from_db()
    full, short = ACCUSED[lang]
    for needle in (full, short):
        index = next(
            i for i, s in enumerate(document.spans) if text[s["start"] : s["end"]] == needle
        )
        page.select_option(f"#person-{index}", "1")
        page.locator(f"#row-{index} form:has(input[value=link]) button").click()
        page.wait_for_selector(".message.success")
        document.refresh_from_db()
    assert Correction.objects.filter(document=document).count() == 4
    page.locator("#approve").click()
    page.wait_for_selector(".message.success")
    # The second reviewer approves: published.
    page2 = new_page(**TABLET)
    sign_in(page2, second.email, lang)
    page2.goto(f"/{lang}/cases/documents/{document.pk}/")
    page2.locator("#approve").click()
    page2.wait_for_selector("#published")
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED and document.original is None
    # A participant reads it: no name, no address, the law kept.
    page3 = new_page(**TABLET)
    sign_in(page3, reader.email, lang)
    page3.goto(f"/{lang}/cases/")
    page3.locator(f"a[href$='/cases/{document.pk}/']").click()
    published = page3.locator("#published").inner_text()
    for secret in (
        full,
        short,
        SELECT[lang],
        "النخيل" if lang == "ar" else "Nakhil",
        "بلعيد" if lang == "ar" else "AARAB",
    ):
        assert secret not in published
    assert "404" in published
