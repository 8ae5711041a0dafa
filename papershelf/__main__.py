"""`python -m papershelf`: the same command line as the `papershelf` script."""

from papershelf.tui.cli import main

main(prog_name="papershelf")
