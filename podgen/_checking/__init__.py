"""Checking: the Kubernetes schema, the API server's rules, and `podgen validate`."""
