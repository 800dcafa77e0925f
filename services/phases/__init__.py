"""Phases: the methodology engine. Each exchange and practice moves through its line's configured phases."""
