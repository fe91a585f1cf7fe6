"""CMYK print-ready PDFs: cairo draws in RGB (sRGB), and `separate` turns its finished PDF into one
whose every colour is DeviceCMYK for the printer's ICC profile, converted by LittleCMS (Pillow's
ImageCms) with the product's rendering intent.

What is converted, once per object:
- the colour operators of every content stream (the pages', their forms' and tiling patterns'):
  `rg`/`RG` become `k`/`K`, a `cs`/`CS` of DeviceRGB becomes DeviceCMYK with its `sc`/`scn`
  colours; pure black (0 0 0) becomes 100 % K (0 0 0 1), not the profile's rich black, when
  `black_as_k` is set: text is drawn as outlines, so its black is a fill like any other, and a
  rich black would print four plates that must register for every letter;
- gradients (axial and radial shadings): their colour space and the colours at their stops;
- transparency groups: their blending space becomes DeviceCMYK; a luminosity soft mask (an SVG
  mask) becomes DeviceGray of the same luminosity, so it masks as before;
- pictures: an RGB JPEG is converted and encoded again as a CMYK JPEG with the source's own
  quantization tables (its quality, no worse and no larger per channel); other RGB pictures are
  converted and kept lossless (Flate). A product may keep them instead (`convert_images` off): an
  RGB picture then stays as it is, in an ICCBased sRGB colour space (PDF/X-4 allows it), for the
  printer's RIP to convert: a file about a quarter the size, drawn without decoding a photo.
  A CMYK JPEG upload is never here: the drawing put it in the file as the customer's bytes
  (pdf.py), DCTDecode DeviceCMYK, Adobe's inverted data undone by its /Decode. Converted pictures
  are kept by the hash of their input (the bytes, the profile and the intent): in a small cache in
  the process, and in the separation's `pictures` (the store's storage, colour_modes.py), so a
  photo is converted once, by whichever worker renders it first; every later render, in any
  worker, writes the stored CMYK bytes as it would a CMYK JPEG upload.

The output intent is the profile itself (N 4), and the check in pdfx.py refuses a CMYK file with
any DeviceRGB left. The bytes are deterministic: the same PDF, profile and settings give the same
conversion.
"""

import hashlib
import io
import re
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import pikepdf
from PIL import Image, ImageCms

from designer.composer.checks import CmykSeparation
from designer.rendering.pdfx import SRGB, OutputIntent, profile_stream

RENDERING_INTENTS = {
    "perceptual": ImageCms.Intent.PERCEPTUAL,
    "relative": ImageCms.Intent.RELATIVE_COLORIMETRIC,
    "saturation": ImageCms.Intent.SATURATION,
    "absolute": ImageCms.Intent.ABSOLUTE_COLORIMETRIC,
}
DEFAULT_PROFILE_FILE = Path("profiles", "fogra39-coated.icc")  # under the library (make install)
DEFAULT_PROFILE_IDENTIFIER = "FOGRA39"  # the characterization's name in the ICC registry
ADOBE_INVERTED = (1, 0, 1, 0, 1, 0, 1, 0)  # a /Decode: an array of its own in each file
_CACHE_BYTES = 64 * 1024 * 1024
_DIGITS = Decimal("0.0001")
_DEVICE_RGB = pikepdf.Name.DeviceRGB
_DEVICE_CMYK = pikepdf.Name.DeviceCMYK
_DEVICE_GRAY = pikepdf.Name.DeviceGray
_COLOUR_SET = {"rg": "k", "RG": "K"}
_GRAY_SET = {"rg": "g", "RG": "G"}
_SPACE_SET = {"cs": "fill", "CS": "stroke"}
_COMPONENT_SET = {"sc": "fill", "scn": "fill", "SC": "stroke", "SCN": "stroke"}
_COLOUR_OPERATORS = frozenset(operator.encode() for operator in (*_COLOUR_SET, *_SPACE_SET, *_COMPONENT_SET))
_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)")


class ConvertedPictures(Protocol):
    """Where converted pictures are kept between renders and workers, by the hex SHA-256 of their
    input (`extension`: "jpg" for a CMYK JPEG, "bin" for Flate-compressed CMYK pixels)."""

    def get(self, digest: str, extension: str) -> bytes | None: ...

    def put(self, digest: str, extension: str, data: bytes) -> None: ...


