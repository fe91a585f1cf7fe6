"""The errors the domain raises: a code from the API contract, a message for humans and the field it
concerns. Flask-free: services, the composer and workers raise them; api/errors.py maps each to its
HTTP status and the contract's JSON body."""

STATUS_OF_CODE = {
    "unauthenticated": 401,
    "forbidden": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "conflict": 409,
    "precondition_failed": 412,
    "payload_too_large": 413,
    "unsupported_media_type": 415,
    "validation_error": 422,
    "rate_limited": 429,
    "internal_error": 500,
    "service_unavailable": 503,
}


class ApiError(Exception):
    """An error with a code from the contract, a message for humans and the field it concerns."""

    code = "internal_error"

    def __init__(self, message: str, field: str | None = None, code: str | None = None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.field = field

    @property
    def status(self) -> int:
        return STATUS_OF_CODE[self.code]


class Unauthenticated(ApiError):
    code = "unauthenticated"


class Forbidden(ApiError):
    code = "forbidden"


class NotFound(ApiError):
    code = "not_found"


class Conflict(ApiError):
    code = "conflict"


class PreconditionFailed(ApiError):
    code = "precondition_failed"


class PayloadTooLarge(ApiError):
    code = "payload_too_large"


class UnsupportedMediaType(ApiError):
    code = "unsupported_media_type"


class ValidationFailed(ApiError):
    """Input that breaks a rule; `errors` lists every problem ({"field", "message"}), the first
    also given as `message` and `field`."""

    code = "validation_error"

    def __init__(self, message: str, field: str | None = None, errors: list[dict] | None = None):
        super().__init__(message, field)
        self.errors = errors or []


class RateLimited(ApiError):
    code = "rate_limited"


class ServiceUnavailable(ApiError):
    code = "service_unavailable"


def validation_failed(error) -> ValidationFailed:
    """A pydantic ValidationError as ValidationFailed, each problem named by its field as the API
    shows it (`layers.2.fontSize`)."""
    details = [_detail(item) for item in error.errors(include_url=False, include_input=False)]
    first = details[0]
    return ValidationFailed(first["message"], field=first["field"], errors=details)


def _detail(item: dict) -> dict:
    kind = item["type"]
    field = ".".join(str(part) for part in item["loc"]) or None
    if kind == "json_invalid":
        return {"field": "body", "message": f"The body is not valid JSON: {item['msg']}"}
    if kind in ("model_type", "model_attributes_type", "dict_type") and field is None:
        return {"field": "body", "message": "The body must be a JSON object"}
    if kind == "extra_forbidden":
        return {"field": field, "message": f"Field '{field}' is not accepted here"}
    if kind == "missing":
        return {"field": field, "message": f"Field '{field}' is required"}
    message = item["msg"]
    if message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    return {"field": field, "message": f"Field '{field}': {message[0].lower()}{message[1:]}"}
