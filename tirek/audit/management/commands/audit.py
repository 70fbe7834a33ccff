"""``tirek audit verify | checkpoint``"""

from django.core.management.base import BaseCommand, CommandError

from tirek.audit import canonical
from tirek.audit.log import checkpoint
from tirek.audit.verify import BATCH_SIZE, verify_trail


class Command(BaseCommand):
    help = "Verify the audit trail and its signed checkpoints, or sign a checkpoint now."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify", help="check every entry's hash and link and every checkpoint's signature"
        )
        verify.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        actions.add_parser(
            "checkpoint", help="sign the current end of the trail (run from cron, for example)"
        )

    def handle(self, *args, action: str, **options):
        if action == "checkpoint":
            self._checkpoint()
        else:
            self._verify(options["batch_size"])

    def _checkpoint(self) -> None:
        point = checkpoint()
        if point is None:
            self.stdout.write("Nothing to sign: the trail is empty or its end is already signed.")
            return
        # One line to keep outside the database: it pins the trail up to here.
        self.stdout.write(
            canonical.canonical_bytes(point.document() | {"signature": point.signature}).decode()
        )

    def _verify(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        report = verify_trail(batch_size=batch_size)
        for problem in report.checkpoint_problems:
            self.stderr.write(problem)
        if report.problem is not None:
            self.stderr.write(f"First broken entry: {report.problem}")
        summary = f"entries={report.entries} checkpoints={report.checkpoints}"
        if not report.ok:
            raise CommandError(f"The audit trail has been tampered with ({summary} verified).")
        self.stdout.write(self.style.SUCCESS(f"The audit trail is intact: {summary} verified."))
