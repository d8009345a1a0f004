"""The model: the one table of options, the typed spec, and flags parsed into it."""
