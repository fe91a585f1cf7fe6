"""Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under a
`whsec_<base64 key>` secret, so receivers can verify with the `standardwebhooks` library."""

import base64
import hashlib
import hmac
import os

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh signing secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(SECRET_BYTES)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One `v1,<base64>` signature of the message under `secret`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = message_id.encode() + b"." + str(timestamp).encode() + b"." + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(secrets: list[str], message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The webhook-id, webhook-timestamp and webhook-signature headers; with several secrets (a
    rotation under way) the signatures are separated by spaces, and any one of them verifies."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(secret, message_id, timestamp, body) for secret in secrets),
    }
