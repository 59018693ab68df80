"""Accounts: participants signed in by e-mail link, staff by password, profiles, roles."""
