"""Encrypted model fields: values the database (and its backups) must never hold in clear.

Use :class:`EncryptedTextField` or :class:`EncryptedJSONField` for data that would harm someone if
a copy of the database leaked: a judge's risk assessment, the text of an uploaded case file.

Keys come from the environment, ``HIMAYA_ENCRYPTION_KEYS`` (read by settings into
``settings.ENCRYPTION_KEYS``): a comma-separated list of keys, each the url-safe base64 of 32
random bytes (make one with :func:`generate_key`). The **first** key encrypts every value written;
**every** key is tried when reading, by its key id. Rotation: put a new key first, keep the old
ones after it, run ``himaya rotate_encryption_key`` (it re-encrypts every encrypted field of every
model with the first key), then remove the old keys.

Why AES-256-GCM with a key id rather than Fernet: a Fernet token carries the time it was made, to
the second, in clear; Himaya keeps no timestamps finer than the day where they could pair records
(see core.privacy), and an encrypted column should not add one. The key id in each value also
lets the rotation command skip, in SQL, rows already on the current key (so it can be re-run after
an interruption) and tells exactly which key a value needs.

A stored value reads ``enc1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``. The nonce is random
(96 bits), so the same text encrypts differently each time; the plaintext is padded to a multiple
of 32 bytes so its length tells little (a "low" and a "high" risk level look alike); the version
and key id are authenticated with it.

Fails closed:

- no key configured → :class:`~django.core.exceptions.ImproperlyConfigured` the moment a value
  is encrypted or decrypted (not at import: projects and models without encrypted fields need no
  key);
- a value that is not ours (plain text written behind Django's back), altered, cut, or encrypted
  with a key that is no longer configured → :class:`DecryptionError`. Never the plaintext of
  something else, never the ciphertext shown as if it were text.

Limits, by design: an encrypted value cannot be searched, filtered, compared, indexed or usefully
ordered by the database (``filter(field=…)`` raises ``FieldError``; only ``isnull`` works;
``order_by`` on it orders by random ciphertext). Filter on other columns and decrypt in Python.
Reading such a value is a sensitive read: call :func:`himaya.core.reading.audit_read`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.functions import Cast

VERSION = "enc1"
KEY_BYTES = 32
NONCE_BYTES = 12
PAD_BLOCK = 32
KEYS_SETTING = "ENCRYPTION_KEYS"
KEYS_VARIABLE = "HIMAYA_ENCRYPTION_KEYS"


class DecryptionError(ValueError):
    """A stored value could not be decrypted: not ours, altered, or its key is gone."""


def generate_key() -> str:
    """A new key, in the form HIMAYA_ENCRYPTION_KEYS expects."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(key: bytes) -> str:
    """A short public name for a key: safe to store and print, tells nothing about the key."""
    return hashlib.sha256(b"himaya-encryption-key-id:" + key).hexdigest()[:8]


class _Keyring:
    def __init__(self, keys: list[bytes]):
        self.ids = [key_id(k) for k in keys]
        if len(set(self.ids)) != len(self.ids):
            raise ImproperlyConfigured(f"{KEYS_VARIABLE} lists the same key twice.")
        self.ciphers = {kid: AESGCM(k) for kid, k in zip(self.ids, keys, strict=True)}
        self.current = self.ids[0]


@functools.lru_cache(maxsize=8)
def _keyring_for(configured: tuple[str, ...]) -> _Keyring:
    keys = []
    for position, text in enumerate(configured, start=1):
        try:
            key = _b64decode(text.strip())
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != KEY_BYTES:
            # Never echo the key itself.
            raise ImproperlyConfigured(
                f"{KEYS_VARIABLE}: key {position} is not the url-safe base64 of "
                f"{KEY_BYTES} bytes (make one with "
                "`python -c 'from himaya.core.crypto import generate_key; print(generate_key())'`)."
            )
        keys.append(key)
    return _Keyring(keys)


def keyring() -> _Keyring:
    """The configured keys, parsed once per distinct setting value."""
    configured = getattr(settings, KEYS_SETTING, None) or ()
    if isinstance(configured, str):
        configured = configured.split(",")
    configured = tuple(k.strip() for k in configured if k and k.strip())
    if not configured:
        raise ImproperlyConfigured(
            f"Encrypted fields need a key: set {KEYS_VARIABLE} to one or more comma-separated "
            "keys (the first encrypts, all decrypt)."
        )
    return _keyring_for(configured)


def current_key_id() -> str:
    return keyring().current


def _header(kid: str) -> bytes:
    return f"{VERSION}:{kid}:".encode("ascii")


def _pad(data: bytes) -> bytes:
    data += b"\x80"
    return data + b"\x00" * (-len(data) % PAD_BLOCK)


def _unpad(data: bytes) -> bytes:
    stripped = data.rstrip(b"\x00")
    if not stripped.endswith(b"\x80"):
        raise DecryptionError("The decrypted value has no valid padding.")
    return stripped[:-1]


def encrypt(text: str) -> str:
    """Encrypt text with the current (first) key."""
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    header = _header(ring.current)
    sealed = ring.ciphers[ring.current].encrypt(nonce, _pad(text.encode("utf-8")), header)
    return header.decode("ascii") + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def stored_key_id(token: str) -> str | None:
    """The id of the key a stored value was encrypted with, or None if it is not ours."""
    parts = token.split(":", 2) if isinstance(token, str) else []
    if len(parts) != 3 or parts[0] != VERSION:
        return None
    return parts[1]


