"""The ``tirek`` command: Django's management commands plus Tirek's own.

Installed as a console script, so an operator never needs to find manage.py.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirek.settings")
    from tirek.lib.private_files import restrict_new_files

    restrict_new_files()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tirek", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
