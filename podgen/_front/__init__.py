"""Front ends: the command line (lean paths and Typer), blueprint files, import and scaffold."""
