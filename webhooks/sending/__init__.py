"""Pure floor of the webhooks: which addresses may be called, the pinned HTTP request that
calls them, and the wait between attempts. No Django, no models."""
