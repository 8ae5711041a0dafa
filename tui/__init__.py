"""Everything a person sees: the Textual app and the click command line."""
