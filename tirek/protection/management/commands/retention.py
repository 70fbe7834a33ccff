"""``tirek retention run [--dry-run]`` and ``tirek retention erase-person KEY --reason …``"""

import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tirek.protection.retention import person_erase, retention_run


class Command(BaseCommand):
    help = "Erase what has outlived its retention period, or one person on request."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        run = actions.add_parser("run", help="erase expired records (see docs/security.md)")
        run.add_argument("--dry-run", action="store_true", help="only list what is due")
        erase = actions.add_parser("erase-person", help="erase one person's identity on request")
        erase.add_argument("record_key", help="the person's record key (a UUID)")
        erase.add_argument("--reason", required=True, help="why, e.g. the person's request")

    def handle(self, *args, action: str, **options):
        if action == "run":
            self._run(dry_run=options["dry_run"])
        else:
            self._erase(options["record_key"], options["reason"])

    def _run(self, *, dry_run: bool):
        report = retention_run(dry_run=dry_run)
        for kind, count in report.due.items():
            done = "" if dry_run else f", erased {report.erased.get(kind, 0)}"
            self.stdout.write(f"{kind}: due {count}{done}")
        self.stdout.write(f"person under legal hold (kept): {report.held}")
        if dry_run:
            self.stdout.write("Dry run: nothing was erased.")

    def _erase(self, record_key: str, reason: str):
        from tirek.people.models import Person

        try:
            key = uuid.UUID(record_key)
        except ValueError:
            raise CommandError(f"{record_key!r} is not a record key (a UUID)") from None
        if len(reason.strip()) < 10:
            raise CommandError("--reason must say why, in at least 10 characters")
        person = Person.objects.filter(record_key=key).first()
        if person is None:
            raise CommandError("no person has this record key")
        try:
            erased = person_erase(actor=None, person=person, reason=reason.strip())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Erasure report for person {key}:")
        self.stdout.write(f"  erased: {', '.join(erased) or 'nothing (already erased)'}")
        self.stdout.write("  kept: the record key, sex, registering organisation, consents and")
        self.stdout.write("        sharing history (no identity), and the audit trail (no values)")
