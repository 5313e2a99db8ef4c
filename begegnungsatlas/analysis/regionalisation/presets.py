"""Settings presets for the regionalisation algorithms."""

from __future__ import annotations


def interactive_maxp_settings(n: int) -> dict[str, int]:
    """max-p settings for an interactive proposal: fewer constructions and improvements than the defaults.

    A planner waits for the answer, so small inputs get at most 30 constructions and 3 improved solutions
    (defaults: up to 100 and 10). On Dortmund's 170 Unterbezirke the SSD stays well below spopt's
    (``bench/bench_sozialraum.py``); large inputs keep the defaults' lower bounds.

    >>> interactive_maxp_settings(170)
    {'n_constructions': 30, 'n_improve': 3}
    >>> interactive_maxp_settings(10_000)
    {'n_constructions': 25, 'n_improve': 1}
    """
    n = max(n, 1)
    return {"n_constructions": min(max(250_000 // n, 10), 30), "n_improve": min(max(2_500 // n, 1), 3)}
