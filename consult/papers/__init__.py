"""Papers: ordered sections with stable keys, their translations, and import."""
