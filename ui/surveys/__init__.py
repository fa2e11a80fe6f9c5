"""The 入户调查 section: survey list, designer, answer entry, coverage and results."""
