"""Webhooks: endpoints a store registers, signed deliveries of its events, their log and retries."""
