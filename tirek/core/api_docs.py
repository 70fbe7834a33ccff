"""The OpenAPI schema and its documentation page, open to read without signing in:
they describe the interface and hold no data."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tirek.protection.policy import PUBLIC


class SchemaView(SpectacularAPIView):
    route_access = PUBLIC
    authentication_classes: list = []


class DocumentationView(SpectacularSwaggerSplitView):
    route_access = PUBLIC
    authentication_classes: list = []
