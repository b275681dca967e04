"""Command-line interface: thin skins over the library's public functions."""
