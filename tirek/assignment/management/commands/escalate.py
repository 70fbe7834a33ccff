"""``tirek escalate [--dry-run]``: escalate overdue referrals and offers (run every hour)."""

from django.core.management.base import BaseCommand

from tirek.assignment.escalation import escalate


class Command(BaseCommand):
    help = (
        "Escalate referrals not acknowledged in time and expire offers not answered "
        "in time, e-mailing the coordinators (safe to run twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="count what would be escalated and e-mailed; write and send nothing",
        )

    def handle(self, *args, dry_run: bool, **options):
        report = escalate(dry_run=dry_run)
        self.stdout.write(report.summary())
