"""Model fields that keep identity and location data encrypted at rest.

A model protects a value by declaring it, nothing more::

    class Person(ProtectedRecord):
        full_name = EncryptedTextField(_("full name"))
        full_name_index = BlindIndexField(source="full_name", domain="person-name")

- The column holds only the sealed value (tirek.lib.crypto); reading the
  attribute decrypts it on first access, writing it stores the plaintext in
  memory until ``save()`` seals it.
- ``values()``, ``values_list()``, serialisers that read columns, dumps and
  backups see only ciphertext.
- Filtering on an encrypted field is refused: search through its blind index
  (``Person.objects.matching(full_name=...)``).
- The associated data binds each value to its column and its row's random
  ``record_key``, so values cannot be swapped between columns or people.
"""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.core import checks
from django.db import models

from tirek.lib.crypto import blind_index, key_id_of, normalise, seal, unseal
from tirek.protection.keys import keyring


class Sealed:
    """A value as stored: ciphertext, not yet opened."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return "<Sealed>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sealed) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class _SealedAttribute:
    """Decrypts lazily, once per instance; the plaintext never goes back to the DB."""

    def __init__(self, field: "EncryptedField") -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        attname = self.field.attname
        if attname not in instance.__dict__:
            instance.refresh_from_db(fields=[attname])
        value = instance.__dict__[attname]
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[attname] = value
            instance.__dict__[self.field.sealed_cache_name] = True
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value
        instance.__dict__.pop(self.field.sealed_cache_name, None)


class EncryptedField(models.TextField):
    """Base for encrypted fields; subclasses say how a value becomes text."""

    description = "An encrypted value (AES-256-GCM, key outside the database)"

    def encode(self, value: Any) -> str:
        raise NotImplementedError

    def decode(self, text: str) -> Any:
        raise NotImplementedError

    # --- Django's field protocol --------------------------------------------

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.attname, _SealedAttribute(self))

    @property
    def sealed_cache_name(self) -> str:
        return f"_{self.attname}_opened"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return Sealed(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        if isinstance(value, Sealed):
            return value.text
        raise TypeError(
            f"{self.model._meta.label}.{self.name} is encrypted: it is written only by "
            "save() and cannot be searched; look it up through its blind index"
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if value is None or value == "" or isinstance(value, Sealed):
            return value
        return Sealed(seal(keyring(), self.encode(value), aad=self.aad(model_instance)))

    def value_to_string(self, obj: models.Model) -> str:
        raw = obj.__dict__.get(self.attname)
        return raw.text if isinstance(raw, Sealed) else ""

    def get_lookup(self, lookup_name: str):
        if lookup_name != "isnull":
            return None  # "Unsupported lookup": an encrypted value cannot be compared
        return super().get_lookup(lookup_name)

    # --- Tirek --------------------------------------------------------------

    def aad(self, instance: models.Model) -> str:
        return f"{instance._meta.label_lower}.{self.name}:{instance.record_key}"

    def open(self, instance: models.Model, sealed: Sealed) -> Any:
        ring = keyring()
        if key_id_of(sealed.text) not in ring.keys:
            ring = keyring(fresh=True)  # rotated by another process a moment ago
        return self.decode(unseal(ring, sealed.text, aad=self.aad(instance)))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if not any(f.name == "record_key" for f in self.model._meta.get_fields()):
            errors.append(
                checks.Error(
                    f"{self.model._meta.label} has an encrypted field but no record_key; "
                    "inherit from tirek.protection.fields.ProtectedRecord",
                    obj=self,
                    id="tirek.E001",
                )
            )
        return errors


class EncryptedTextField(EncryptedField):
    def encode(self, value: Any) -> str:
        return str(value)

    def decode(self, text: str) -> str:
        return text


class EncryptedDateField(EncryptedField):
    def encode(self, value: Any) -> str:
        if not isinstance(value, datetime.date):
            raise TypeError(f"{self.name} needs a date, got {type(value).__name__}")
        return value.isoformat()

    def decode(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def formfield(self, **kwargs: Any):
        from django import forms

        return forms.DateField(**{"required": not self.blank, "label": self.verbose_name} | kwargs)


class BlindIndexField(models.CharField):
    """A keyed hash of another (encrypted) field, for exact lookups only."""

    def __init__(
        self,
        *args: Any,
        source: str = "",
        domain: str = "",
        normaliser: Callable[[str], str] = normalise,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.domain = domain
        self.normaliser = normaliser
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["domain"] = self.domain
        for default in ("max_length", "db_index", "editable", "blank"):
            kwargs.pop(default, None)
        return name, path, args, kwargs

    def index_of(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        text = value.isoformat() if isinstance(value, datetime.date) else str(value)
        return blind_index(keyring(), self.domain, self.normaliser(text))

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        digest = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, digest)
        return digest


class ProtectedQuerySet(models.QuerySet):
    def matching(self, **values: Any) -> "ProtectedQuerySet":
        """Exact match on encrypted fields, through their blind indexes."""
        indexes = {
            field.source: field
            for field in self.model._meta.concrete_fields
            if isinstance(field, BlindIndexField)
        }
        filters = {}
        for source, value in values.items():
            if source not in indexes:
                raise ValueError(f"{source} has no blind index to search by")
            filters[indexes[source].attname] = indexes[source].index_of(value)
        return self.filter(**filters)


class ProtectedRecord(models.Model):
    """Base for models holding encrypted fields.

    ``record_key`` is a random identifier bound into every sealed value of the
    row. ``save()`` keeps blind indexes in step with their sources when only
    some fields are saved — the one reason this base overrides it.
    """

    record_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, update_fields: Any = None, **kwargs: Any) -> None:
        if update_fields is not None:
            update_fields = set(update_fields)
            update_fields |= {
                field.name
                for field in self._meta.concrete_fields
                if isinstance(field, BlindIndexField) and field.source in update_fields
            }
        super().save(*args, update_fields=update_fields, **kwargs)

    @classmethod
    def encrypted_fields(cls) -> list[EncryptedField]:
        return [f for f in cls._meta.concrete_fields if isinstance(f, EncryptedField)]
