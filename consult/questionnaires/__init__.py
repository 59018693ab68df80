"""Calls for input: questionnaires, their questions, and participants' responses."""
