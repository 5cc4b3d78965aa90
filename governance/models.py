"""Tables of the governance app."""
