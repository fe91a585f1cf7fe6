"""References a request body makes to other rows of the store (files, fonts, categories, products).

An id that names nothing in the store, another store's row included, is a 422 naming the body
field that holds it: the reference is bad input, and the message is the same whether the row is
missing or someone else's, so nothing leaks about other stores.
"""

from designer.errors import ValidationFailed
from designer.extensions import db
from designer.files.models import File
from designer.files.service import is_merchant_file
from designer.tenancy import in_store

# What a browser can draw in the editor: mockups, backgrounds, overlays and product pictures.
IMAGE_FORMATS = frozenset({"jpeg", "png", "webp", "gif", "svg"})


def in_store_or_invalid(model, resource_id: str, store_id: str, field: str, noun: str):
    """The `model` row with `resource_id` in the store.

    Raises ValidationFailed naming `field` when there is none (or it is another store's).
    """
    found = db.session.scalars(in_store(db.select(model).where(model.id == resource_id), store_id)).first()
    if found is None:
        raise ValidationFailed(
            f"Field '{field}': no {noun} with id '{resource_id}' in this store", field=field
        )
    return found


def all_in_store_or_invalid(model, resource_ids: list[str], store_id: str, field: str, noun: str) -> dict:
    """The `model` rows with these ids in the store, by id.

    Raises ValidationFailed naming `field.N` for the first id that names none of them.
    """
    if not resource_ids:
        return {}
    statement = in_store(db.select(model).where(model.id.in_(set(resource_ids))), store_id)
    found = {row.id: row for row in db.session.scalars(statement)}
    for index, resource_id in enumerate(resource_ids):
        if resource_id not in found:
            raise ValidationFailed(
                f"Field '{field}.{index}': no {noun} with id '{resource_id}' in this store",
                field=f"{field}.{index}",
            )
    return found


def image_file(file_id: str, store_id: str, field: str) -> File:
    """The store's file `file_id`, which must be an image a browser can show.

    Raises ValidationFailed naming `field` for an unknown id or a file that is not such an image.
    """
    found = in_store_or_invalid(File, file_id, store_id, field, "file")
    if found.format not in IMAGE_FORMATS:
        raise ValidationFailed(
            f"Field '{field}': file '{file_id}' is {found.format}; use a JPEG, PNG, WebP, GIF or SVG image",
            field=field,
        )
    return found


def merchant_image_file(file_id: str, store_id: str, field: str) -> File:
    """The store's image `file_id` (see `image_file`), which the merchant put there: a customer's
    photo, or a proof rendered from a design, is not the store's to show everyone.

    Raises ValidationFailed naming `field` for an unknown id, a file that is not an image, or one
    that is not the merchant's.
    """
    found = image_file(file_id, store_id, field)
    if not is_merchant_file(found):
        raise ValidationFailed(
            f"Field '{field}': file '{file_id}' is not one of the store's own images "
            "(a customer's upload or a proof); upload the image in the dashboard",
            field=field,
        )
    return found


def color_profile_file(file_id: str, store_id: str, field: str) -> File:
    """The store's printer profile `file_id`: a file uploaded as a colour profile, which its
    preflight found a CMYK output ICC profile.

    Raises ValidationFailed naming `field` for an unknown id or a file that is not such a profile.
    """
    found = in_store_or_invalid(File, file_id, store_id, field, "file")
    if found.format != "icc":
        raise ValidationFailed(
            f"Field '{field}': the file '{found.id}' is not a CMYK ICC profile "
            "(upload the printer's profile with purpose color_profile)",
            field=field,
        )
    return found
