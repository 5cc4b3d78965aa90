"""The demo portfolio: a realistic story told through the real services, and a synthetic
portfolio at scale for the benchmarks. It sits at the top because it drives every app."""
