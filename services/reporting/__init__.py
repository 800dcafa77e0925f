"""Reporting: the program's indicators, the weekly digest, exports and the history import."""
