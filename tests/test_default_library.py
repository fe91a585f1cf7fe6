"""The default library: installed at set-up from npm packages (fonts) and the repository
(clipart), added to every new store as rows that point at the installed files."""

from pathlib import Path

import pytest

from designer.extensions import db
from designer.files.storage import storage
from designer.library import service
from designer.library.cli import install_library, register
from designer.library.default_library import (
    CLIPART_TAGS,
    DEFAULT_CLIPART,
    DEFAULT_FONTS,
    install_font_files,
    library_root,
)
from designer.library.models import Clipart, Font
from designer.tenancy import in_store

ROOT = Path(__file__).resolve().parents[1]


def library_rows(app, model, store_id: str) -> list:
    with app.app_context():
        rows = list(db.session.scalars(in_store(db.select(model).where(model.library.is_(True)), store_id)))
        db.session.expunge_all()
        return rows


def cli(app):
    # The lead registers the command with the app's other commands; until then, register it here.
    if "install-library" not in app.cli.commands:
        register(app)
    return app.test_cli_runner()


# What is installed


def test_every_default_font_is_installed_with_an_open_licence():
    fonts_dir = library_root() / "fonts"
    for font in DEFAULT_FONTS:
        assert (fonts_dir / font.filename).is_file(), f"{font.filename} missing: run `make install`"
        assert font.licence in ("OFL-1.1", "Apache-2.0")
        assert (fonts_dir / f"{font.package.rsplit('/', 1)[-1]}-LICENSE.txt").is_file()
    assert 8 <= len({font.package for font in DEFAULT_FONTS}) <= 14


def test_the_default_fonts_cover_arabic_devanagari_and_a_cjk_script(app):
    with app.app_context():
        scripts = {script for item in service.library_fonts() for script in item.facts.scripts}
    assert {"latin", "arabic", "devanagari", "hebrew", "hangul"} <= scripts


def test_default_font_faces_are_read_from_their_files(app):
    with app.app_context():
        faces = {
            (item.facts.family, item.facts.weight, item.facts.style)
            for item in service.library_fonts()
            if item.facts.family == "Roboto"
        }
    assert faces == {
        ("Roboto", 400, "normal"),
        ("Roboto", 400, "italic"),
        ("Roboto", 700, "normal"),
        ("Roboto", 700, "italic"),
    }


def test_default_clipart_are_committed_svgs_with_known_tags(app):
    assert 20 <= len(DEFAULT_CLIPART) <= 30
    for clipart in DEFAULT_CLIPART:
        assert (ROOT / "library" / "clipart" / clipart.filename).is_file()
        assert set(clipart.tags) <= set(CLIPART_TAGS)
    with app.app_context():
        recolorable = [item.facts.recolorable for item in service.library_clipart()]
    assert any(recolorable) and not all(recolorable)


def test_library_files_are_read_once_per_process(app):
    with app.app_context():
        assert service.library_fonts() is service.library_fonts()
        assert service.library_clipart() is service.library_clipart()


def test_the_install_step_copies_the_fonts_and_their_licences_out_of_node_modules(tmp_path):
    node_modules = ROOT / "node_modules"
    if not (node_modules / "@expo-google-fonts").is_dir():
        pytest.skip("node_modules is not installed here (make install runs npm ci)")

    copied = install_font_files(node_modules, tmp_path / "fonts")

    assert sorted(path.name for path in copied) == sorted(font.filename for font in DEFAULT_FONTS)
    assert (tmp_path / "fonts" / "roboto-LICENSE.txt").read_text().count("SIL Open Font License") >= 1


def test_the_install_step_names_a_missing_package(tmp_path):
    with pytest.raises(FileNotFoundError, match="npm ci"):
        install_font_files(tmp_path / "empty-node-modules", tmp_path / "fonts")


# Stores get the library


