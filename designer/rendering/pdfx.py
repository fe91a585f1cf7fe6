"""PDF/X-4 (ISO 15930-7): what makes cairo's PDF a file a press takes as it is.

`mark_pdfx4` gives an open PDF the identification, metadata and output intent the standard asks
for; `pdfx4_problems` reads a finished PDF back and says, in plain words, each way it falls short
of the standard's requirements (the suite runs it on the PDFs it makes: tests/test_pdfx.py).

The output intent is the colour of the press the file is made for. The default is sRGB: an RGB
PDF/X-4, the file's DeviceRGB colours meaning sRGB; a CMYK intent carries the printer's profile.
The bytes stay deterministic: the dates are the design's (given), the ids derive from the content,
and the embedded sRGB profile is made by LittleCMS with a fixed date.
"""

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from xml.sax.saxutils import escape

import pikepdf
from PIL import ImageCms

PDFX_VERSION = "PDF/X-4"
PDF_VERSION = "1.6"  # PDF/X-4 is PDF 1.6
PRODUCER = "Presswork"
# The date written into the sRGB profile LittleCMS makes (a profile's header has its creation date).
_PROFILE_DATE = (2026, 1, 1, 0, 0, 0)
_XMP_PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"  # XMP's own fixed packet id
_COLOUR_OPERATORS = {"rg": "DeviceRGB", "RG": "DeviceRGB", "k": "DeviceCMYK", "K": "DeviceCMYK"}
_COMPONENTS = {3: "DeviceRGB", 4: "DeviceCMYK", 1: "DeviceGray"}


@dataclass(frozen=True)
class OutputIntent:
    """The printing condition a PDF is made for: its ICC profile, the profile's colour components
    (3: RGB, 4: CMYK) and how the condition is named."""

    profile: bytes
    components: int
    identifier: str
    info: str
    registry: str = "http://www.color.org"


def _srgb_profile() -> bytes:
    """LittleCMS's sRGB profile, dated _PROFILE_DATE so that its bytes never change."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # The header's dateTimeNumber: six big-endian 16-bit fields at bytes 24–35. The profile id
    # (bytes 84–99, an MD5 of the profile) is left zero by LittleCMS: "not computed".
    profile[24:36] = b"".join(part.to_bytes(2, "big") for part in _PROFILE_DATE)
    return bytes(profile)


SRGB = OutputIntent(
    _srgb_profile(), 3, "sRGB IEC61966-2.1", "sRGB IEC61966-2.1 (RGB output, e.g. digital print)"
)


@dataclass(frozen=True)
class Identity:
    """What a print-ready PDF says about itself: its title and when its design was last changed."""

    title: str
    modified: datetime


UNTITLED = Identity("Print-ready PDF", datetime(2026, 1, 1, tzinfo=UTC))


def mark_pdfx4(pdf: pikepdf.Pdf, identity: Identity, intent: OutputIntent, content_digest: str) -> None:
    """Make `pdf` (cairo's, its pages' boxes set) a PDF/X-4 for `intent`: the document information
    (title, dates, /Trapped), the XMP metadata with the PDF/X identification, and the output intent
    with its embedded profile. `content_digest` (of the drawn pages) gives the XMP ids; the
    trailer's /ID is qpdf's deterministic one, made on save."""
    when = identity.modified.astimezone(UTC).replace(microsecond=0)
    info_date = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    pdf.docinfo = pdf.make_indirect(
        pikepdf.Dictionary(
            Title=pikepdf.String(identity.title),
            Creator=pikepdf.String(PRODUCER),
            Producer=pikepdf.String(PRODUCER),
            CreationDate=pikepdf.String(info_date),
            ModDate=pikepdf.String(info_date),
            Trapped=pikepdf.Name("/False"),
            GTS_PDFXVersion=pikepdf.String(PDFX_VERSION),
        )
    )
    metadata = pdf.make_stream(_xmp(identity.title, when.isoformat(), content_digest).encode())
    metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    pdf.Root.Metadata = metadata
    profile = profile_stream(pdf, intent.profile, intent.components)
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFX,
                OutputConditionIdentifier=pikepdf.String(intent.identifier),
                Info=pikepdf.String(intent.info),
                RegistryName=pikepdf.String(intent.registry),
                DestOutputProfile=profile,
            )
        ]
    )


def profile_stream(pdf: pikepdf.Pdf, profile: bytes, components: int) -> pikepdf.Stream:
    """An ICC profile as a stream of `pdf`, compressed once per process (a printer's profile may
    be megabytes, and every render embeds it)."""
    stream = pdf.make_stream(_compressed(profile))
    stream.Filter, stream.N = pikepdf.Name.FlateDecode, components
    return stream


@lru_cache(maxsize=8)
def _compressed(profile: bytes) -> bytes:
    return zlib.compress(profile, 9)


def _xmp(title: str, when: str, digest: str) -> str:
    uuid = f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
    return f"""<?xpacket begin="\ufeff" id="{_XMP_PACKET_ID}"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{when}</xmp:CreateDate>
   <xmp:ModifyDate>{when}</xmp:ModifyDate>
   <xmp:MetadataDate>{when}</xmp:MetadataDate>
   <xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>
   <pdf:Producer>{PRODUCER}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{uuid}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>
   <pdfx:GTS_PDFXVersion>{PDFX_VERSION}</pdfx:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


