"""Tables of the gates app."""
