"""``tirek evidence verify BUNDLE [--public-key FILE | --embedded-key] | key``

``verify`` checks a bundle offline (no database needed) and exits 0 when it
is intact, 1 when anything is altered, missing or extra or the signature
fails, 2 when it cannot be read at all (no such file, not a ZIP) or the
command is misused. Which key it trusts:

- ``--public-key FILE``: that key (a PEM as in a bundle, or a public keys
  file): proves who made the bundle;
- otherwise the configured public keys (``TIREK_EVIDENCE_PUBLIC_KEYS``), if
  that file exists: the same;
- otherwise, or with ``--embedded-key``, the key inside the bundle: proves
  only that nothing changed since it was signed, and prints the fingerprint
  to compare with the one the lawyer's office gives.

``key`` prints the public key bundles are signed with, and its fingerprint,
to hand to investigators and courts.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tirek.evidence.bundle import BundleUnreadable, verify_bundle
from tirek.evidence.signing import (
    configured_public_keys_path,
    fingerprint,
    load_public_keys,
    public_key_pem,
    readable_fingerprint,
    signing_key,
    trusted_keys,
)

USAGE = 2  # the exit status of a command that could not even start checking


class Command(BaseCommand):
    help = "Check an evidence bundle offline, or show the key bundles are signed with."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify", help="check a bundle's signature and every file's SHA-256 and size"
        )
        verify.add_argument("bundle", metavar="BUNDLE", help="the .zip file")
        trust = verify.add_mutually_exclusive_group()
        trust.add_argument(
            "--public-key",
            metavar="FILE",
            help="the signing key obtained from the lawyer's office (PEM or public keys file)",
        )
        trust.add_argument(
            "--embedded-key",
            action="store_true",
            help="check against the key inside the bundle only (integrity, not origin)",
        )
        actions.add_parser("key", help="print the public key bundles are signed with")

    def handle(self, *args, action: str, **options):
        if action == "key":
            self._key()
        else:
            self._verify(options["bundle"], options["public_key"], options["embedded_key"])

    def _key(self) -> None:
        public = signing_key().public_key()
        self.stdout.write(public_key_pem(public).decode("ascii").rstrip())
        self.stdout.write(_("Fingerprint (SHA-256): %(fingerprint)s") % _printed(public))

    def _verify(self, path: str, public_key: str | None, embedded_only: bool) -> None:
        trusted, source = self._trusted(public_key, embedded_only)
        try:
            report = verify_bundle(Path(path), trusted)
        except BundleUnreadable as error:
            raise CommandError(str(error), returncode=USAGE) from None
        for problem in report.problems:
            self.stdout.write(str(problem))
        for label, reason in report.not_included:
            self.stdout.write(
                _("NOT INCLUDED when the bundle was made: file %(file)s: %(reason)s")
                % {"file": label, "reason": reason}
            )
        about = _("case %(case)s, made %(when)s by %(who)s, %(files)s files checked") % {
            "case": report.case_number or "?",
            "when": report.created_at or "?",
            "who": report.created_by or "?",
            "files": report.files_checked,
        }
        if not report.ok:
            raise CommandError(
                _("The bundle has been altered or is incomplete: %(count)s problems (%(about)s).")
                % {"count": len(report.problems), "about": about}
            )
        self.stdout.write(
            self.style.SUCCESS(_("The bundle is intact (%(about)s).") % {"about": about})
        )
        printed = readable_fingerprint(report.fingerprint)
        if report.origin_proven:
            self.stdout.write(
                _("Signed with the trusted key %(fingerprint)s (%(source)s).")
                % {"fingerprint": printed, "source": source}
            )
        else:
            self.stdout.write(
                _(
                    "Checked against the key inside the bundle: this proves that nothing changed "
                    "after it was signed, NOT who made it. Compare this fingerprint with the one "
                    "the lawyer's office gives you (it is printed on the list of evidence): "
                    "%(fingerprint)s"
                )
                % {"fingerprint": printed}
            )

    def _trusted(self, public_key: str | None, embedded_only: bool):
        if embedded_only:
            return None, ""
        if public_key:
            try:
                return load_public_keys(Path(public_key)), public_key
            except FileNotFoundError:
                raise CommandError(
                    _("%(path)s: no such file") % {"path": public_key}, returncode=USAGE
                ) from None
            except (ValueError, OSError) as error:
                raise CommandError(str(error), returncode=USAGE) from None
        try:
            configured = trusted_keys()
        except ValueError as error:
            raise CommandError(str(error), returncode=USAGE) from None
        if configured:
            return configured, str(configured_public_keys_path())
        return None, ""


def _printed(public) -> dict:
    return {"fingerprint": readable_fingerprint(fingerprint(public))}
