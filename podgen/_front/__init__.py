"""Front ends: how people ask. The console script's lean paths, the Typer CLI and scaffold."""
