from rest_framework import authentication


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session auth, naming a scheme so refusals answer 401, not 403."""

    def authenticate_header(self, request) -> str:
        return 'Session realm="api"'
