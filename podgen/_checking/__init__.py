"""Checking: the Kubernetes schema, the API server's rules, the findings on a manifest."""
