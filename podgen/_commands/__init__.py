"""Commands: what `render`, `validate` and `import` do, and the projects (podgen.yaml) they read."""
