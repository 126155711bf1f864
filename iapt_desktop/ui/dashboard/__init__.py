"""The service dashboard: outcome metrics for a chosen period, beside the England figures."""
