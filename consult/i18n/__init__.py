"""Languages: locale selection from the URL, right-to-left, content fallback, catalogs."""
