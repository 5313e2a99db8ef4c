"""Participation: surveys, citizens' reports on the map, and the privacy rules for both."""
