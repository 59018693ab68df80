"""Moderation: the queue, reports, decisions and their undo."""
