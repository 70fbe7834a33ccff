"""The OpenAPI schema and its documentation page, open to read without signing in:
they describe the interface and hold no data."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tirek.protection.policy import PUBLIC


class SchemaView(SpectacularAPIView):
    route_access = PUBLIC
    authentication_classes: list = []


class DocumentationView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored sidecar; the script comes as a separate
    request so the page needs no inline script or style."""

    route_access = PUBLIC
    authentication_classes: list = []
    template_name = "core/api_docs.html"
