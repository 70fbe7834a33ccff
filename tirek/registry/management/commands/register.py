"""``tirek register import FILE [--dry-run]`` and ``tirek register export FILE``"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tirek.audit.log import audit
from tirek.registry import transfer
from tirek.registry.models import RegisterEntry


class Command(BaseCommand):
    help = "Import or export the register of lawyers (CSV or XLSX)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser(
            "import", help="check a whole file, then write it (nothing when it has an error)"
        )
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        save = actions.add_parser("export", help="write the whole register to FILE.csv|FILE.xlsx")
        save.add_argument("file")

    def handle(self, *args, action: str, file: str, **options):
        getattr(self, f"_{action}")(Path(file), **options)

    def _import(self, path: Path, *, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(_("No such file: %s") % path)
        if path.stat().st_size > transfer.max_bytes():
            raise CommandError(
                _("The file is larger than %(size)d MB. Split it into smaller files.")
                % {"size": transfer.max_bytes() // (1024 * 1024)}
            )
        try:
            result = transfer.import_file(
                actor=None, name=path.name, data=path.read_bytes(), dry_run=dry_run
            )
        except ValidationError as error:  # changed by someone between check and write
            raise CommandError(" ".join(error.messages)) from None
        except transfer.FileRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("The file is rejected: %(count)d errors. Nothing was written.")
                % {"count": len(rejected.errors)}
            ) from None
        summary = _("New entries: %(created)d; changed: %(updated)d; unchanged: %(unchanged)d.") % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if dry_run:
            summary += " " + _("Nothing was written (dry run).")
        self.stdout.write(self.style.SUCCESS(summary))

    def _export(self, path: Path, **options):
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(_("Give a .csv or .xlsx file."))
        entries = RegisterEntry.objects.select_related("lawyer").order_by("licence_number")
        path.write_bytes(transfer.export(entries, path.name))
        count = entries.count()
        audit(
            actor=None,
            action="register.export",
            target_type="registry.registerentry",
            changes={"format": [None, path.suffix.lower().lstrip(".")], "rows": [None, count]},
        )
        self.stdout.write(self.style.SUCCESS(_("%(count)d entries written.") % {"count": count}))
