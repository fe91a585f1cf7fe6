"""Which colour a product prints in: its personalization's `colorMode` (rgb, the default, or cmyk),
and for CMYK the separation (cmyk.py) made from its `colorProfileFileId` (a printer profile the
store uploaded; none: the store's default profile, `Store.color_profile_file_id`; neither: the
FOGRA39 profile Presswork ships), `renderingIntent`, `blackTextAsK`
and `convertImages`. The settings are part of what decides a render's bytes (`colour_settings`).
Pictures the separation converts are kept in the store's storage (`StoredPictures`), so each is
converted once whichever worker renders it.

Every product, RGB ones too, is checked before print against the press it prints on
(`ink_separation`, which editing is handed at app creation): an RGB PDF is separated by the
printer's own RIP, and its profile (or FOGRA39) is the best word on what ink a colour takes."""

import json
from dataclasses import replace

from flask import current_app

from designer.accounts.models import Store
from designer.composer.checks import CmykSeparation
from designer.errors import NotFound
from designer.extensions import db
from designer.files.models import File
from designer.files.service import read_file
from designer.files.storage import StoredObjectMissing, storage
from designer.library.default_library import library_root
from designer.products.models import Product
from designer.rendering.cmyk import Separation, colour_separation, default_separation, profile_description
from designer.rendering.pdf import RenderError
from designer.tenancy import in_store

_MAX_PROFILES = 16
# The printer profiles read, by storage key: stored bytes never change under a key, and the editor
# asks for the product's profile on every keystroke.
_profiles: dict[str, bytes] = {}


def colour_settings(product: Product) -> str:
    """The product's colour settings as text, for the input hash ('' for RGB, whose PDFs are as
    they always were)."""
    rules = product.personalization or {}
    if rules.get("colorMode", "rgb") != "cmyk":
        return ""
    names = ("colorMode", "renderingIntent", "blackTextAsK", "convertImages")
    settings = {name: rules.get(name) for name in names} | {"colorProfileFileId": profile_file_id(product)}
    return json.dumps(settings, sort_keys=True)


def profile_file_id(product: Product) -> str | None:
    """The printer profile file the product prints through: its own, else its store's default;
    None for the FOGRA39 profile Presswork ships."""
    own = (product.personalization or {}).get("colorProfileFileId")
    return own or db.session.get(Store, product.store_id).color_profile_file_id


def separation_for(product: Product) -> Separation | None:
    """The separation a CMYK product prints with; None for an RGB one.

    Raises RenderError when its profile file is gone (deleted since it was chosen) or the default
    profile was never made (`make install`).
    """
    rules = product.personalization or {}
    if rules.get("colorMode", "rgb") != "cmyk":
        return None
    return press_separation(product)


def ink_separation(product: Product) -> CmykSeparation | None:
    """How the product's press separates a #rrggbb colour (C, M, Y, K fractions), whatever the
    product's colour mode, for the total-ink check before print; cached per profile, intent and
    black. None when the profile is gone or the default was never made: no check then (a CMYK
    render says why it cannot be made)."""
    try:
        return colour_separation(press_separation(product))
    except RenderError:
        return None


def press_separation(product: Product) -> Separation:
    """The separation through the product's printer profile (`profile_file_id`, else the FOGRA39
    profile Presswork ships) with its rendering intent and black, whatever its colour mode.

    Raises RenderError when its profile file is gone or the default profile was never made.
    """
    rules = product.personalization or {}
    intent, black_as_k = rules.get("renderingIntent", "relative"), rules.get("blackTextAsK", True)
    convert_images = rules.get("convertImages", True)
    file_id, pictures = profile_file_id(product), StoredPictures(product.store_id)
    if file_id is None:
        try:
            separation = default_separation(
                library_root(current_app.config.get("LIBRARY_PATH")), intent, black_as_k, convert_images
            )
        except FileNotFoundError:
            raise RenderError("The default CMYK profile is not installed (run make install)") from None
        return replace(separation, pictures=pictures)
    statement = in_store(db.select(File).where(File.id == file_id), product.store_id)
    profile_file = db.session.scalars(statement).first()
    profile = _profile_bytes(profile_file) if profile_file is not None else None
    if profile is None:
        raise RenderError(
            f"The colour profile '{file_id}' is gone; choose another for the product or the store"
        )
    return Separation(profile, profile_description(profile), intent, black_as_k, convert_images, pictures)


class StoredPictures:
    """A store's converted pictures in its storage, under `<store id>/separated/`: keyed by what
    they were converted from, so the bytes under a key never change."""

    def __init__(self, store_id: str):
        self.store_id = store_id

    def _key(self, digest: str, extension: str) -> str:
        return f"{self.store_id}/separated/{digest}.{extension}"

    def get(self, digest: str, extension: str) -> bytes | None:
        try:
            return storage().read(self._key(digest, extension))
        except StoredObjectMissing:
            return None

    def put(self, digest: str, extension: str, data: bytes) -> None:
        media_type = "image/jpeg" if extension == "jpg" else "application/octet-stream"
        storage().save(self._key(digest, extension), data, media_type)


def _profile_bytes(profile_file: File) -> bytes | None:
    profile = _profiles.get(profile_file.storage_key)
    if profile is None:
        try:
            profile = read_file(profile_file)
        except NotFound:
            return None
        if len(_profiles) >= _MAX_PROFILES:
            _profiles.clear()
        _profiles[profile_file.storage_key] = profile
    return profile
