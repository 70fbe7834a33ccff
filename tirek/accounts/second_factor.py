"""The second factor: an authenticator app (TOTP) and single-use recovery codes.

Every account needs one (SECURITY.md 6.5; ASVS 6.3.3). Writes here follow
the actions' rules: keyword-only, atomic, audited.

- ``totp_enrolment_start`` gives the user a pending device whose secret
  (encrypted at rest) they add to their app; ``totp_enrolment_confirm`` makes
  it their device once they type a code from it, replaces any older one and
  returns fresh recovery codes to show once.
- ``totp_check`` and ``recovery_code_use`` check what the user types at
  sign-in and at re-authentication. Both lock the device row (concurrent
  guesses cannot race the replay and throttle state) and raise
  ``SecondFactorThrottled`` while wrong codes have slowed attempts down.
- Recovery codes: 10 codes of 10 Crockford base32 characters (50 bits each,
  ASVS 6.5.4 asks for at least 20), kept only as Argon2 hashes, each usable
  once.
"""

import base64
import math
import secrets
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tirek.accounts.models import RecoveryCode, TotpDevice, User
from tirek.audit.log import audit

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# Crockford's base32: no I, L, O or U, so nothing is misread; 5 bits a letter.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


class SecondFactorThrottled(Exception):
    """Too many wrong codes: the next attempt must wait ``seconds``."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


def throttled_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


# --- Reads -----------------------------------------------------------------------


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def has_confirmed_device(user: User) -> bool:
    return TotpDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return user.recovery_codes.filter(used_at__isnull=True).count()


def otpauth_uri(*, username: str, secret: str, issuer: str | None = None) -> str:
    """The key URI authenticator apps import (Google's "Key Uri Format")."""
    issuer = (issuer or settings.TIREK_TOTP_ISSUER).replace(":", "")
    parameters = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": TotpDevice.DIGITS,
            "period": TotpDevice.STEP,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{quote(f'{issuer}:{username}')}?{parameters}"


def device_otpauth_uri(device: TotpDevice) -> str:
    return otpauth_uri(username=device.user.get_username(), secret=device.secret)


def qr_code_svg(text: str, *, title: str) -> str:
    """An inline SVG QR code: drawn on the server, no script and no style attribute."""
    code = segno.make(text, error="m", micro=False)
    return code.svg_inline(
        scale=4,
        border=4,
        light="#fff",
        dark="#000",
        svgclass="qr-code",
        lineclass=None,
        title=title,
    )


def grouped(text: str, size: int = 4) -> str:
    """``ABCDEFGH`` → ``ABCD EFGH``, for reading a secret aloud or typing it."""
    return " ".join(text[start : start + size] for start in range(0, len(text), size))


# --- Enrolment -------------------------------------------------------------------


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TotpDevice:
    """The user's pending device; the same one until confirmed (a reload keeps the QR)."""
    pending = TotpDevice.objects.devices_for_user(user, confirmed=False).first()
    if pending is not None:
        return pending
    return TotpDevice.objects.create(
        user=user, name=_("Authenticator app"), confirmed=False, secret=new_secret()
    )


@transaction.atomic
def totp_enrolment_confirm(*, device: TotpDevice, code: str) -> list[str] | None:
    """Confirm the pending device with a code from it.

    Returns the new recovery codes (to show once), or ``None`` for a wrong
    code. Any other device of the user is removed: sessions verified with it
    stop counting as verified.
    """
    device = _locked(device)
    if not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TotpDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    from tirek.accounts.actions import api_tokens_revoke

    api_tokens_revoke(user=device.user)  # tokens issued with the old authenticator
    codes = _recovery_codes_replace(user=device.user)
    audit(actor=device.user, action="second_factor.enrol", target=device.user)
    return codes


# --- Checking what the user types ----------------------------------------------------


def totp_check(*, user: User, code: str) -> TotpDevice | None:
    """The user's device if ``code`` is a valid, unused code from it."""
    with transaction.atomic():
        device = _locked_confirmed_device(user)
        if device is None:
            return None
        return device if device.verify_token(code) else None


def recovery_code_use(*, user: User, code: str) -> TotpDevice | None:
    """Spend one recovery code; the user's device (to sign in with) if it was valid.

    Wrong recovery codes count towards the same throttle as wrong app codes.
    """
    wanted = normalise_recovery_code(code)
    with transaction.atomic():
        device = _locked_confirmed_device(user)
        if device is None:
            return None
        unused = RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True)
        match = None
        if len(wanted) == RECOVERY_CODE_LENGTH:
            match = next((rc for rc in unused if check_password(wanted, rc.code_hash)), None)
        if match is None:
            device.throttle_increment(commit=False)
            device.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
            return None
        match.used_at = timezone.now()
        match.save(update_fields=["used_at"])
        device.throttle_reset(commit=False)
        device.save(update_fields=["throttling_failure_timestamp", "throttling_failure_count"])
        audit(actor=user, action="second_factor.recovery_code_use", target=user)
        return device


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Replace the user's recovery codes (old ones stop working); show the new ones once."""
    codes = _recovery_codes_replace(user=user)
    audit(actor=user, action="second_factor.recovery_codes_regenerate", target=user)
    return codes


def normalise_recovery_code(code: str) -> str:
    return "".join(code.upper().split()).replace("-", "").translate(_MISREAD)


def format_recovery_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


# --- Internals -------------------------------------------------------------------


def _recovery_codes_replace(*, user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=make_password(code, hasher="argon2")) for code in codes]
    )
    return [format_recovery_code(code) for code in codes]


def _locked(device: TotpDevice) -> TotpDevice:
    locked = TotpDevice.objects.select_for_update().get(pk=device.pk)
    _refuse_if_throttled(locked)
    return locked


def _locked_confirmed_device(user: User) -> TotpDevice | None:
    device = (
        TotpDevice.objects.devices_for_user(user, confirmed=True)
        .select_for_update()
        .order_by("-pk")
        .first()
    )
    if device is not None:
        _refuse_if_throttled(device)
    return device


def _refuse_if_throttled(device: TotpDevice) -> None:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = (details["locked_until"] - timezone.now()).total_seconds()
        raise SecondFactorThrottled(max(1, math.ceil(wait)))
