"""Property fees: schemes, billing, payments and receipts, arrears, expenses, exports."""
