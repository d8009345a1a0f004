"""The blueprint language: files read into PodRequests, their layers, JSON Schema and built-ins."""
