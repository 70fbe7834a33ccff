"""The real routes plus one that fails, to see what a user gets from a bug."""

from django.urls import include, path

from tirek.protection.policy import PUBLIC, route_access
from tirek.urls import handler400, handler403, handler404, handler500  # noqa: F401


@route_access(PUBLIC)
def boom(request):
    secret = "Victim Name In A Local Variable"  # noqa: F841  must never be shown
    raise RuntimeError("database said: duplicate value 'Victim Name'")


def undeclared(request):
    """A view whose author forgot to declare who may use it."""
    from django.http import HttpResponse

    return HttpResponse("secret content")


urlpatterns = [
    path("", include("tirek.urls")),
    path("boom/", boom),
    path("api/v1/boom/", boom),
    path("undeclared/", undeclared),
]
