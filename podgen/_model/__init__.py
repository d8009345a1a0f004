"""The model: the one table of options and blueprint words, the typed spec and its defaults."""