def decrypt(token: str) -> str:
    """Decrypt a stored value with whichever configured key made it."""
    ring = keyring()
    kid = stored_key_id(token)
    if kid is None:
        raise DecryptionError("The stored value is not an encrypted value.")
    cipher = ring.ciphers.get(kid)
    if cipher is None:
        raise DecryptionError(
            f"The stored value was encrypted with key {kid}, which is not in {KEYS_VARIABLE}."
        )
    try:
        blob = _b64decode(token.split(":", 2)[2])
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError("The stored value is corrupt.") from exc
    if len(blob) < NONCE_BYTES + 16:
        raise DecryptionError("The stored value is corrupt.")
    try:
        padded = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _header(kid))
    except InvalidTag as exc:
        raise DecryptionError("The stored value is corrupt or was altered.") from exc
    try:
        return _unpad(padded).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecryptionError("The decrypted value is not text.") from exc


# --- fields -------------------------------------------------------------------------------------


class _EncryptedMixin:
    """Encrypts on the way to the database, decrypts on the way back, refuses lookups.

    The column is text (ciphertext), whatever the Python value is."""

    description = "Encrypted value"
    allowed_lookups = frozenset({"isnull"})

    def get_internal_type(self):
        return "TextField"

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        for flag, wanted in (
            ("a primary key", self.primary_key),
            ("unique", self._unique),
            ("indexed", self.db_index),
        ):
            if wanted:
                errors.append(
                    checks.Error(
                        f"An encrypted field cannot be {flag}: its values are random "
                        "ciphertext, so the database cannot compare them.",
                        obj=self,
                        id="himaya.E101",
                    )
                )
        return errors

    def get_lookup(self, lookup_name):
        # filter(secret="x") would compare with a fresh random ciphertext and never match; say
        # so instead of silently returning nothing.
        if lookup_name not in self.allowed_lookups:
            return None
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        return None

    def to_plaintext(self, value) -> str:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def from_plaintext(self, text: str):  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return encrypt(self.to_plaintext(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self.from_plaintext(decrypt(value))


class EncryptedTextField(_EncryptedMixin, models.TextField):
    """Text kept encrypted in the database. Not searchable, not orderable."""

    def to_plaintext(self, value) -> str:
        return str(value)

    def from_plaintext(self, text: str) -> str:
        return text


class EncryptedJSONField(_EncryptedMixin, models.TextField):
    """JSON-serialisable data (dicts, lists, numbers, dates via DjangoJSONEncoder) kept encrypted.

    Stored as encrypted JSON text, so none of JSONField's key lookups exist."""

    description = "Encrypted JSON"
    empty_values = [None]

    def __init__(self, *args, encoder=DjangoJSONEncoder, **kwargs):
        self.encoder = encoder
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not DjangoJSONEncoder:
            kwargs["encoder"] = self.encoder
        return name, path, args, kwargs

    def to_python(self, value):
        return value

    def to_plaintext(self, value) -> str:
        return json.dumps(value, cls=self.encoder, ensure_ascii=False, sort_keys=True)

    def from_plaintext(self, text: str):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise DecryptionError("The decrypted value is not JSON.") from exc

    def value_to_string(self, obj):
        return self.value_from_object(obj)

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(
            **{"form_class": forms.JSONField, "encoder": self.encoder, **kwargs}
        )


ENCRYPTED_FIELD_TYPES = (EncryptedTextField, EncryptedJSONField)


# --- rotation -----------------------------------------------------------------------------------


def encrypted_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, _EncryptedMixin) and f.model is model
    ]


def models_with_encrypted_fields(app_registry=None) -> Iterator[tuple[type[models.Model], list]]:
    """Every concrete model (with a table of its own) that has encrypted columns."""
    if app_registry is None:
        from django.apps import apps as app_registry
    for model in app_registry.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        fields = encrypted_fields(model)
        if fields:
            yield model, fields


def rotate_model(model, fields: Iterable[models.Field], *, batch_size: int = 500) -> int:
    """Re-encrypt with the current key every row of `model` whose encrypted columns are not all on
    it yet. Returns the number of rows rewritten. Each batch is one transaction that locks its
    rows (PostgreSQL), so an edit made meanwhile is neither lost nor overwritten."""
    fields = list(fields)
    current = f"{VERSION}:{current_key_id()}:"
    names = [f.name for f in fields]
    manager = model._base_manager
    raw = {f"_raw_{f.attname}": Cast(f.attname, models.TextField()) for f in fields}
    stale = models.Q()
    for alias in raw:
        stale |= models.Q(**{f"{alias}__isnull": False}) & ~models.Q(
            **{f"{alias}__startswith": current}
        )
    rotated = 0
    last_pk = None
    while True:
        with transaction.atomic(using=manager.db):
            rows = manager.annotate(**raw).filter(stale).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.select_for_update().only("pk", *names)[:batch_size])
            if not batch:
                return rotated
            # Reading decrypted every value (or raised DecryptionError: nothing is rewritten
            # from a value we cannot read); saving encrypts them again with the first key.
            manager.bulk_update(batch, names)
        rotated += len(batch)
        last_pk = batch[-1].pk


def rotate_all(*, app_registry=None, batch_size: int = 500) -> dict[str, int]:
    """Re-encrypt every encrypted field of every model; {model label: rows rewritten}."""
    rotated = {}
    for model, fields in models_with_encrypted_fields(app_registry):
        try:
            rotated[model._meta.label] = rotate_model(model, fields, batch_size=batch_size)
        except DecryptionError as exc:
            raise DecryptionError(f"{model._meta.label}: {exc}") from exc
    return rotated


@checks.register(checks.Tags.security, deploy=True)
def check_keys_for_encrypted_fields(app_configs=None, **kwargs):
    """`himaya check --deploy`: models with encrypted fields need a valid key configured."""
    if not any(True for _ in models_with_encrypted_fields()):
        return []
    try:
        keyring()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="himaya.E102")]
    return []
