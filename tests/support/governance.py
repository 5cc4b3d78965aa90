"""The governance tests' fixed clock: the moment a use case was submitted and the review's T0."""

import datetime as dt

# Moments the tests write history at: submitted ten days before the review is requested.
T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


SUBMITTED_AT = T0 - dt.timedelta(days=10)
