"""Rashomon: a neutral, source-attributed evidence base from partisan conflict news."""

__version__ = "0.1.0"
