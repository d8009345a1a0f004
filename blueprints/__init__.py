"""podgen's built-in blueprints, shipped in the wheel as the `podgen.blueprints` package."""