@dataclass(frozen=True)
class Separation:
    """How a CMYK PDF is made: the printer's ICC profile (an output-class CMYK profile), how it is
    named in the output intent, the rendering intent, whether pure black prints as K only, and
    whether RGB pictures are separated too (else kept as they are, in ICCBased sRGB). `pictures`
    keeps converted pictures beyond the process (none: the process's own cache only); it changes
    no byte of the output, so it is not part of what the separation is."""

    profile: bytes
    identifier: str
    rendering_intent: str = "relative"
    black_as_k: bool = True
    convert_images: bool = True
    pictures: ConvertedPictures | None = field(default=None, compare=False, repr=False)

    @property
    def output_intent(self) -> OutputIntent:
        return OutputIntent(self.profile, 4, self.identifier, profile_description(self.profile))


@lru_cache(maxsize=16)
def profile_description(data: bytes) -> str:
    return ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(data))).strip() or "CMYK"


def default_separation(
    library: Path, rendering_intent: str = "relative", black_as_k: bool = True, convert_images: bool = True
) -> Separation:
    """The separation for the profile Presswork ships (FOGRA39, made by `make install`).

    Raises FileNotFoundError when it has not been made."""
    return Separation(
        _read_default(library / DEFAULT_PROFILE_FILE),
        DEFAULT_PROFILE_IDENTIFIER,
        rendering_intent,
        black_as_k,
        convert_images,
    )


@lru_cache(maxsize=2)
def _read_default(path: Path) -> bytes:
    return path.read_bytes()


def _profiles_and_flags(profile: bytes, rendering_intent: str) -> tuple:
    srgb, press = ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(io.BytesIO(profile))
    intent = RENDERING_INTENTS[rendering_intent]
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION if intent != ImageCms.Intent.ABSOLUTE_COLORIMETRIC else 0
    return srgb, press, intent, flags


@lru_cache(maxsize=8)
def _separating(profile: bytes, rendering_intent: str) -> ImageCms.ImageCmsTransform:
    """sRGB → the profile's CMYK, built once per process (each is its own: a PDF needs no proof
    transform, which takes three times as long to build)."""
    srgb, press, intent, flags = _profiles_and_flags(profile, rendering_intent)
    return ImageCms.buildTransform(srgb, press, "RGB", "CMYK", intent, flags=flags)


@lru_cache(maxsize=8)
def _proofing(profile: bytes, rendering_intent: str) -> ImageCms.ImageCmsTransform:
    """sRGB → sRGB as the press prints it (soft proofs), built once per process."""
    srgb, press, intent, flags = _profiles_and_flags(profile, rendering_intent)
    return ImageCms.buildProofTransform(
        srgb,
        srgb,
        press,
        "RGB",
        "RGB",
        intent,
        ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=flags | ImageCms.Flags.SOFTPROOFING,
    )


def _inks(rgb: tuple[int, int, int], transform, black_as_k: bool) -> tuple[int, int, int, int]:
    """The inks (0 to 255 each) that print an 8-bit sRGB colour: pure black as K alone with
    `black_as_k`, else through the `transform`."""
    if rgb == (0, 0, 0) and black_as_k:
        return (0, 0, 0, 255)
    return ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform).getpixel((0, 0))


@lru_cache(maxsize=8)
def colour_separation(separation: Separation) -> CmykSeparation:
    """How the separation prints a #rrggbb colour, as `separate` converts the PDF's colours (the
    same transform, pure black as K alone with black_as_k): C, M, Y and K as fractions, for the
    total-ink check before print (composer/checks.py). Once per separation, each colour once."""
    transform = _separating(separation.profile, separation.rendering_intent)

    @lru_cache(maxsize=1024)
    def inks_of(colour: str) -> tuple[float, float, float, float]:
        rgb = tuple(int(colour[index : index + 2], 16) for index in (1, 3, 5))
        return tuple(value / 255 for value in _inks(rgb, transform, separation.black_as_k))

    return inks_of


def soft_proof(png: bytes, separation: Separation) -> bytes:
    """The PNG (sRGB) as it will look printed through the separation's profile, as a PNG: colours
    the press cannot print are shown as the nearest it can, and white as the paper."""
    proof = _proofing(separation.profile, separation.rendering_intent)
    with Image.open(io.BytesIO(png)) as image:
        alpha = image.getchannel("A") if image.mode == "RGBA" else None
        proofed = ImageCms.applyTransform(image.convert("RGB"), proof)
    if alpha is not None:
        proofed.putalpha(alpha)
    output = io.BytesIO()
    proofed.save(output, "PNG")
    return output.getvalue()


def separate(pdf: pikepdf.Pdf, separation: Separation) -> None:
    """Make every colour in `pdf` DeviceCMYK through the separation (see the module's docstring)."""
    _Separator(pdf, separation).run()


