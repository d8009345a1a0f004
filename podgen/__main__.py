"""`python -m podgen` runs the CLI."""

from podgen._cli import main

main()
