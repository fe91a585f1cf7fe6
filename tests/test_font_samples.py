"""A font's sample (GET /api/v1/fonts/<id>/sample): the family's name drawn in the font by the
composer, as an SVG picture the editor's font picker shows; cacheable, anonymous like the font's
file, and another store's font is not found."""

import re


def default_font(client, merchant, family: str) -> dict:
    fonts = client.get(f"/api/v1/fonts/default?family={family}", headers=merchant.bearer).json["data"]
    return next(font for font in fonts if font["weight"] == 400 and font["style"] == "normal")


def sample_url(font: dict) -> str:
    # The file's URL names the store; the sample's is beside it.
    return font["fileUrl"].replace("/file?", "/sample?")


def test_a_sample_is_the_family_name_drawn_as_outlines(client, merchant):
    font = default_font(client, merchant, "Lora")

    response = client.get(sample_url(font))  # anonymous: an <img> sends no token

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.text
    assert 'aria-label="Lora"' in svg
    # One outline per letter of "Lora", drawn by the composer, no <text> left to the browser's fonts.
    assert len(re.findall(r"<path ", svg)) == 4
    assert "<text" not in svg and "<script" not in svg
    assert re.search(r'<svg [^>]*height="40"', svg)
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"].startswith("public")


def test_a_sample_answers_not_modified_until_the_family_is_renamed(client, merchant):
    font = default_font(client, merchant, "Oswald")
    first = client.get(sample_url(font))

    again = client.get(sample_url(font), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304

    renamed = client.patch(f"/api/v1/fonts/{font['id']}", json={"family": "Tall"}, headers=merchant.bearer)
    assert renamed.status_code == 200
    after = client.get(sample_url(font), headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200
    assert 'aria-label="Tall"' in after.text
    assert len(re.findall(r"<path ", after.text)) == 4


def test_a_font_without_the_letters_of_its_name_shows_its_own_script(client, merchant):
    font = default_font(client, merchant, "Lora")  # Latin and Cyrillic only
    client.patch(f"/api/v1/fonts/{font['id']}", json={"family": "永和"}, headers=merchant.bearer)

    response = client.get(sample_url(font))

    assert response.status_code == 200
    assert 'aria-label="永和"' in response.text
    # "The", the first word of its Latin sample line, rather than two empty boxes.
    assert len(re.findall(r"<path ", response.text)) == 3


def test_another_stores_font_has_no_sample(client, merchant, make_merchant):
    font = default_font(client, merchant, "Roboto")
    other = make_merchant("Other")

    response = client.get(f"/api/v1/fonts/{font['id']}/sample?storeId={other.store_id}")

    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/fonts/fnt_missing/sample?storeId={merchant.store_id}").status_code == 404
