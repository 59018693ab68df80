"""The audit log: who did what, when and why; written by every domain, read by staff."""
