"""``tirek demo load | logins | code USERNAME | generate --scale NAME``"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tirek.core.demo import VOLUMES, DemoData, demo_generate, demo_load


class Command(BaseCommand):
    help = "Load the fictional demo data, print its logins, or generate volumes."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("load", help="load the demo (idempotent) and print the logins")
        actions.add_parser("logins", help="print how to sign in as each demo role")
        code = actions.add_parser("code", help="print a demo user's current second-factor code")
        code.add_argument("username", help="a demo user, e.g. demo-lawyer")
        generate = actions.add_parser("generate", help="generate volumes for benchmarks")
        generate.add_argument("--scale", choices=sorted(VOLUMES), default="small")

    def handle(self, *args, action: str, **options):
        if not settings.TIREK_DEMO_ALLOWED:
            raise CommandError(
                "Demo data has published passwords and is refused here. "
                "Set TIREK_DEMO_ALLOWED=1 only on a training or test server."
            )
        if action == "code":
            self._print_code(options["username"])
            return
        if action == "generate":
            volume = VOLUMES[options["scale"]]
            self.stdout.write(f"Generating the {volume.name} volume…")
            demo_generate(volume)
            self.stdout.write(self.style.SUCCESS("Done."))
            return
        demo = demo_load()
        if action == "load":
            self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self._print_logins(demo)

    def _print_logins(self, demo: DemoData) -> None:
        self.stdout.write("")
        self.stdout.write(f"Sign in at {settings.TIREK_SITE_URL}/accounts/login/ as:")
        width = max(len(login.username) for login in demo.logins)
        role_width = max(len(login.role) for login in demo.logins)
        for login in demo.logins:
            line = (
                f"  {login.role:<{role_width}}  user {login.username:<{width}}"
                f"  password {login.password}"
            )
            if login.note:
                line += f"  ({login.note})"
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(
            "Then the second step asks for a six-digit code. Print it with the command, "
            "or add the key URI to any authenticator app (the demo keys are published):"
        )
        for login in demo.logins:
            if login.code_command:
                self.stdout.write(f"  {login.username:<{width}}  {login.code_command}")
                self.stdout.write(f"  {'':<{width}}  {login.otpauth_uri}")
        self.stdout.write("")

    def _print_code(self, username: str) -> None:
        # Only the published demo keys: never a real user's secret.
        from tirek.accounts.demo import demo_totp_code, demo_usernames

        if username not in demo_usernames():
            raise CommandError(
                f"{username} is not a demo user; demo users are: {', '.join(demo_usernames())}"
            )
        code, seconds = demo_totp_code(username)
        self.stdout.write(code)
        self.stderr.write(f"(valid for another {seconds} s; each code is accepted once)")
