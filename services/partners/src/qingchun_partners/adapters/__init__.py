"""The partner service's outside world: its store, the broker and partners' webhook endpoints."""
