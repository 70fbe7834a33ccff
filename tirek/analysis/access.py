"""Who may use the legal analysis.

The people who work on a victim's case or teach those who do: lawyers,
Legal Aid Service coordinators, caseworkers of the referral mechanism and
trainers. Not an analyst-only or administrator-only account: the analysis
concerns the facts of one case, which is neither statistics nor operations.
The analysis stores nothing, so there is no object-level rule to add.
"""

from tirek.accounts.roles import Role
from tirek.protection.policy import roles

ANALYSIS_ROLES = (Role.LAWYER, Role.COORDINATOR, Role.CASEWORKER, Role.TRAINER)
ANALYSIS_USERS = roles(*ANALYSIS_ROLES)
