from .applications import ActorStatus, Application, ApplicationActor, ApplicationRevision, Decision, PlaceMode
from .calls import Call, CallBudgetLine, CallStatus, CostType, Criterion, DeadlineExtension
from .documents import Document
from .grants import (
    Booking,
    BookingKind,
    BudgetLine,
    Contract,
    ContractParty,
    Grant,
    SignatureStatus,
    Voucher,
    VoucherKind,
    VoucherStatus,
)
from .reviews import ReviewAssignment, Score

__all__ = [
    "ActorStatus", "Application", "ApplicationActor", "ApplicationRevision", "Booking", "BookingKind", "BudgetLine",
    "Call", "CallBudgetLine", "CallStatus", "Contract", "ContractParty", "CostType", "Criterion", "Decision",
    "DeadlineExtension", "Document", "Grant", "PlaceMode", "ReviewAssignment", "Score", "SignatureStatus",
    "Voucher", "VoucherKind", "VoucherStatus",
]
