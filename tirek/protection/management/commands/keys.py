"""``tirek keys status | rotate | reencrypt | retire KEY``"""

from django.core.management.base import BaseCommand, CommandError

from tirek.audit.log import audit
from tirek.lib.crypto import KeyringError
from tirek.protection.keys import keyring, replace_keyring
from tirek.protection.rotation import keys_in_use, reencrypt


class Command(BaseCommand):
    help = "Manage the keys that encrypt identity data."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("status", help="which keys exist and how many values each sealed")
        rotate = actions.add_parser(
            "rotate", help="add a new primary key and re-encrypt every value under it"
        )
        rotate.add_argument("--batch-size", type=int, default=500)
        again = actions.add_parser(
            "reencrypt", help="re-encrypt values still under an older key (resumable)"
        )
        again.add_argument("--batch-size", type=int, default=500)
        retire = actions.add_parser("retire", help="remove a key no value uses any more")
        retire.add_argument("key_id")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except (KeyringError, RuntimeError) as error:
            raise CommandError(str(error)) from None

    def _status(self, **options):
        ring = keyring()
        counts = keys_in_use()
        for key_id in sorted(ring.keys):
            marker = " (primary)" if key_id == ring.primary else ""
            self.stdout.write(f"{key_id}{marker}: {counts.pop(key_id, 0)} values")
        for missing, count in sorted(counts.items()):
            self.stdout.write(self.style.ERROR(f"{missing} (NOT IN THE KEY RING): {count} values"))

    def _rotate(self, *, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        new = keyring().with_new_primary()
        replace_keyring(new)
        audit(actor=None, action="keys.rotate", changes={"primary": [None, new.primary]})
        self.stdout.write(f"New primary key {new.primary}; re-encrypting…")
        self._reencrypt(batch_size=batch_size)

    def _reencrypt(self, *, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        rows = reencrypt(batch_size=batch_size)
        audit(actor=None, action="keys.reencrypt", changes={"rows": [None, rows]})
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {rows} rows."))
        self._status()

    def _retire(self, *, key_id: str, **options):
        in_use = keys_in_use().get(key_id, 0)
        if in_use:
            raise CommandError(
                f"{in_use} values are still sealed with {key_id}; run `tirek keys reencrypt` first"
            )
        replace_keyring(keyring().without(key_id))
        audit(actor=None, action="keys.retire", changes={"key": [key_id, None]})
        self.stdout.write(self.style.SUCCESS(f"Key {key_id} retired."))
