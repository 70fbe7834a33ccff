"""Files Tirek creates are readable by its own user only."""

import os


def restrict_new_files() -> None:
    """Set the process umask so new files are 0600 and folders 0700.

    The SQLite database, its WAL, the secret key and (later) evidence files
    hold victims' data; other accounts on the server have no business there.
    """
    os.umask(0o077)
