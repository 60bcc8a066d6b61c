"""What the two terminal interfaces, the CLI and the menu, print the same way: tables, errors, progress.

Both ``cli`` and ``menu`` import from here; this package imports neither of them.
"""
