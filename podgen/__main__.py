"""`python -m podgen` runs the CLI."""

from podgen._entry import main

main()
