"""What the person page shows of identification and referral."""

from tirek.accounts.roles import Role


def person_nrm(person, user) -> dict:
    """Screenings, decisions on status, referrals and requests for the person
    page. Only the registering organisation's caseworkers see them: a
    provider that received the person sees what a referral carried, no more."""
    if not (Role.CASEWORKER in user.roles and person.organisation_id == user.organisation_id):
        return {"nrm": None}
    return {
        "nrm": {
            "screenings": list(person.screenings.select_related("screened_by", "organisation")),
            "decisions": list(person.status_decisions.select_related("recorded_by")),
            "referrals": list(
                person.referrals.select_related("to_organisation").order_by("-sent_at")
            ),
            "requests": list(
                person.legal_aid_requests.select_related("legal_aid_office", "case").order_by(
                    "-received_at"
                )
            ),
        }
    }
