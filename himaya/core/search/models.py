"""The one index of search documents, shared by every app that wants its objects found.

A row holds the analysed tokens (never raw text) of one object, keyed by content type and object
id. The full-text structures over it are database-specific and live in migrations
(core 0003_search_full_text): an FTS5 table kept in step by triggers on SQLite, generated
tsvector columns with GIN indexes on PostgreSQL."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """The analysed text of one object, as both search backends index it.

    `numbers`, `title`, `tags` and `body` are ranked with decreasing weight; `facet_tokens` is only
    filtered on (it holds the content type and the facets as tokens); `facets` keeps the same
    facets as data ({name: [values]}) for reading and reindexing."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("content type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("Language of the text; empty when the document holds several languages."),
    )
    numbers = models.TextField(blank=True)
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    facet_tokens = models.TextField(blank=True)
    facets = models.JSONField(_("facets"), default=dict, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="core_searchdocument_object_unique"
            )
        ]

    def __str__(self):
        return f"search document of {self.content_type_id}:{self.object_id}"
