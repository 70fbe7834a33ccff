"""Small reads for the home pages."""

from tirek.accounts.roles import Role
from tirek.assignment.models import AssignmentState
from tirek.protection.access import legal_aid_requests_visible_to, offers_to


def home_summary(user) -> dict:
    summary = {}
    if Role.COORDINATOR in user.roles:
        summary["waiting_requests"] = legal_aid_requests_visible_to(user).waiting().count()
    if Role.LAWYER in user.roles:
        summary["waiting_offers"] = list(
            offers_to(user)
            .filter(state=AssignmentState.OFFERED)
            .select_related("request")
            .order_by("respond_by")[:10]
        )
    return summary