class _Separator:
    """One walk over the document's pages and what they use. Inside a soft mask (an SVG mask,
    drawn by cairo as an RGB group whose lightness masks what it covers) colours become
    DeviceGray of the same luminosity (PDF's 0.3 R + 0.59 G + 0.11 B), so the mask masks exactly as
    before and holds no RGB; everywhere else they become the profile's CMYK."""

    def __init__(self, pdf: pikepdf.Pdf, separation: Separation):
        self.pdf = pdf
        self.separation = separation
        self.transform = _separating(separation.profile, separation.rendering_intent)
        self.key = hashlib.sha256(separation.profile + separation.rendering_intent.encode()).digest()
        self.colours: dict[tuple[int, int, int], list[Decimal]] = {}
        self.edits: list[Callable[[], None]] = []
        self.seen: set[tuple] = set()
        self.in_mask = False
        self.srgb: pikepdf.Array | None = None

    def run(self) -> None:
        """Walk the document noting every RGB colour and where it goes, convert them all in one
        batch (a transform applied to one pixel per colour: LittleCMS is fast, but Pillow writes
        the whole profile out at every call), then write them where they go."""
        for page in self.pdf.pages:
            self._group(page.obj)
            self._content(
                page.obj, lambda data, page=page: setattr(page.obj, "Contents", self.pdf.make_stream(data))
            )
            self._resources(page.obj.get("/Resources"))
        self._separate_colours()
        for edit in self.edits:
            edit()

    @property
    def space(self) -> pikepdf.Name:
        return _DEVICE_GRAY if self.in_mask else _DEVICE_CMYK

    def _once(self, obj) -> bool:
        if not obj.is_indirect:
            return True
        key = (obj.objgen, self.in_mask)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def _resources(self, resources) -> None:
        if resources is None:
            return
        for xobject in resources.get("/XObject", {}).values():
            if not self._once(xobject):
                continue
            if xobject.get("/Subtype") == pikepdf.Name.Image:
                self._image(xobject)
            elif xobject.get("/Subtype") == pikepdf.Name.Form:
                self._form(xobject)
        for pattern in resources.get("/Pattern", {}).values():
            if not self._once(pattern):
                continue
            if pattern.get("/PatternType") == 1:  # tiling: a content stream of its own
                self._content(pattern, pattern.write)
                self._resources(pattern.get("/Resources"))
            elif "/Shading" in pattern:
                self._shading(pattern.Shading)
        for shading in resources.get("/Shading", {}).values():
            if self._once(shading):
                self._shading(shading)
        for state in resources.get("/ExtGState", {}).values():
            mask = state.get("/SMask")
            # A mask's colours are its lightness (an alpha mask's are not used at all): grey.
            if mask is not None and not isinstance(mask, pikepdf.Name) and "/G" in mask:
                outside, self.in_mask = self.in_mask, True
                if self._once(mask.G):
                    self._form(mask.G)
                if "/BC" in mask and len(mask.BC) == 3:
                    self._set(mask, "/BC", self._colour(mask.BC))
                self.in_mask = outside

    def _form(self, form) -> None:
        self._group(form)
        self._content(form, form.write)
        self._resources(form.get("/Resources"))

    def _group(self, holder) -> None:
        group = holder.get("/Group")
        if group is not None and group.get("/CS") == _DEVICE_RGB:
            group.CS = self.space

    def _content(self, holder, write: Callable[[bytes], None]) -> None:
        """Note the stream's colour operators, to be rewritten once the colours are known: one
        pass over the tokens of cairo's streams (numbers, names and operators only); a stream
        holding a string, a comment or an inline image is parsed by pikepdf instead, as those may
        hold what looks like an operator."""
        data = _stream_bytes(holder)
        tokens: list = data.split()
        if b"(" in data or b"%" in data or b"BI" in tokens:
            self._parsed_content(holder, write)
            return
        spaces, colours, changed = {"fill": None, "stroke": None}, [], False
        setters = _GRAY_SET if self.in_mask else _COLOUR_SET
        for index in [index for index, token in enumerate(tokens) if token in _COLOUR_OPERATORS]:
            operator = tokens[index].decode()
            if operator in _SPACE_SET:
                spaces[_SPACE_SET[operator]] = tokens[index - 1] if index else None
                if spaces[_SPACE_SET[operator]] == b"/DeviceRGB":
                    tokens[index - 1], changed = str(self.space).encode(), True
                continue
            operands = tokens[index - 3 : index] if index >= 3 else []
            if (operator in _COMPONENT_SET and spaces[_COMPONENT_SET[operator]] != b"/DeviceRGB") or not (
                len(operands) == 3 and all(_NUMBER.fullmatch(operand) for operand in operands)
            ):
                continue
            colours.append((index - 3, self._colour(operands)))
            tokens[index - 2 : index + 1] = [b"", b"", setters.get(operator, operator).encode()]
            changed = True
        if changed:
            self.edits.append(lambda: write(_joined(tokens, colours)))

    def _parsed_content(self, holder, write: Callable[[bytes], None]) -> None:
        instructions, changed = [], False
        spaces = {"fill": None, "stroke": None}
        setters = _GRAY_SET if self.in_mask else _COLOUR_SET
        for instruction in pikepdf.parse_content_stream(holder):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                instructions.append(instruction)  # cairo writes none; the check would see their RGB
                continue
            operands, operator = instruction.operands, str(instruction.operator)
            if operator in _COLOUR_SET and len(operands) == 3:
                operands, operator = self._colour(operands), setters[operator]
            elif operator in _SPACE_SET and operands:
                spaces[_SPACE_SET[operator]] = operands[0]
                if operands[0] == _DEVICE_RGB:
                    operands = [self.space]
            elif operator in _COMPONENT_SET and spaces[_COMPONENT_SET[operator]] == _DEVICE_RGB:
                operands = self._colour(operands)
            else:
                instructions.append(instruction)
                continue
            changed = True
            instructions.append((operands, operator))
        if changed:
            self.edits.append(lambda: write(pikepdf.unparse_content_stream(self._written(instructions))))

    @staticmethod
    def _written(instructions: list) -> list:
        return [
            pikepdf.ContentStreamInstruction(
                instruction[0]() if callable(instruction[0]) else instruction[0],
                pikepdf.Operator(instruction[1]),
            )
            if isinstance(instruction, tuple)
            else instruction
            for instruction in instructions
        ]

    def _colour(self, rgb) -> Callable[[], list[Decimal]]:
        """The colour `rgb` becomes: a grey now inside a mask, else the profile's CMYK once the
        batch is converted."""
        if self.in_mask:
            red, green, blue = (float(value) for value in rgb)
            grey = [Decimal(0.3 * red + 0.59 * green + 0.11 * blue).quantize(_DIGITS).normalize()]
            return lambda: grey
        key = (round(float(rgb[0]) * 255), round(float(rgb[1]) * 255), round(float(rgb[2]) * 255))
        self.colours.setdefault(key, [])
        return lambda: self.colours[key]

    def _set(self, holder, name: str, colour: Callable[[], list[Decimal]]) -> None:
        self.edits.append(lambda: holder.__setitem__(name, pikepdf.Array(colour())))

    def _separate_colours(self) -> None:
        if not self.colours:
            return
        keys = list(self.colours)
        pixels = Image.frombytes("RGB", (len(keys), 1), np.array(keys, dtype=np.uint8).tobytes())
        inks = np.frombuffer(ImageCms.applyTransform(pixels, self.transform).tobytes(), np.uint8)
        for key, values in zip(keys, inks.reshape(-1, 4).tolist(), strict=True):
            if key == (0, 0, 0) and self.separation.black_as_k:
                values = [0, 0, 0, 255]
            self.colours[key] = [(Decimal(value) / 255).quantize(_DIGITS).normalize() for value in values]

    def _shading(self, shading) -> None:
        if shading.get("/ColorSpace") != _DEVICE_RGB:
            return
        shading.ColorSpace = self.space
        if "/Background" in shading:
            self._set(shading, "/Background", self._colour(shading.Background))
        self._function(shading.get("/Function"))

    def _function(self, function) -> None:
        if function is None:
            return
        if function.get("/FunctionType") == 2:
            self._set(function, "/C0", self._colour(function.get("/C0", [0, 0, 0])))
            self._set(function, "/C1", self._colour(function.get("/C1", [1, 1, 1])))
            if "/Range" in function:
                function.Range = pikepdf.Array([0, 1] * (1 if self.in_mask else 4))
        elif function.get("/FunctionType") == 3:
            for part in function.Functions:
                self._function(part)

    def _image(self, image) -> None:
        if image.get("/ColorSpace") == _DEVICE_CMYK:
            _undo_adobe_inversion(image)
        if image.get("/ColorSpace") != _DEVICE_RGB:
            return
        if self.in_mask:
            grey = pikepdf.PdfImage(image).as_pil_image().convert("L")  # ITU-R 601: PDF's weights
            image.write(zlib.compress(grey.tobytes(), 6), filter=pikepdf.Name.FlateDecode)
            image.ColorSpace, image.BitsPerComponent = _DEVICE_GRAY, 8
            return
        if not self.separation.convert_images:
            image.ColorSpace = self._srgb()
            return
        raw = image.read_raw_bytes()
        jpeg = image.get("/Filter") == pikepdf.Name.DCTDecode
        converted = self._converted(image, raw, jpeg)
        image.write(converted, filter=pikepdf.Name.DCTDecode if jpeg else pikepdf.Name.FlateDecode)
        image.ColorSpace, image.BitsPerComponent = _DEVICE_CMYK, 8
        if jpeg:
            image.Decode = pikepdf.Array(ADOBE_INVERTED)  # Pillow writes CMYK JPEGs as Adobe does: inverted
        elif "/Decode" in image:
            del image.Decode

    def _converted(self, image, raw: bytes, jpeg: bool) -> bytes:
        """The picture's CMYK bytes: from the process's cache, else the separation's stored ones,
        else converted now (and kept in both)."""
        key = hashlib.sha256(self.key + b"jpeg" * jpeg + raw).digest()
        converted = _cache_get(key)
        if converted is not None:
            return converted
        pictures, digest, extension = self.separation.pictures, key.hex(), "jpg" if jpeg else "bin"
        converted = pictures.get(digest, extension) if pictures is not None else None
        if converted is None:
            converted = self._converted_jpeg(raw) if jpeg else self._converted_pixels(image)
            if pictures is not None:
                pictures.put(digest, extension, converted)
        _cache_put(key, converted)
        return converted

    def _srgb(self) -> pikepdf.Array:
        """The sRGB colour space a kept picture is in (its profile in the file once)."""
        if self.srgb is None:
            profile = profile_stream(self.pdf, SRGB.profile, 3)
            profile.Alternate = _DEVICE_RGB
            self.srgb = pikepdf.Array([pikepdf.Name.ICCBased, self.pdf.make_indirect(profile)])
        return self.srgb

    def _converted_jpeg(self, data: bytes) -> bytes:
        with Image.open(io.BytesIO(data)) as source:
            tables = source.quantization
            cmyk = ImageCms.applyTransform(source.convert("RGB"), self.transform)
        output = io.BytesIO()
        # The source's luma table: libjpeg quantizes all four CMYK components with the first table.
        quality = {"qtables": [tables[0]]} if tables else {"quality": 90}
        cmyk.save(output, "JPEG", **quality)
        return output.getvalue()

    def _converted_pixels(self, image) -> bytes:
        pixels = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
        return zlib.compress(ImageCms.applyTransform(pixels, self.transform).tobytes(), 6)


