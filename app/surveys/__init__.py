"""Resident surveys (入户调查): designer, paper questionnaires, entry, coverage and results."""
