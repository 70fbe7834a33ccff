#!/usr/bin/env python
"""Django's conventional entry point; the installed ``tirek`` command does the same."""

from tirek.__main__ import main

if __name__ == "__main__":
    main()