def _stream_bytes(holder) -> bytes:
    """The content stream's bytes: a page's (its parts joined, as a reader joins them), or a form's
    or a tiling pattern's own."""
    contents = holder.get("/Contents") if holder.get("/Type") == pikepdf.Name.Page else holder
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(part.read_bytes() for part in contents)
    return contents.read_bytes() if contents is not None else b""


def _joined(tokens: list[bytes], colours: list[tuple[int, Callable[[], list]]]) -> bytes:
    """The stream's tokens again, each colour's first operand token standing for all of it (the
    other two left empty)."""
    for position, colour in colours:
        tokens[position] = " ".join(str(value) for value in colour()).encode()
    return b" ".join(filter(None, tokens))


def _undo_adobe_inversion(image) -> None:
    """A CMYK JPEG passed through as uploaded: Adobe's (Photoshop's, Pillow's) store the inks
    inverted, which their APP14 marker says and a PDF says with /Decode."""
    if image.get("/Filter") != pikepdf.Name.DCTDecode or "/Decode" in image:
        return
    with Image.open(io.BytesIO(image.read_raw_bytes())) as jpeg:
        if "adobe" in jpeg.info:
            image.Decode = pikepdf.Array(ADOBE_INVERTED)


_cache: OrderedDict[bytes, bytes] = OrderedDict()


def _cache_get(key: bytes) -> bytes | None:
    data = _cache.get(key)
    if data is not None:
        _cache.move_to_end(key)
    return data


def _cache_put(key: bytes, data: bytes) -> None:
    if len(data) > _CACHE_BYTES // 4:
        return
    _cache[key] = data
    while sum(len(value) for value in _cache.values()) > _CACHE_BYTES:
        _cache.popitem(last=False)
