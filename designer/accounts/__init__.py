"""Accounts (merchant logins), the stores they own, and the stores' API tokens."""
