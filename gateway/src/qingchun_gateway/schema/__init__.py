"""The graph: types per service in their own modules, joined by links that resolve through the
request's loaders."""
