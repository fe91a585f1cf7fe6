"""Reading font files: what format a file is, whether it is a usable font, and its family, style
and weight, taken from its `name` and `OS/2` tables rather than from what the uploader says."""

import io
import zlib
from dataclasses import dataclass

import brotli
from fontTools.misc import sstruct
from fontTools.ttLib import TTFont
from fontTools.ttLib.sfnt import (
    woffDirectoryEntryFormat,
    woffDirectoryEntrySize,
    woffDirectoryFormat,
    woffDirectorySize,
)
from fontTools.ttLib.woff2 import WOFF2DirectoryEntry, woff2DirectoryFormat, woff2DirectorySize

from designer.errors import ValidationFailed

MAX_FONT_BYTES = 15 * 1024 * 1024
# What a WOFF or WOFF2 may unpack to: a few kilobytes of compressed data can unpack to gigabytes.
MAX_UNPACKED_FONT_BYTES = 64 * 1024 * 1024

# The first four bytes of each format Presswork accepts.
_MAGIC = {
    b"\x00\x01\x00\x00": "ttf",
    b"true": "ttf",
    b"OTTO": "otf",
    b"wOFF": "woff",
    b"wOF2": "woff2",
}
MEDIA_TYPES = {"ttf": "font/ttf", "otf": "font/otf", "woff": "font/woff", "woff2": "font/woff2"}

# name table ids: family, subfamily, full name, PostScript name, typographic family.
_FAMILY, _SUBFAMILY, _FULL_NAME, _POSTSCRIPT_NAME, _TYPOGRAPHIC_FAMILY = 1, 2, 4, 6, 16
_ITALIC_BIT = 1 << 0  # OS/2 fsSelection
_MAC_BOLD, _MAC_ITALIC = 1 << 0, 1 << 1  # head macStyle
# Which writing systems a font covers, told by a few letters of each being in its character map.
SCRIPT_PROBES: dict[str, str] = {
    "latin": "AZaz",
    "greek": "ΑΩαω",
    "cyrillic": "АЯая",
    "hebrew": "אבת",
    "arabic": "ابلي",
    "devanagari": "कखा",
    "thai": "กขา",
    "hangul": "가나한",
    "kana": "あアン",
    "han": "一中永",
}
# A line to show a font with, in each writing system.
SCRIPT_SAMPLES: dict[str, str] = {
    "latin": "The quick brown fox jumps over the lazy dog",
    "greek": "Ζαφείρι δέξου πάγκαλο",
    "cyrillic": "Съешь же ещё этих мягких булок",
    "hebrew": "שלום עולם",
    "arabic": "مرحبا بالعالم",
    "devanagari": "नमस्ते दुनिया",
    "thai": "สวัสดีชาวโลก",
    "hangul": "다람쥐 헌 쳇바퀴에 타고파",
    "kana": "いろはにほへと",
    "han": "永和九年",
}
# Tables without which text cannot be shaped and drawn from the file.
_REQUIRED_TABLES = ("head", "hhea", "hmtx", "maxp", "cmap", "name")


@dataclass(frozen=True)
class FontFacts:
    """What a font file says about itself."""

    format: str  # ttf, otf, woff, woff2
    family: str
    style: str  # normal, italic
    weight: int  # 1-1000, 400 regular, 700 bold
    full_name: str
    postscript_name: str
    glyph_count: int
    size_bytes: int
    scripts: tuple[str, ...]


def font_format(data: bytes) -> str | None:
    """ttf, otf, woff or woff2 from the file's first bytes, or None for anything else."""
    return _MAGIC.get(data[:4])


def inspect_font(data: bytes, *, thorough: bool = True) -> FontFacts:
    """Check that `data` is a complete, usable font and read its facts.

    `thorough=False` reads only the tables the facts come from: for the default library's files,
    which were checked when they were chosen.

    Raises ValidationFailed naming `file` for anything that is not a TTF, OTF, WOFF or WOFF2
    font with a character map and outlines (glyf or CFF), or that fontTools cannot read through.
    """
    if len(data) > MAX_FONT_BYTES:
        raise ValidationFailed(
            f"Field 'file' must be a font of at most {MAX_FONT_BYTES // (1024 * 1024)} MB", field="file"
        )
    font_type = font_format(data)
    if font_type is None:
        kind = "a font collection (TTC)" if data[:4] == b"ttcf" else "not a font"
        raise ValidationFailed(
            f"Field 'file' must be a TTF, OTF, WOFF or WOFF2 font; this file is {kind}", field="file"
        )
    try:
        _check_unpacked_size(data, font_type)
        font = TTFont(io.BytesIO(data), lazy=None if thorough else True)
        facts = _read_facts(font, font_type, len(data), thorough)
    except ValidationFailed:
        raise
    except Exception as error:  # fontTools raises anything (struct.error, KeyError, …) on a damaged file
        raise ValidationFailed(
            f"Field 'file' is a damaged or incomplete {font_type.upper()} font ({_reason(error)})",
            field="file",
        ) from None
    return facts


