"""The client's network address, trusting only our own reverse proxies."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the entry our N-th proxy added to X-Forwarded-For.

    Each proxy appends the address it received the request from; a client can
    write anything to the left of those. So with N trusted proxies the N-th
    entry from the right is the real client, and anything further left is
    ignored.
    """
    proxies = settings.TIREK_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
