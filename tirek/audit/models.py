"""The audit trail: an append-only, hash-chained list of events.

Rows are written only by ``tirek.audit.log.audit`` and never changed. The ORM
refuses updates and deletes here; on PostgreSQL a trigger refuses them in the
database as well, and on SQLite a trigger refuses updates (deletes stay
possible there because Django's test flush deletes every row). What neither
can stop, an owner of the database editing rows by hand, ``tirek audit
verify`` detects.

The actor is a plain integer, not a foreign key: deleting or renumbering a
user must not be able to change (``SET_NULL``) or block (``PROTECT``) what
the trail says about them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tirek.audit import canonical


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit row through the ORM."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows are never updated")

    def delete(self):
        raise AppendOnlyError("audit rows are never deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit rows are never updated")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("audit rows are appended one by one by tirek.audit.log")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("audit rows are never updated")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit rows are never updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows are never deleted")


class AuditEvent(AppendOnlyModel):
    # Assigned under the chain lock: 1, 2, 3, … with no gaps. Being the
    # primary key, a second row with the same number cannot exist.
    sequence = models.PositiveBigIntegerField(_("sequence number"), primary_key=True)
    created_at = models.DateTimeField(_("when"))
    actor_id = models.PositiveBigIntegerField(_("user id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("record type"), max_length=100, blank=True)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    fields = models.JSONField(_("fields"), default=list)
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    address = models.CharField(_("address"), max_length=64, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "-sequence"], name="audit_event_target"
            ),
            models.Index(fields=["actor_id", "-sequence"], name="audit_event_actor"),
        ]
        constraints = [
            # Each entry can be the successor of only one: the chain cannot fork
            # even if the lock were somehow bypassed.
            models.UniqueConstraint(fields=["previous_hash"], name="audit_event_no_fork"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def document(self) -> dict:
        """The canonical content this entry's hash covers."""
        return canonical.entry_document(
            sequence=self.sequence,
            created_at=self.created_at,
            actor_id=self.actor_id,
            action=self.action,
            target_type=self.target_type,
            target_id=self.target_id,
            fields=self.fields,
            changes=self.changes,
            reason=self.reason,
            address=self.address,
            previous_hash=self.previous_hash,
        )

    def computed_hash(self) -> str:
        return canonical.sha256_hex(self.document())


class AuditCheckpoint(AppendOnlyModel):
    """A signed statement "the trail had ``sequence`` entries ending in ``entry_hash``"."""

    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    entry_hash = models.CharField(_("hash"), max_length=64)
    created_at = models.DateTimeField(_("when"))
    key_id = models.CharField(_("key id"), max_length=32)
    signature = models.CharField(_("signature"), max_length=128)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"checkpoint #{self.sequence}"

    def document(self) -> dict:
        return canonical.checkpoint_document(
            sequence=self.sequence,
            entry_hash=self.entry_hash,
            created_at=self.created_at,
            key_id=self.key_id,
        )
