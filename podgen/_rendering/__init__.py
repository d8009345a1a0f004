"""Rendering: a spec built into objects, through the templates, checked and emitted."""
