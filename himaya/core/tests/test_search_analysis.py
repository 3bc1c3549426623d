import pytest
from hypothesis import given
from hypothesis import strategies as st

from himaya.core.search import analysis


def test_arabic_normalisation_removes_marks_and_unifies_letters():
    assert analysis.normalise("الْمَرْأَةُ") == "المراه"
    assert analysis.normalise("العـــنف") == "العنف"
    assert analysis.normalise("إلى أن آخر") == "الي ان اخر"
    assert analysis.normalise("مسؤولية") == "مسوولية".replace("ة", "ه")
    assert analysis.normalise("المادة ١-٨٨") == "الماده 1-88"


def test_latin_case_and_accents_are_folded():
    assert analysis.normalise("Harcèlement ÉLECTRONIQUE") == "harcelement electronique"


def test_article_numbers_in_any_order_give_the_same_tokens():
    assert (
        set(analysis.number_tokens("503-1-1"))
        == set(analysis.number_tokens("1-1-503"))
        == {"n503_1_1", "n1_1_503"}
    )
    assert analysis.number_tokens("82.5.2") == ["n82_5_2", "n2_5_82"]
    assert analysis.number_tokens("486") == ["n486"]
    assert analysis.extract_numbers("المادة 1-1-503 و article 1-88") == ["1-1-503", "1-88"]


def test_stemming_brings_word_forms_together():
    assert analysis.words("harcèlement", "fr") == analysis.words("harceler", "fr")
    assert analysis.words("harassment", "en") == analysis.words("harassing", "en")
    assert analysis.words("التحرش", "ar") == analysis.words("تحرش", "ar")
    assert analysis.words("التدابير", "ar") == analysis.words("تدبير", "ar")
    assert analysis.words("تعاريف", "ar") == analysis.words("التعريف", "ar")


def test_stop_words_and_query_syntax_disappear():
    assert analysis.words('le "OR" de la NEAR(x) * ^ :', "fr") == ["or", "near"]
    assert all(analysis.SAFE_TOKEN.match(t) for t in analysis.words("'; DROP TABLE x; -- 😀", "en"))


def test_query_language_from_script():
    assert analysis.query_languages("التحرش الجنسي", None) == ("ar",)
    assert analysis.query_languages("violence", "en") == ("en",)
    assert analysis.query_languages("violence", None) == ("fr", "en")


@given(st.text(max_size=300))
def test_every_token_is_safe_for_both_query_syntaxes(text):
    for language in analysis.LANGUAGES:
        for token in analysis.words(text, language):
            assert analysis.SAFE_TOKEN.match(token)
    for number in analysis.extract_numbers(text):
        for token in analysis.number_tokens(number):
            assert analysis.SAFE_TOKEN.match(token)


def test_stop_words_written_with_accents_or_hamza_are_dropped():
    # The lists are written as people write (إلى, été); the text is normalised (الي, ete) before
    # it meets them, so they must be normalised the same way when loaded.
    assert analysis.words("إلى على مادة إذا أو هذه التي", "ar") == []
    assert analysis.words("été même être alinéa où à", "fr") == []
    assert analysis.words("Article 3 of the Law on Violence", "en") == ["violenc"]
    assert analysis.words("les victimes de violence même à l'étranger", "fr") == [
        analysis.stem("victimes", "fr"),
        analysis.stem("violence", "fr"),
        analysis.stem("etranger", "fr"),
    ]


def test_every_stop_word_of_the_data_files_is_dropped_as_written():
    for language in analysis.LANGUAGES:
        path = analysis.STOPWORDS_DIR / f"{language}.txt"
        written = [
            line.strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert len(written) > 40
        for word in written:
            assert analysis.words(word, language) == [], (language, word)
            assert analysis.words(word.upper(), language) == [], (language, word)


def test_stop_words_are_loaded_normalised(tmp_path):
    path = tmp_path / "xx.txt"
    path.write_text("# a comment\nÉté\n\nإلى  # trailing comment\nl'\n", encoding="utf-8")
    assert analysis.load_stopwords(path) == {"ete", "الي", "l"}


@pytest.mark.parametrize("text", ["෦", "᱀", "article ١٢ ෦-᱀", "٣٠٨"])
def test_digits_of_other_scripts_never_make_unsafe_tokens(text):
    # Found by the property test above: a Sinhala or Lepcha digit became the token "n෦".
    for language in analysis.LANGUAGES:
        assert all(analysis.SAFE_TOKEN.match(t) for t in analysis.words(text, language))
    for number in analysis.extract_numbers(text):
        assert all(analysis.SAFE_TOKEN.match(t) for t in analysis.number_tokens(number))
