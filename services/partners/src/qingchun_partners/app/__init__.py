"""Partner registration, the fan-out of partner events, and webhook delivery."""
