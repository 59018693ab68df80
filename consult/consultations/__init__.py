"""The consultation: its languages, its window, its time zone, its publication."""
