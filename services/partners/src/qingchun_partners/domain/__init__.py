"""Pure rules of partner feeds: subscriptions, filters, names, webhook addresses and back-off."""
