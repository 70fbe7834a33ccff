"""``tirek reminders send``: e-mail each lawyer their near and overdue deadlines."""

from django.core.management.base import BaseCommand

from tirek.cases.reminders import reminders_send


class Command(BaseCommand):
    help = "Send deadline reminders by e-mail (run daily from cron or a systemd timer)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("send", help="send today's reminders (safe to run twice)")

    def handle(self, *args, action: str, **options):
        count = reminders_send()
        self.stdout.write(f"Reminded {count} deadlines.")
