"""Werkzeugkatalog (measures by Handlungsfeld), Werkzeugblätter and the Werkstattplan."""
