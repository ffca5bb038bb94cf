"""Finding and starting the real components (document store, broker) for tests and the local runner."""
