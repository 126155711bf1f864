"""National outcome metrics of NHS Talking Therapies, computed the way NHS England counts them.

Pure Python over plain rows (dicts keyed by the data set's technical column names):

- ``definitions``: the codes and day limits the metrics use (attended, treatment appointment, ...)
- ``measures``: PHQ-9, GAD-7 and the anxiety disorder specific measures with their thresholds (data)
- ``referral_outcome``: one referral's dates, scores and flags (finished, recovered, ...)
- ``service_metrics``: the figures of a period, its monthly trend, ending reasons and per-counsellor tallies
- ``national_figures``: the published England figures to compare with

Definitions and choices are documented in docs/metrics.md.
"""
