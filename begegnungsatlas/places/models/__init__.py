from .actors import Organisation, OrganisationKind
from .context import ContextFeature
from .place import (
    ActorRole,
    Offer,
    Place,
    PlaceActor,
    PlaceKind,
    PlaceStatus,
    Quality,
    SharedBuilding,
    TargetGroup,
    Wheelchair,
)
from .suggestion import Suggestion, SuggestionKind, SuggestionStatus

__all__ = [
    "ActorRole", "ContextFeature", "Offer", "Organisation", "OrganisationKind", "Place", "PlaceActor", "PlaceKind",
    "PlaceStatus", "Quality", "SharedBuilding", "Suggestion", "SuggestionKind", "SuggestionStatus", "TargetGroup",
    "Wheelchair",
]
