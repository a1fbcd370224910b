"""Adapters for third-party systems: the payment provider, SMTP mail and async notifications."""
