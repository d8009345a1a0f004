"""podgen's built-in Jinja templates, shipped in the wheel as the `podgen.templates` package.

Each `NAME.yaml.j2` renders one Kubernetes object from a typed spec passed as `obj`.
Values enter only through the `quote` filter; the output is parsed back and checked.
"""
