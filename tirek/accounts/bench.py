from tirek.core.benchmark import BenchCase

CASES = [
    BenchCase("home (administrator)", "user.administrator", lambda demo: "/"),
    BenchCase("users list", "user.administrator", lambda demo: "/accounts/users/"),
    BenchCase("users search", "user.administrator", lambda demo: "/accounts/users/?q=lawyer-0042"),
    BenchCase(
        "users by role", "user.administrator", lambda demo: "/accounts/users/?role=coordinator"
    ),
    BenchCase("organisations list", "user.administrator", lambda demo: "/accounts/organisations/"),
]
