"""Live events for the graph's subscriptions: one bus consumer per process and the rules of who sees what."""
