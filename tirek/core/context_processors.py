from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tirek.accounts.roles import Role
from tirek.analysis.access import ANALYSIS_ROLES


def navigation(request: HttpRequest) -> dict[str, object]:
    """The main menu: only what the signed-in user's roles can open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = [(reverse("core:home"), _("Home"))]
    if Role.COORDINATOR in user.roles:
        items.append((reverse("assignment:board"), _("Board")))
        items.append((reverse("assignment:requests"), _("Requests")))
        items.append((reverse("nrm:duplicates"), _("Possible duplicates")))
    if Role.LAWYER in user.roles:
        items.append((reverse("assignment:offers"), _("Offers")))
    if Role.LAWYER in user.roles or Role.COORDINATOR in user.roles:
        items.append((reverse("cases:list"), _("Cases")))
    if Role.COORDINATOR in user.roles:
        items.append((reverse("registry:list"), _("Register of lawyers")))
    elif Role.LAWYER in user.roles:
        items.append((reverse("registry:mine"), _("My register entry")))
    if Role.CASEWORKER in user.roles:
        items.append((reverse("people:list"), _("People")))
        items.append((reverse("nrm:referrals"), _("Referrals")))
    if Role.ADMINISTRATOR in user.roles:
        items.append((reverse("accounts:user-list"), _("Users")))
        items.append((reverse("accounts:organisation-list"), _("Organisations")))
        items.append((reverse("people:break-glass"), _("Emergency access")))
    if not user.roles.isdisjoint(ANALYSIS_ROLES):
        items.append((reverse("analysis:page"), _("Legal analysis")))
    items.append((reverse("accounts:profile"), _("My account")))
    current = request.path
    return {
        "navigation": [
            {
                "url": url,
                "label": label,
                "current": url == current or (url != "/" and current.startswith(url)),
            }
            for url, label in items
        ]
    }
