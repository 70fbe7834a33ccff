"""Teaches the OpenAPI generator about Tirek's own authentication class."""

from drf_spectacular.authentication import SessionScheme


class TirekSessionScheme(SessionScheme):
    target_class = "tirek.core.api_auth.SessionAuthentication"
