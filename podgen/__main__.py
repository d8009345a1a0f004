"""`python -m podgen` runs the CLI."""

from podgen._front.entry import main

main()
