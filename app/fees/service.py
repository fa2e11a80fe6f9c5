"""The fee area's services, built together for one database and user."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.audit import Actor
from app.fees.billing import BillingService
from app.fees.dto import DEFAULT_CAP_MILLI
from app.fees.expenses import ExpenseService
from app.fees.ledger import FeeLedgerService
from app.fees.notices import FeeDocumentData
from app.fees.payments import PaymentService
from app.fees.schemes import FeeSchemeService
from app.surveys.gate import scheme_gate_status


@dataclass
class FeeServices:
    schemes: FeeSchemeService
    billing: BillingService
    payments: PaymentService
    ledger: FeeLedgerService
    expenses: ExpenseService
    documents: FeeDocumentData

    @classmethod
    def build(
        cls, sessions: sessionmaker[Session], actor: Actor, cap_milli: int = DEFAULT_CAP_MILLI
    ) -> FeeServices:
        return cls(
            # 居民满意后再缴费: a scheme naming a survey activates only when it is met.
            schemes=FeeSchemeService(sessions, actor, cap_milli, scheme_gate_status),
            billing=BillingService(sessions, actor),
            payments=PaymentService(sessions, actor),
            ledger=FeeLedgerService(sessions, actor),
            expenses=ExpenseService(sessions, actor),
            documents=FeeDocumentData(sessions),
        )
