"""Governance pages: organisations, grids, deliberation, problem ledger, dashboard."""
