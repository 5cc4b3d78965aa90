"""Bring an existing inventory in from a spreadsheet, and take it out again in the same template."""
