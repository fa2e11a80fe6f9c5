"""Compound governance: organisations, convention, deliberation, problem ledger, figures."""