# The check


def pdfx4_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Each way `pdf` falls short of PDF/X-4's requirements, in plain words ([] when it conforms):
    the version, encryption, the trailer's id, the document information and XMP identification,
    the output intent and its profile, each page's boxes, colour that does not match the output
    intent (an RGB colour in a CMYK file), spot colours without a name, alternate or tint
    transform, overprint that is not well-formed, fonts that are not embedded, and actions or
    multimedia a press cannot run."""
    problems = []
    if pdf.pdf_version > PDF_VERSION:
        problems.append(f"the file is PDF {pdf.pdf_version}; PDF/X-4 is PDF {PDF_VERSION} at most")
    if pdf.is_encrypted:
        problems.append("the file is encrypted")
    if "/ID" not in pdf.trailer:
        problems.append("the trailer has no document /ID")
    problems += _info_problems(pdf)
    components = None
    intents = [
        intent for intent in pdf.Root.get("/OutputIntents", []) if intent.get("/S") == pikepdf.Name.GTS_PDFX
    ]
    if len(intents) != 1:
        problems.append(f"the file has {len(intents)} PDF/X output intents; it needs exactly one")
    else:
        profile = intents[0].get("/DestOutputProfile")
        if profile is None:
            problems.append("the output intent embeds no ICC profile (DestOutputProfile)")
        else:
            components = int(profile.get("/N", 0))
            if components not in _COMPONENTS:
                problems.append(f"the output intent's profile has {components} colour components")
            problems += _profile_problems(profile.read_bytes(), components)
        if not str(intents[0].get("/OutputConditionIdentifier", "")):
            problems.append("the output intent has no OutputConditionIdentifier")
    for number, page in enumerate(pdf.pages, start=1):
        problems += [f"page {number}: {problem}" for problem in _page_problems(page, components)]
    if "/OpenAction" in pdf.Root or "/AA" in pdf.Root or "/JavaScript" in pdf.Root.get("/Names", {}):
        problems.append("the file has actions or JavaScript")
    return problems


def _info_problems(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    info = pdf.trailer.get("/Info", pikepdf.Dictionary())
    for key in ("/CreationDate", "/ModDate", "/Title"):
        if not str(info.get(key, "")):
            problems.append(f"the document information has no {key[1:]}")
    if info.get("/Trapped") not in (pikepdf.Name("/True"), pikepdf.Name("/False")):
        problems.append("the document information's /Trapped is not True or False")
    if "/Metadata" not in pdf.Root:
        problems.append("the file has no XMP metadata")
        return problems
    xmp = pdf.Root.Metadata.read_bytes().decode("utf-8", "replace")
    identification = re.search(r"<pdfxid:GTS_PDFXVersion>([^<]*)<", xmp)
    if not identification or not identification[1].startswith(PDFX_VERSION):
        problems.append("the XMP metadata does not identify the file as PDF/X-4 (pdfxid:GTS_PDFXVersion)")
    for field in (
        "xmp:CreateDate",
        "xmp:ModifyDate",
        "xmpMM:DocumentID",
        "xmpMM:VersionID",
        "xmpMM:RenditionClass",
    ):
        if f"<{field}>" not in xmp:
            problems.append(f"the XMP metadata has no {field}")
    if "<dc:title>" not in xmp:
        problems.append("the XMP metadata has no dc:title")
    trapped = re.search(r"<pdf:Trapped>([^<]*)<", xmp)
    if not trapped or trapped[1] != str(info.get("/Trapped", "")).lstrip("/"):
        problems.append("the XMP metadata's pdf:Trapped does not match the document information")
    return problems


def _profile_problems(profile: bytes, components: int) -> list[str]:
    if len(profile) < 128 or profile[36:40] != b"acsp":
        return ["the output intent's profile is not an ICC profile"]
    space = profile[16:20]
    expected = {3: b"RGB ", 4: b"CMYK", 1: b"GRAY"}.get(components)
    if space != expected:
        return [f"the output intent's profile is {space.decode('latin-1').strip()}, but /N is {components}"]
    if profile[12:16] not in (b"prtr", b"mntr", b"scnr", b"spac"):
        return ["the output intent's profile is not an output, display, input or colour space profile"]
    if components == 4 and profile[12:16] != b"prtr":
        return ["the output intent's CMYK profile is not an output (printer) profile"]
    return []


def _page_problems(page: pikepdf.Page, components: int | None) -> list[str]:
    problems = []
    media = _rectangle(page.obj.get("/MediaBox"))
    trim = _rectangle(page.obj.get("/TrimBox")) or _rectangle(page.obj.get("/ArtBox"))
    bleed = _rectangle(page.obj.get("/BleedBox")) or media
    if trim is None:
        problems.append("it has no TrimBox")
    elif not (_inside(trim, bleed) and _inside(bleed, media)):
        problems.append("its TrimBox is not inside its BleedBox, inside its MediaBox")
    allowed = _COMPONENTS.get(components)
    if allowed is not None:
        used = _device_spaces(page)
        for space in sorted(used - {allowed, "DeviceGray"}):
            problems.append(f"it paints in {space}, but the output intent is {allowed}")
    for font in _fonts(page):
        descriptor = font.get("/FontDescriptor")
        if descriptor is not None and not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            problems.append(f"its font {font.get('/BaseFont', '')} is not embedded")
    problems += _spot_colour_problems(page)
    for annotation in page.obj.get("/Annots", []):
        if annotation.get("/Subtype") in (pikepdf.Name.Movie, pikepdf.Name.Sound, pikepdf.Name.Screen):
            problems.append("it has multimedia")
    return problems


def _spot_colour_problems(page: pikepdf.Page) -> list[str]:
    """Each Separation colour space the page (or a form it draws) defines that is not named, has
    no alternate space or no tint transform; each graphics state whose overprint is not well-formed
    (/OP and /op booleans, /OPM 0 or 1)."""
    problems = []
    for resources in _all_resources(page):
        for key, space in resources.get("/ColorSpace", {}).items():
            if isinstance(space, pikepdf.Array) and len(space) and space[0] == pikepdf.Name.Separation:
                problems += [f"its colour space {key}: {problem}" for problem in _separation_problems(space)]
        for key, state in resources.get("/ExtGState", {}).items():
            for flag in ("/OP", "/op"):
                if flag in state and not isinstance(state[flag], bool):
                    problems.append(f"its graphics state {key} has an {flag} that is not true or false")
            if "/OPM" in state and state.OPM not in (0, 1):
                problems.append(f"its graphics state {key} has an /OPM that is not 0 or 1")
    return problems


def _separation_problems(space: pikepdf.Array) -> list[str]:
    if len(space) != 4:
        return ["a Separation needs a name, an alternate space and a tint transform"]
    name, alternate, tint = space[1], space[2], space[3]
    problems = []
    if not isinstance(name, pikepdf.Name) or str(name) == "/":
        problems.append("a Separation has no colourant name")
    alternates = ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK")
    if not (
        (isinstance(alternate, pikepdf.Name) and str(alternate) in alternates)
        or (
            isinstance(alternate, pikepdf.Array)
            and len(alternate)
            and str(alternate[0]) in ("/ICCBased", "/Lab")
        )
    ):
        problems.append(f"the Separation {name} has no device, ICC or Lab alternate space")
    if not isinstance(tint, pikepdf.Dictionary | pikepdf.Stream) or tint.get("/FunctionType") not in (
        0,
        2,
        3,
        4,
    ):
        problems.append(f"the Separation {name} has no tint transform function")
    return problems


def _all_resources(page: pikepdf.Page) -> list[pikepdf.Dictionary]:
    """The page's resources and those of every form it draws, each once."""
    found, seen = [], set()

    def walk(resources):
        found.append(resources)
        for xobject in resources.get("/XObject", {}).values():
            if xobject.objgen in seen or xobject.get("/Subtype") != pikepdf.Name.Form:
                continue
            seen.add(xobject.objgen)
            if "/Resources" in xobject:
                walk(xobject.Resources)

    walk(page.obj.get("/Resources", pikepdf.Dictionary()))
    return found


