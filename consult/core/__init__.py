"""What every domain shares: the model base, text rendering, errors, headers."""
