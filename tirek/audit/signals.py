"""Signing in and out, recorded from Django's authentication signals.

Signals are the only place Django reports these; the receivers only record.
A failed attempt records the address and, if the name typed belongs to an
account, that account's id as the target: never the name typed (people type
their password into the name field) and never the password.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tirek.audit.log import audit, audit_request


@receiver(user_logged_in, dispatch_uid="tirek.audit.signed_in")
def record_sign_in(sender, request, user, **kwargs) -> None:
    audit_request(request, actor=user, action="session.sign_in", target=user)


@receiver(user_logged_out, dispatch_uid="tirek.audit.signed_out")
def record_sign_out(sender, request, user, **kwargs) -> None:
    if user is None or not user.is_authenticated:
        return
    audit_request(request, actor=user, action="session.sign_out", target=user)


@receiver(user_login_failed, dispatch_uid="tirek.audit.sign_in_failed")
def record_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    User = get_user_model()
    typed = credentials.get(User.USERNAME_FIELD)
    account_id = None
    if isinstance(typed, str) and typed:
        accounts = User._default_manager.filter(**{User.USERNAME_FIELD: typed})
        account_id = accounts.values_list("pk", flat=True).first()
    event = {
        "actor": None,
        "action": "session.sign_in_failed",
        "target_type": User._meta.label_lower if account_id else "",
        "target_id": account_id or "",
    }
    if request is None:
        audit(**event)
    else:
        audit_request(request, **event)
