"""Browser pages: sign-up, log-in and the merchant dashboard."""
