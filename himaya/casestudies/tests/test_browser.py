"""In a real browser, in Arabic and in French: a trainer uploads a decision, corrects two spans
(adds a nickname the engine missed by selecting it with the mouse, re-labels a proposal), links two
mentions of one person, writes the library entry (metadata, texts in three languages, a question);
a second reviewer approves; a participant finds the case in the library and reads it with its
exercise."""

import pytest

from himaya.accounts.choices import Role
from himaya.benchbook.tests import factories as bb
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
        "المتهم: عبد الغفور بن التهامي أكنوش، ويناديه أصدقاؤه زيزو.\n"
        "وحيث اعترف المتهم أكنوش بالضرب، وطبقا للفصل 404 من القانون الجنائي."
    ),
    "fr": (
        "Tribunal de première instance de Tétouan, dossier n° 402/2103/2024.\n"
        "Partie civile : Mme Kenza AARAB, née le 2 mai 2005, demeurant n° 6, rue Erfoud, Tétouan, "
        "serveuse au café Al Nakhil.\n"
        "Prévenu : M. Soufiane OUHSSAINE, que ses amis appellent zizou.\n"
        "Attendu que Ouhssaine reconnaît les coups, faits prévus par l'article 404 du Code pénal."
    ),
}
ENTRY = {
    "title": {
        "fr": "Une serveuse frappée par un client : l’article 404",
        "ar": "نادلة يعتدي عليها زبون: الفصل 404",
        "en": "A waitress beaten by a customer: Article 404",
    },
    "outcome": {
        "fr": "Le prévenu reconnaît les coups ; le tribunal le condamne.",
        "ar": "اعترف المتهم بالضرب، فأدانته المحكمة.",
        "en": "The accused admits the blows; the court convicts him.",
    },
    "summary": {
        "fr": "Un client frappe la serveuse d’un café ; il reconnaît les faits.",
        "ar": "زبون يضرب نادلة مقهى، ويعترف بالأفعال.",
        "en": "A customer beats a café waitress; he admits the facts.",
    },
}
QUESTION = {
    "stem": {
        "fr": "Quel article double la peine quand la victime est une femme ?",
        "ar": "ما الفصل الذي يضاعف العقوبة إذا كانت الضحية امرأة؟",
        "en": "Which article doubles the penalty when the victim is a woman?",
    },
    "a": {"fr": "L’article 400", "ar": "الفصل 400", "en": "Article 400"},
    "b": {"fr": "L’article 404", "ar": "الفصل 404", "en": "Article 404"},
    "c": {"fr": "L’article 1-88", "ar": "الفصل 1-88", "en": "Article 88-1"},
    "d": {"fr": "L’article 1-323", "ar": "الفصل 1-323", "en": "Article 323-1"},
    "explanation": {
        "fr": "L’article 404, modifié par la loi n° 103-13, vise la victime femme.",
        "ar": "الفصل 404، كما غيره القانون رقم 103.13، يشمل الضحية المرأة.",
        "en": "Article 404, as amended by Law 103-13, covers a woman victim.",
    },
}
SELECT = {"ar": "زيزو", "fr": "zizou"}  # a nickname with no cue: the engine cannot know it
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
    bb.provision(bb.instrument(), "404", title_fr="Circonstances aggravantes", title_ar="الظروف")
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
    # The library entry: metadata, texts in three languages, one question.
    page.locator("#entry-link").click()
    page.wait_for_selector("#entry-form")
    page.select_option("#id_court_level", "first_instance")
    page.fill("#id_year", "2024")
    page.check("input[name=forms_of_violence][value=physical]")
    page.select_option("#id_provisions", "ma-penal-code:404")
    for name in ("title", "outcome", "summary"):
        for code in ("fr", "ar", "en"):
            page.fill(f"#id_{name}_{code}", ENTRY[name][code])
    page.fill(f"#id_q-0-stem_{lang}", QUESTION["stem"][lang])
    page.locator("#save-entry").click()  # the question is half written: kept, not saved
    page.wait_for_selector(".message.error")
    assert page.input_value("#id_summary_ar") == ENTRY["summary"]["ar"]
    assert page.input_value(f"#id_q-0-stem_{lang}") == QUESTION["stem"][lang]
    for code in ("fr", "ar", "en"):
        page.fill(f"#id_q-0-stem_{code}", QUESTION["stem"][code])
        page.fill(f"#id_q-0-explanation_{code}", QUESTION["explanation"][code])
        for k in "abcd":
            page.fill(f"#id_q-0-choice_{k}_{code}", QUESTION[k][code])
    page.check("#id_q-0-correct_1")  # b
    page.locator("#save-entry").click()
    page.wait_for_selector(".message.success")
    assert not serious_violations(page)
    # The second reviewer approves: published.
    page2 = new_page(**TABLET)
    sign_in(page2, second.email, lang)
    page2.goto(f"/{lang}/cases/documents/{document.pk}/")
    page2.locator("#approve").click()
    page2.wait_for_selector("#published")
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED and document.original is None
    # A participant finds it in the library and reads it with its exercise: no name, no
    # address, the law kept.
    page3 = new_page(**TABLET, bypass_csp=True)
    sign_in(page3, reader.email, lang)
    page3.goto(f"/{lang}/cases/")
    page3.locator("a", has_text=ENTRY["title"][lang]).click()
    page3.wait_for_selector("#published")
    assert ENTRY["summary"][lang] in page3.locator("main").inner_text()
    question = page3.locator(".question").first
    assert QUESTION["stem"][lang] in question.inner_text()
    question.locator("summary").click()
    assert QUESTION["b"][lang] in question.locator("details strong").inner_text()
    assert not serious_violations(page3)
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
