"""Gap analysis (Versorgung): where places are missing, for whom, and where new ones should go (capability C3)."""