def _rectangle(box) -> tuple[float, float, float, float] | None:
    if box is None:
        return None
    left, bottom, right, top = (float(value) for value in box)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _inside(inner, outer, tolerance: float = 0.001) -> bool:
    return (
        inner[0] >= outer[0] - tolerance
        and inner[1] >= outer[1] - tolerance
        and inner[2] <= outer[2] + tolerance
        and inner[3] <= outer[3] + tolerance
    )


def _device_spaces(page: pikepdf.Page) -> set[str]:
    """The device colour spaces the page paints in: its content's colour operators, its images'
    and its transparency groups' colour spaces, and those of its forms, tiling patterns and soft
    masks, found by walking them."""
    used, seen = set(), set()

    def walk(holder, resources):
        for operands, operator in pikepdf.parse_content_stream(holder):
            name = str(operator)
            if name in _COLOUR_OPERATORS:
                used.add(_COLOUR_OPERATORS[name])
            elif name in ("cs", "CS") and operands and str(operands[0]) in ("/DeviceRGB", "/DeviceCMYK"):
                used.add(str(operands[0])[1:])
        for xobject in resources.get("/XObject", {}).values():
            key = xobject.objgen
            if key in seen:
                continue
            seen.add(key)
            space = xobject.get("/ColorSpace")
            if isinstance(space, pikepdf.Name) and str(space) in ("/DeviceRGB", "/DeviceCMYK"):
                used.add(str(space)[1:])
            group = xobject.get("/Group")
            if group is not None and str(group.get("/CS", "")) in ("/DeviceRGB", "/DeviceCMYK"):
                used.add(str(group.CS)[1:])
            if xobject.get("/Subtype") == pikepdf.Name.Form:
                walk(xobject, xobject.get("/Resources", resources))
        forms = [
            pattern for pattern in resources.get("/Pattern", {}).values() if pattern.get("/PatternType") == 1
        ]
        for state in resources.get("/ExtGState", {}).values():
            mask = state.get("/SMask")
            if mask is not None and not isinstance(mask, pikepdf.Name) and "/G" in mask:
                forms.append(mask.G)  # a soft mask's group: its colours count too
        for form in forms:
            if form.objgen not in seen:
                seen.add(form.objgen)
                group = form.get("/Group")
                if group is not None and str(group.get("/CS", "")) in ("/DeviceRGB", "/DeviceCMYK"):
                    used.add(str(group.CS)[1:])
                walk(form, form.get("/Resources", resources))
        shadings = [pattern.get("/Shading") for pattern in resources.get("/Pattern", {}).values()]
        for shading in [*shadings, *resources.get("/Shading", {}).values()]:
            if shading is not None and str(shading.get("/ColorSpace", "")) in ("/DeviceRGB", "/DeviceCMYK"):
                used.add(str(shading.ColorSpace)[1:])

    walk(page, page.obj.get("/Resources", pikepdf.Dictionary()))
    group = page.obj.get("/Group")
    if group is not None and str(group.get("/CS", "")) in ("/DeviceRGB", "/DeviceCMYK"):
        used.add(str(group.CS)[1:])
    return used


def _fonts(page: pikepdf.Page):
    return list(page.obj.get("/Resources", pikepdf.Dictionary()).get("/Font", {}).values())
