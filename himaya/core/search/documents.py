"""Writing the search index: documents are analysed here, once, and stored as tokens.

A client builds a document per object with `document()` (or indexes one with `index_document()`):
text fields go through the analyzer, article numbers become order-independent tokens, concept
tags and facets become reserved tokens that no analysed word can spell (words have no digits or
underscores; tags start with `c_`, facets with their name and `_`)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from . import analysis
from .models import SearchDocument

FACET_NAME = re.compile(r"^[a-z][a-z0-9]*$")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
BATCH = 900  # ids per IN (...) list, under every database's parameter limit

# A text field is one text (in the document's language), a {language: text} mapping (each text
# analysed with its own stemmer), or a list of those, indexed in order.
Text = str | Mapping[str, str] | Iterable["Text"]


def content_type_of(model_or_obj) -> ContentType:
    """The content type of a model, an instance, a ContentType or an 'app_label.model' label."""
    if isinstance(model_or_obj, ContentType):
        return model_or_obj
    if isinstance(model_or_obj, str):
        app_label, model = model_or_obj.lower().split(".", 1)
        return ContentType.objects.get_by_natural_key(app_label, model)
    return ContentType.objects.get_for_model(model_or_obj)


def content_type_token(content_type: ContentType) -> str:
    return f"ct_{content_type.app_label}_{content_type.model}"


def tag_token(key: str) -> str:
    """The token of a thesaurus concept tag ('protection-order' → 'c_protection_order')."""
    return "c_" + _NOT_ASCII_WORD.sub("_", analysis.normalise(str(key))).strip("_")


def facet_token(name: str, value) -> str:
    """`name_value`, the value folded to ASCII letters and digits (or hashed when it has other
    letters), so any value is a single safe token for both query syntaxes."""
    if not FACET_NAME.match(name):
        raise ValueError(f"facet names are lower-case ASCII letters and digits, not {name!r}")
    normalised = analysis.normalise(str(value))
    slug = _NOT_ASCII_WORD.sub("_", normalised).strip("_")
    if not slug or not normalised.isascii():
        slug = "h" + hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]  # noqa: S324 - not security
    return f"{name}_{slug}"


def _facet_values(facets: Mapping[str, object] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in (facets or {}).items():
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        kept = [str(v) for v in values if v not in (None, "")]
        if kept:
            out[name] = list(dict.fromkeys(kept))
    return out


def analyse_text(text: Text, language: str = "") -> list[str]:
    """The tokens of a text field (see `Text`), in order."""
    if not text:
        return []
    if isinstance(text, str):
        if language not in analysis.LANGUAGES:
            raise ValueError("a text of no given language must be a {language: text} mapping")
        return analysis.words(text, language)
    if isinstance(text, Mapping):
        return analysis.document_tokens(text).split()
    tokens: list[str] = []
    for part in text:
        tokens.extend(analyse_text(part, language))
    return tokens


def document(
    obj,
    *,
    language: str = "",
    title: Text = (),
    body: Text = (),
    numbers: Iterable[str] = (),
    tags: Iterable[str] = (),
    facets: Mapping[str, object] | None = None,
    content_type: ContentType | None = None,
) -> SearchDocument:
    """An unsaved, analysed search document for `obj` (pass `content_type` when building many).

    language: the language of the text ('' when the fields are {language: text} mappings);
    numbers: article or file numbers as written ('503-1-1'), found in any order of their parts;
    tags: thesaurus concept keys the object is tagged with (the thesaurus expansion finds them);
    facets: {name: value or list of values} that `search(facets=...)` filters on."""
    content_type = content_type or content_type_of(obj)
    number_tokens: list[str] = []
    for number in numbers:
        if number:
            number_tokens.extend(analysis.number_tokens(str(number)))
    facet_values = _facet_values(facets)
    facet_tokens = [content_type_token(content_type)]
    facet_tokens += [facet_token(name, v) for name, values in facet_values.items() for v in values]
    return SearchDocument(
        content_type=content_type,
        object_id=obj.pk,
        language=language if language in analysis.LANGUAGES else "",
        numbers=" ".join(dict.fromkeys(number_tokens)),
        title=" ".join(analyse_text(title, language)),
        body=" ".join(analyse_text(body, language)),
        tags=" ".join(dict.fromkeys(tag_token(t) for t in tags)),
        facet_tokens=" ".join(dict.fromkeys(facet_tokens)),
        facets=facet_values,
    )


def _delete(content_type_id: int, object_ids: list[int]) -> int:
    deleted = 0
    for start in range(0, len(object_ids), BATCH):
        deleted += SearchDocument.objects.filter(
            content_type_id=content_type_id, object_id__in=object_ids[start : start + BATCH]
        ).delete()[0]
    return deleted


@transaction.atomic
def index_documents(documents: Iterable[SearchDocument], *, replace_all_of=None) -> int:
    """Store documents, replacing those of the same objects. With `replace_all_of` (a model or a
    content type), every other document of that content type is removed too: a full reindex."""
    documents = list(documents)
    if replace_all_of is not None:
        SearchDocument.objects.filter(content_type=content_type_of(replace_all_of)).delete()
    else:
        by_type: dict[int, list[int]] = {}
        for doc in documents:
            by_type.setdefault(doc.content_type_id, []).append(doc.object_id)
        for content_type_id, object_ids in by_type.items():
            _delete(content_type_id, object_ids)
    SearchDocument.objects.bulk_create(documents, batch_size=1000)
    return len(documents)


def index_document(obj, **fields) -> SearchDocument:
    """Index (or reindex) one object; `fields` as for `document()`."""
    doc = document(obj, **fields)
    index_documents([doc])
    return doc


def remove_document(obj) -> int:
    """Remove the object's document (deleting the object does it too, through its
    GenericRelation to SearchDocument, when the model declares one)."""
    return _delete(content_type_of(obj).pk, [obj.pk])


def optimize() -> None:
    """Merge the index's segments after a bulk load (SQLite FTS5 'optimize'; PostgreSQL ANALYZE)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO core_search_fts(core_search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE core_searchdocument")