def _read_facts(font: TTFont, font_type: str, size_bytes: int, thorough: bool) -> FontFacts:
    missing = [tag for tag in _REQUIRED_TABLES if tag not in font]
    if not ("glyf" in font and "loca" in font) and "CFF " not in font and "CFF2" not in font:
        missing.append("glyf or CFF")
    if missing:
        raise ValidationFailed(
            f"Field 'file' is a font without the tables text needs: {', '.join(missing)}", field="file"
        )
    # Decompiling each table is what finds a truncated or corrupt file: the directory of a cut
    # file still lists every table.
    for tag in (*_REQUIRED_TABLES, "OS/2", "glyf", "loca", "CFF ", "CFF2") if thorough else ():
        if tag in font:
            font[tag]  # noqa: B018  (loading is the check)
    if thorough and "glyf" in font:
        glyf = font["glyf"]
        for name in font.getGlyphOrder():
            glyf[name]  # noqa: B018  (every outline must be inside the table)
    characters = font["cmap"].getBestCmap() or {}
    if not characters:
        raise ValidationFailed("Field 'file' is a font that maps no Unicode characters", field="file")
    names = font["name"]
    family = _name(names, _TYPOGRAPHIC_FAMILY) or _name(names, _FAMILY)
    if not family:
        raise ValidationFailed("Field 'file' is a font without a family name", field="file")
    mac_style = font["head"].macStyle
    os2 = font.get("OS/2")
    italic = bool(os2.fsSelection & _ITALIC_BIT) if os2 is not None else bool(mac_style & _MAC_ITALIC)
    weight = os2.usWeightClass if os2 is not None else (700 if mac_style & _MAC_BOLD else 400)
    return FontFacts(
        format=font_type,
        family=family[:200],
        style="italic" if italic else "normal",
        weight=min(max(int(weight), 1), 1000),
        full_name=(_name(names, _FULL_NAME) or family)[:200],
        postscript_name=(_name(names, _POSTSCRIPT_NAME) or "")[:200],
        glyph_count=int(font["maxp"].numGlyphs),
        size_bytes=size_bytes,
        scripts=tuple(
            script
            for script, letters in SCRIPT_PROBES.items()
            if all(ord(letter) in characters for letter in letters)
        ),
    )


def _check_unpacked_size(data: bytes, font_type: str) -> None:
    """Refuse a WOFF or WOFF2 whose compressed parts unpack to more than they declare, or declare
    more than MAX_UNPACKED_FONT_BYTES, before fontTools unpacks each part in one go."""
    if font_type == "woff":
        header = sstruct.unpack(woffDirectoryFormat, data[:woffDirectorySize])
        parts = [(header["metaOffset"], header["metaLength"], header["metaOrigLength"])]
        for index in range(header["numTables"]):
            start = woffDirectorySize + index * woffDirectoryEntrySize
            entry = sstruct.unpack(woffDirectoryEntryFormat, data[start : start + woffDirectoryEntrySize])
            parts.append((entry["offset"], entry["length"], entry["origLength"]))
        _refuse_over_limit(sum(unpacked for _, _, unpacked in parts))
        for offset, length, unpacked in parts:
            if length != unpacked:  # stored compressed (fontTools inflates whatever differs)
                inflated = zlib.decompressobj().decompress(data[offset : offset + length], unpacked + 1)
                _refuse_over_limit(len(inflated), declared=unpacked)
    elif font_type == "woff2":
        header = sstruct.unpack(woff2DirectoryFormat, data[:woff2DirectorySize])
        rest, unpacked = data[woff2DirectorySize:], 0
        for _ in range(header["numTables"]):
            entry = WOFF2DirectoryEntry()
            rest = entry.fromString(rest)
            unpacked += entry.length
        _refuse_over_limit(max(unpacked, header["totalSfntSize"]))
        stream = rest[: header["totalCompressedSize"]]
        _refuse_over_limit(len(_unbrotli(stream, unpacked)), declared=unpacked)
        meta = data[header["metaOffset"] : header["metaOffset"] + header["metaLength"]]
        if meta:
            _refuse_over_limit(
                len(_unbrotli(meta, header["metaOrigLength"])), declared=header["metaOrigLength"]
            )


def _unbrotli(stream: bytes, declared: int) -> bytes:
    return brotli.Decompressor().process(stream, output_buffer_limit=declared + 1)


def _refuse_over_limit(size: int, declared: int = MAX_UNPACKED_FONT_BYTES) -> None:
    limit_mb = MAX_UNPACKED_FONT_BYTES // (1024 * 1024)
    if size > MAX_UNPACKED_FONT_BYTES:
        raise ValidationFailed(
            f"Field 'file' is a font that unpacks to more than {limit_mb} MB", field="file"
        )
    if size > declared:
        raise ValidationFailed(
            "Field 'file' is a font whose compressed data unpacks to more than its header declares",
            field="file",
        )


def _name(names, name_id: int) -> str:
    value = names.getDebugName(name_id)
    return " ".join(value.split()) if value else ""


def _reason(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]
