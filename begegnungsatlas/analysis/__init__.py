"""Framework-free analysis core (numpy, scipy, shapely, pyproj).

No Django import is allowed anywhere in this package; ``tests/analysis/test_no_django.py``
enforces it. Adapters in the Django apps read the database and call these functions.
"""
