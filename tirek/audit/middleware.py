"""Makes the client's address known to ``audit`` during a request.

Actions such as ``user_update`` are not handed the request (they are also
called by commands and the API), yet their audit events must say where the
change came from. This middleware puts the address (as resolved by
``client_address``, trusting only our own proxies) in a context variable for
the duration of the request; ``audit`` uses it when no address is given.
"""

from django.http import HttpRequest, HttpResponse

from tirek.audit.log import current_address
from tirek.core.client_address import client_address


class AuditAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_address.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_address.reset(token)
