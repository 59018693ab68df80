"""E-mail: an outbox written with the event that causes it, delivered by `consult send-mail`."""