def test_a_new_store_starts_with_the_default_library(client, merchant):
    fonts = client.get("/api/v1/fonts/default/count", headers=merchant.bearer)
    clipart = client.get("/api/v1/clipart/default/count", headers=merchant.bearer)

    assert fonts.status_code == 200 and fonts.json == {"count": len(DEFAULT_FONTS)}
    assert clipart.status_code == 200 and clipart.json == {"count": len(DEFAULT_CLIPART)}
    arabic = client.get("/api/v1/fonts/default?family=Noto Sans Arabic", headers=merchant.bearer).json["data"]
    assert sorted(font["weight"] for font in arabic) == [400, 700]
    assert all(font["library"] and font["licence"] == "OFL-1.1" for font in arabic)


def test_library_rows_point_at_the_installed_files_instead_of_copies(app, merchant):
    fonts = library_rows(app, Font, merchant.store_id)
    clipart = library_rows(app, Clipart, merchant.store_id)

    assert all(font.storage_key.startswith("library:fonts/") for font in fonts)
    assert all(item.storage_key.startswith("library:clipart/") for item in clipart)
    with app.app_context():
        assert not (storage().root / merchant.store_id).exists()  # nothing copied into storage
        roboto = next(font for font in fonts if font.filename == "Roboto_400Regular.ttf")
        assert service.font_bytes(roboto) == (library_root() / "fonts" / "Roboto_400Regular.ttf").read_bytes()
        star = next(item for item in clipart if item.name == "Star")
        assert service.clipart_bytes(star).startswith(b"<svg")


def test_installing_again_adds_nothing(app, merchant):
    with app.app_context():
        assert service.install_default_library(merchant.store_id) == (0, 0)


def test_each_store_gets_rows_of_its_own(app, make_merchant):
    first, second = make_merchant("First"), make_merchant("Second")

    first_ids = {font.id for font in library_rows(app, Font, first.store_id)}
    second_ids = {font.id for font in library_rows(app, Font, second.store_id)}

    assert len(first_ids) == len(second_ids) == len(DEFAULT_FONTS)
    assert not first_ids & second_ids


def test_install_library_command_brings_back_deleted_defaults_in_every_store(app, client, make_merchant):
    first, second = make_merchant("First"), make_merchant("Second")
    font_id = client.get("/api/v1/fonts/default?limit=1", headers=first.bearer).json["data"][0]["id"]
    assert client.delete(f"/api/v1/fonts/{font_id}", headers=first.bearer).status_code == 200

    result = cli(app).invoke(args=["install-library"])

    assert result.exit_code == 0, result.output
    assert "2 stores: 1 fonts and 0 clipart added" in result.output
    restored = client.get("/api/v1/fonts/default/count", headers=first.bearer).json["count"]
    assert restored == len(DEFAULT_FONTS)
    assert client.get("/api/v1/fonts/default/count", headers=second.bearer).json["count"] == len(
        DEFAULT_FONTS
    )


def test_install_library_command_refuses_an_unknown_store(app, merchant):
    result = cli(app).invoke(args=["install-library", "--store", "sto_missing"])

    assert result.exit_code != 0
    assert "No store with id sto_missing" in result.output


def test_install_library_for_one_store_leaves_the_others_alone(app, client, make_merchant):
    first, second = make_merchant("First"), make_merchant("Second")
    for merchant in (first, second):
        clipart_id = client.get("/api/v1/clipart/default?limit=1", headers=merchant.bearer).json["data"][0][
            "id"
        ]
        assert client.delete(f"/api/v1/clipart/{clipart_id}", headers=merchant.bearer).status_code == 200

    with app.app_context():
        added = install_library([first.store_id])

    assert added == {first.store_id: (0, 1)}
    assert client.get("/api/v1/clipart/default/count", headers=first.bearer).json["count"] == len(
        DEFAULT_CLIPART
    )
    assert (
        client.get("/api/v1/clipart/default/count", headers=second.bearer).json["count"]
        == len(DEFAULT_CLIPART) - 1
    )
