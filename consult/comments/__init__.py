"""Section comments: submit, withdraw, list, report."""
