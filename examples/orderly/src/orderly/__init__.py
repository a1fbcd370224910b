"""Orderly: an order-management web service for customers, orders and payments."""

__version__ = "0.4.0"

__all__ = ["__version__"]
