"""Reading and writing: strict YAML in, kubectl-exact YAML and JSON out, files all or none."""
