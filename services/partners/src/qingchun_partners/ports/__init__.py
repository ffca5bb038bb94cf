"""The partner service's REST API."""
