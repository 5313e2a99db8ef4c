"""Begegnungsatlas: district social planning around places of encounter."""

__version__ = "0.1.0"
