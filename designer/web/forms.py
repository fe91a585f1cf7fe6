"""Template filters that place validation errors beside the fields a form shows.

The API's messages name the field ("Field 'rateLimitPerMinute': input should be ..."), which is
right in a JSON body and noise under the field's own label; errors of list fields come keyed by
item ("scopes.0") while the form shows the list as one field.
"""

import re

_NAMED = re.compile(r"^Field '(?P<name>[^']+)'(?P<colon>:?) ?")


def error_for(errors: dict | None, name: str) -> str | None:
    """The first message about field `name` or one of its items (`name.0`), or None."""
    for field, message in (errors or {}).items():
        if field == name or (field and field.startswith(name + ".")):
            return message
    return None


def other_errors(errors: dict | None, shown: list[str]) -> list[str]:
    """The messages about no field in `shown` (nor an item of one), for a summary above the form."""
    return [
        message
        for field, message in (errors or {}).items()
        if not any(field == name or (field and field.startswith(name + ".")) for name in shown)
    ]


def field_message(message: str) -> str:
    """`message` worded for display under its field's label."""
    named = _NAMED.match(message)
    if named is None:
        return message
    rest = message[named.end() :]
    if named["colon"]:
        # Pydantic says what it checked ("String should ...", "Input should ..."); the field is what matters.
        rest = re.sub(r"^(string|input|list|value) (?=should |is )", "", rest, flags=re.IGNORECASE)
        rest = rest.split(", unable to ")[0].split(" after validation")[0]
    return "This field " + rest
