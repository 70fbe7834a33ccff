"""Tirek: free state-guaranteed legal aid for victims of human trafficking."""

__version__ = "0.1.0"
