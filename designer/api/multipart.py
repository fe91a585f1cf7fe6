"""Multipart uploads: the form fields beside the files, validated like a JSON body.

An operation declares `upload=Upload(FieldsSchema, files=("file",))`; the view then receives the
fields as `body` and the files as `files`, a list of (filename, bytes). The OpenAPI document
describes the same declaration as a multipart/form-data request body.
"""

import io
from dataclasses import dataclass

from flask import request
from pydantic import BaseModel
from werkzeug.formparser import FormDataParser

from designer.api.errors import UnsupportedMediaType, ValidationFailed
from designer.api.operations import form_fields, parse
from designer.api.store_scope import STORE_FIELD

# Sent by every dashboard form (checked by auth), and the store an account names.
_ALWAYS_ACCEPTED = ("csrf_token", STORE_FIELD)


@dataclass(frozen=True)
class Upload:
    """A multipart request: `fields` for the form fields, files under `files` (the canonical name
    first, then the names also accepted, such as PrintCart's `files[]`), 1 to `at_most` of them."""

    fields: type[BaseModel]
    files: tuple[str, ...] = ("file",)
    at_most: int = 1

    def read(self) -> tuple[BaseModel, list[tuple[str, bytes]]]:
        """The validated fields and the uploaded (filename, bytes).

        Raises UnsupportedMediaType for another Content-Type, ValidationFailed naming a field that
        is not accepted (mass assignment is refused as in JSON bodies), a file field sent as text,
        or the file field when no file or too many came.
        """
        field = self.files[0]
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType(
                f"Send the body as multipart/form-data with the file in field '{field}'", field="Content-Type"
            )
        _read_legacy_headers(field)
        accepted = {info.alias or name for name, info in self.fields.model_fields.items()}
        for name in request.form:
            if name in self.files:
                raise ValidationFailed(f"Field '{name}' must be a file: a part with a filename", field=name)
            if name not in accepted and name not in _ALWAYS_ACCEPTED:
                raise ValidationFailed(f"Field '{name}' is not accepted here", field=name)
        for name in request.files:
            if name not in self.files:
                raise ValidationFailed(
                    f"Field '{name}' is not accepted here; send the file in '{field}'", field=name
                )
        # A browser sends an empty part with no filename when no file was chosen.
        parts = [
            part
            for name in self.files
            for part in request.files.getlist(name)
            if part.filename or part.content_length
        ]
        if not parts:
            raise ValidationFailed(
                f"Field '{field}' is required: attach the file as field '{field}'", field=field
            )
        if len(parts) > self.at_most:
            most = "one file" if self.at_most == 1 else f"at most {self.at_most} files"
            raise ValidationFailed(
                f"Field '{field}' takes {most}, not {len(parts)}; send several in separate requests "
                "or to the route's batch variant",
                field=field,
            )
        uploads = [(part.filename or "upload", part.stream.read()) for part in parts]
        return parse(self.fields, form_fields(self.fields)), uploads

    def json_schema(self, fields_schema: dict) -> dict:
        """The multipart/form-data request body for OpenAPI, given the fields' schema."""
        binary = {"type": "string", "contentMediaType": "application/octet-stream"}
        file = binary if self.at_most == 1 else {"type": "array", "items": binary, "maxItems": self.at_most}
        description = (
            "Also accepted as " + ", ".join(f"`{name}`" for name in self.files[1:])
            if self.files[1:]
            else None
        )
        files = {
            "type": "object",
            "properties": {self.files[0]: file | ({"description": description} if description else {})},
            "required": [self.files[0]],
        }
        return {"allOf": [fields_schema, files]}


def _read_legacy_headers(field: str) -> None:
    """Read the multipart body even when a part's headers are not UTF-8 (a filename sent in
    Latin-1 or Windows-1252 by an older client): werkzeug then reads no part at all, and the
    file would be reported missing. Such headers are read as Latin-1, which maps every byte to
    a character (the filename is cleaned when stored). Raises ValidationFailed naming `field`
    when the body was read before this could step in (a dashboard form, which browsers send in
    UTF-8) and yielded nothing.
    """
    if "form" in request.__dict__:  # werkzeug has parsed it already
        if not request.form and not request.files and (request.content_length or 0) > 0:
            raise ValidationFailed(
                f"Field '{field}': the multipart body could not be read; send its filename in UTF-8",
                field=field,
            )
        return
    raw = request.get_data(cache=True)  # werkzeug parses the form from this copy
    if request.form or request.files or b"filename" not in raw:
        return
    boundary = request.mimetype_params.get("boundary", "").encode("latin-1")
    if not boundary:
        return
    delimiter = b"--" + boundary
    parts = raw.split(delimiter)
    for index, part in enumerate(parts[1:], start=1):
        headers, separator, content = part.partition(b"\r\n\r\n")
        try:
            headers.decode("utf-8")
        except UnicodeDecodeError:
            parts[index] = headers.decode("latin-1").encode("utf-8") + separator + content
    repaired = delimiter.join(parts)
    parser = FormDataParser(
        max_form_memory_size=request.max_form_memory_size,
        max_form_parts=request.max_form_parts,
        cls=request.parameter_storage_class,
        silent=True,
    )
    _, form, files = parser.parse(
        io.BytesIO(repaired), "multipart/form-data", len(repaired), {"boundary": boundary.decode("latin-1")}
    )
    # Where werkzeug keeps what it parsed: request.form and request.files answer these from now on.
    request.__dict__["form"], request.__dict__["files"] = form, files
