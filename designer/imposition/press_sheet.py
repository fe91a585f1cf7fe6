"""A press sheet: print-ready PDFs ganged n-up, with crop marks and a label, as one PDF/X-4.

`plan_grid` works out how many items fit: the sheet less its margins (and, at the bottom, the
label's band), items the size of their bleed box with `gutter_mm` between them, turned a quarter
when more fit that way (and turning is allowed), or the grid that holds the `n_up` asked for.
The grid is centred on the sheet, so it is its own mirror image across the vertical centre line.

`impose` places each item's pages as Form XObjects: the item PDF's page copied whole (its
pictures, fonts and spot colours as they are, nothing decoded or encoded again), clipped to its
bleed box (the item's own slug and crop marks are left out), drawn with one `cm` that puts its
trim box's centre on its slot's centre, turned when the grid is. Each sheet is two pages when
an item has a back: the front, then the back for work-and-turn: the sheet is turned over left to
right, so each back is placed at its front's slot mirrored across the sheet's vertical centre line
(a turned item turned the other way), and lands behind its front.

The order of the items on the sheets is step-and-repeat (the first sheet holds the first n,
row by row) or cut-and-stack (item i on sheet i mod m, slot i div m: cut the stack of m sheets
and each pile is in order, the first pile holding the first m).

Each item has crop marks at the corners of its trim, MARK_GAP_MM outside its bleed, in the
registration colour (Separation /All: every plate); between items they are as long as the gutter
leaves room for, MARK_GAP_MM clear of the next item's bleed too. The label (what is printed, the
orders, the date, sheet n of m, front or back) is set in the bottom band, outside every item, in a
subset of the library's Montserrat embedded in the file (real text: a search or pdftotext finds it).

The sheet's MediaBox, BleedBox and TrimBox are the sheet; the file is a PDF/X-4 (rendering/pdfx.py)
for the output intent of the product (the items are made for the same one: `ItemError` otherwise).
"""

import hashlib
import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pikepdf
from fontTools import subset
from fontTools.ttLib import TTFont

from designer.rendering.pdf import MARK_GAP_MM, MARK_LENGTH_MM, MARK_WIDTH_PT
from designer.rendering.pdfx import PDF_VERSION, Identity, OutputIntent, mark_pdfx4
from designer.units import MM_PER_POINT

STEP_AND_REPEAT, CUT_AND_STACK = "step_and_repeat", "cut_and_stack"
ORDERS = (STEP_AND_REPEAT, CUT_AND_STACK)
LABEL_BAND_MM = 8.0  # below the grid: the label's line, clear of the marks above it
LABEL_BASELINE_MM = 3.0
LABEL_SIZE_PT = 7.0
MIN_MARK_MM = 1.0
# The least margin: room for an outer crop mark, its gap and its length.
MIN_MARGIN_MM = MARK_GAP_MM + MARK_LENGTH_MM
# The least gutter: a mark MIN_MARK_MM long between two items, MARK_GAP_MM clear of both bleeds.
MIN_GUTTER_MM = 2 * MARK_GAP_MM + MIN_MARK_MM
_REGISTRATION = "/PwAll"
_LABEL_FONT = "/PwLabel"
_LABEL_WORDS = " 0123456789·,:+?orders more sheet of"


class LayoutError(ValueError):
    """The items do not fit as asked: `field` names what to change (sheet, nUp, ...)."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


class ItemError(ValueError):
    """An item's PDF cannot be placed: the message says which and why."""


@dataclass(frozen=True)
class Grid:
    """Slots on a sheet, in mm from its bottom-left corner: `columns` × `rows` cells the size of an
    item's bleed box as placed (`turned`: a quarter anticlockwise), `gutter_mm` apart, centred."""

    sheet_w_mm: float
    sheet_h_mm: float
    cell_w_mm: float
    cell_h_mm: float
    columns: int
    rows: int
    n_up: int
    turned: bool
    gutter_mm: float
    margin_mm: float

    @property
    def left_mm(self) -> float:
        return (self.sheet_w_mm - self.columns * self.cell_w_mm - (self.columns - 1) * self.gutter_mm) / 2

    @property
    def top_mm(self) -> float:
        """The grid's top edge, centred in the height above the label's band."""
        band = self.sheet_h_mm - self.margin_mm * 2 - LABEL_BAND_MM
        grid_h = self.rows * self.cell_h_mm + (self.rows - 1) * self.gutter_mm
        return self.sheet_h_mm - self.margin_mm - (band - grid_h) / 2

    def slot(self, index: int) -> tuple[int, int]:
        """The slot's (column, row), row by row from the top left."""
        return index % self.columns, index // self.columns

    def centre(self, column: int, row: int) -> tuple[float, float]:
        x = self.left_mm + column * (self.cell_w_mm + self.gutter_mm) + self.cell_w_mm / 2
        y = self.top_mm - row * (self.cell_h_mm + self.gutter_mm) - self.cell_h_mm / 2
        return x, y


def plan_grid(
    sheet_w_mm: float,
    sheet_h_mm: float,
    item_w_mm: float,
    item_h_mm: float,
    *,
    gutter_mm: float,
    margin_mm: float,
    allow_turning: bool = True,
    n_up: int | None = None,
) -> Grid:
    """The grid for items `item_w_mm` × `item_h_mm` (their bleed box): the most that fit, upright
    unless turned fits more; or, given `n_up`, the fewest rows that hold it (upright if it fits).

    Raises LayoutError naming `marginMm`, `gutterMm`, `sheet` or `nUp` when they leave no room.
    """
    if margin_mm < MIN_MARGIN_MM:
        raise LayoutError(
            f"Field 'marginMm': the margin must be at least {MIN_MARGIN_MM:g} mm (the crop marks are drawn "
            "in it)",
            "marginMm",
        )
    if gutter_mm < MIN_GUTTER_MM:
        raise LayoutError(
            f"Field 'gutterMm': the gutter must be at least {MIN_GUTTER_MM:g} mm (crop marks between items, "
            f"{MARK_GAP_MM:g} mm clear of each bleed)",
            "gutterMm",
        )
    room_w = sheet_w_mm - 2 * margin_mm
    room_h = sheet_h_mm - 2 * margin_mm - LABEL_BAND_MM
    upright = _fit(room_w, room_h, item_w_mm, item_h_mm, gutter_mm)
    turned = _fit(room_w, room_h, item_h_mm, item_w_mm, gutter_mm) if allow_turning else (0, 0)
    capacity = {False: upright[0] * upright[1], True: turned[0] * turned[1]}
    if max(capacity.values()) == 0:
        raise LayoutError(
            f"Field 'sheet': an item of {item_w_mm:g} × {item_h_mm:g} mm with its bleed does not fit on a "
            f"{sheet_w_mm:g} × {sheet_h_mm:g} mm sheet with {margin_mm:g} mm margins and the label's "
            f"{LABEL_BAND_MM:g} mm band",
            "sheet",
        )
    if n_up is None:
        turn = capacity[True] > capacity[False]
    else:
        most = max(capacity.values())
        if n_up > most:
            raise LayoutError(f"Field 'nUp': at most {most} items fit on this sheet, not {n_up}", "nUp")
        turn = capacity[False] < n_up
    columns, rows = turned if turn else upright
    count = capacity[turn] if n_up is None else n_up
    columns = min(columns, count)
    return Grid(
        sheet_w_mm,
        sheet_h_mm,
        item_h_mm if turn else item_w_mm,
        item_w_mm if turn else item_h_mm,
        columns,
        math.ceil(count / columns),
        count,
        turn,
        gutter_mm,
        margin_mm,
    )


def _fit(room_w: float, room_h: float, cell_w: float, cell_h: float, gutter: float) -> tuple[int, int]:
    def across(room: float, cell: float) -> int:
        return max(0, math.floor((room + gutter) / (cell + gutter) + 1e-9))

    return across(room_w, cell_w), across(room_h, cell_h)


@dataclass(frozen=True)
class Item:
    """One thing to gang: its PDFs (pages in order: the front, then the back) and what the label
    calls its order."""

    pdfs: list[bytes]
    order_number: str


@dataclass(frozen=True)
class Imposed:
    """The sheets' PDF, their grid, how many sheets there are and whether they are printed both
    sides."""

    pdf: bytes
    grid: Grid
    sheet_count: int
    duplex: bool


@dataclass(frozen=True)
class _Page:
    """An item's page opened: the page, its trim box's centre in points and its trim and bleed
    boxes' sizes in mm."""

    page: pikepdf.Page
    trim_centre_pt: tuple[float, float]
    trim_w_mm: float
    trim_h_mm: float
    bleed_w_mm: float
    bleed_h_mm: float


def impose(
    items: list[Item],
    layout: Callable[[float, float], Grid],
    order: str,
    *,
    identity: Identity,
    intent: OutputIntent,
    label_font: Path,
) -> Imposed:
    """The items ganged on sheets laid out as `layout` gives for the largest bleed box among their
    pages (its width and height in mm), in `order` (ORDERS), the file a PDF/X-4 for
    `intent` named and dated by `identity` (its title heads each label), the labels set in
    `label_font` (a TrueType file).

    Raises ItemError for an item PDF that cannot be read, has more than two pages, or is made for
    another output intent than `intent`; what `layout` raises.
    """
    output = pikepdf.new()
    sources: list[pikepdf.Pdf] = []
    try:
        opened = []
        for number, item in enumerate(items):
            pdf, pages = _open(item, number, intent)
            sources.append(pdf)
            opened.append(pages)
        every_page = [page for pages in opened for page in pages]
        grid = layout(
            max(page.bleed_w_mm for page in every_page), max(page.bleed_h_mm for page in every_page)
        )
        sheet_count = math.ceil(len(items) / grid.n_up)
        slots = _slots(len(items), grid.n_up, sheet_count, order)
        duplex = any(len(pages) == 2 for pages in opened)
        sides = ("front", "back") if duplex else ("front",)
        when = f"{identity.modified:%Y-%m-%d %H:%M} UTC"
        characters = set(identity.title + when + "".join(item.order_number for item in items))
        font = _LabelFont(label_font, characters | set(_LABEL_WORDS + "".join(sides)))
        for sheet in range(sheet_count):
            for side, side_name in enumerate(sides):
                drawing = _SheetPage(output, grid, font.resource(output))
                for item_index, (sheet_of, slot) in enumerate(slots):
                    if sheet_of != sheet or side >= len(opened[item_index]):
                        continue
                    column, row = grid.slot(slot)
                    if side == 1:
                        column = grid.columns - 1 - column  # the mirrored slot (the grid is symmetric)
                    turns = (1 if grid.turned else 0) * (-1 if side == 1 else 1)
                    drawing.place(opened[item_index][side], column, row, turns)
                numbers = _numbers(items, slots, sheet)
                place = f"sheet {sheet + 1} of {sheet_count}"
                drawing.finish(_label(font, grid, identity.title, numbers, when, place, side_name))
        mark_pdfx4(output, identity, intent, _digest(items, grid, order, identity.title))
        written = io.BytesIO()
        output.save(written, deterministic_id=True, force_version=PDF_VERSION)
    finally:
        for pdf in sources:
            pdf.close()
        output.close()
    return Imposed(written.getvalue(), grid, sheet_count, duplex)


def _slots(count: int, n_up: int, sheet_count: int, order: str) -> list[tuple[int, int]]:
    """Each item's (sheet, slot)."""
    if order == CUT_AND_STACK:
        return [(index % sheet_count, index // sheet_count) for index in range(count)]
    return [(index // n_up, index % n_up) for index in range(count)]


def _numbers(items: list[Item], slots: list[tuple[int, int]], sheet: int) -> list[str]:
    numbers = []
    for item, (sheet_of, _) in zip(items, slots, strict=True):
        if sheet_of == sheet and item.order_number not in numbers:
            numbers.append(item.order_number)
    return numbers


def _open(item: Item, number: int, intent: OutputIntent) -> tuple[pikepdf.Pdf, list[_Page]]:
    """The item's PDFs as one (its pages in order), checked against the output intent."""
    pdfs = [_read(data, number) for data in item.pdfs]
    for pdf in pdfs:
        components = _intent_components(pdf)
        if components is not None and components != intent.components:
            made = {3: "RGB", 4: "CMYK"}.get(components, f"{components}-colour")
            wanted = {3: "RGB", 4: "CMYK"}.get(intent.components, "")
            raise ItemError(
                f"Item {number + 1} (order {item.order_number}) is a {made} PDF, but the sheet is {wanted}: "
                "its PDF was made before the product's colour mode changed; approve or render it again"
            )
    first = pdfs[0]
    for other in pdfs[1:]:
        first.pages.extend(other.pages)
        other.close()
    return first, _pages([first], number)


def _read(data: bytes, number: int) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as error:
        raise ItemError(f"Item {number + 1}'s PDF cannot be read: {error}") from None


def _pages(pdfs: list[pikepdf.Pdf], number: int) -> list[_Page]:
    pages = [page for pdf in pdfs for page in pdf.pages]
    if not 1 <= len(pages) <= 2:
        raise ItemError(
            f"Item {number + 1} has {len(pages)} pages: a press sheet gangs items of one or two sides"
        )
    opened = []
    for page in pages:
        bleed = _box(page.obj.get("/BleedBox") or page.obj.MediaBox)
        trim = _box(page.obj.get("/TrimBox") or page.obj.get("/BleedBox") or page.obj.MediaBox)
        opened.append(
            _Page(
                page,
                ((trim[0] + trim[2]) / 2, (trim[1] + trim[3]) / 2),
                (trim[2] - trim[0]) * MM_PER_POINT,
                (trim[3] - trim[1]) * MM_PER_POINT,
                (bleed[2] - bleed[0]) * MM_PER_POINT,
                (bleed[3] - bleed[1]) * MM_PER_POINT,
            )
        )
    return opened


def _intent_components(pdf: pikepdf.Pdf) -> int | None:
    for intent in pdf.Root.get("/OutputIntents", []):
        profile = intent.get("/DestOutputProfile")
        if profile is not None:
            return int(profile.get("/N", 0))
    return None


def _box(box) -> tuple[float, float, float, float]:
    left, bottom, right, top = (float(value) for value in box)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


class _SheetPage:
    """One side of a sheet being drawn: the items placed, then their crop marks and the label."""

    def __init__(self, output: pikepdf.Pdf, grid: Grid, font: pikepdf.Dictionary):
        self.output = output
        self.grid = grid
        self.page = output.add_blank_page(
            page_size=(_pt_decimal(grid.sheet_w_mm), _pt_decimal(grid.sheet_h_mm))
        )
        self.forms = pikepdf.Dictionary()
        self.font = font
        self.operators: list[str] = []
        self.trims: list[tuple[float, float, float, float, int, int]] = []  # mm, and the slot

    def place(self, item_page: _Page, column: int, row: int, turns: int) -> None:
        """Draw the item's page with its trim box's centre on the slot's, turned a quarter `turns`
        times anticlockwise."""
        centre_x, centre_y = self.grid.centre(column, row)
        form = item_page.page.as_form_xobject()
        form.BBox = item_page.page.obj.get("/BleedBox") or item_page.page.obj.MediaBox
        if "/Group" in item_page.page.obj:
            form.Group = item_page.page.obj.Group
        name = f"/PwItem{len(self.forms)}"
        self.forms[name] = self.output.copy_foreign(form)
        cos, sin = round(math.cos(turns * math.pi / 2)), round(math.sin(turns * math.pi / 2))
        source_x, source_y = item_page.trim_centre_pt
        target_x, target_y = centre_x / MM_PER_POINT, centre_y / MM_PER_POINT
        move_x = target_x - (cos * source_x - sin * source_y)
        move_y = target_y - (sin * source_x + cos * source_y)
        self.operators.append(f"q {cos} {sin} {-sin} {cos} {_n(move_x)} {_n(move_y)} cm {name} Do Q")
        trim_w_mm, trim_h_mm = item_page.trim_w_mm, item_page.trim_h_mm
        if turns % 2:
            trim_w_mm, trim_h_mm = trim_h_mm, trim_w_mm
        half_w, half_h = trim_w_mm / 2, trim_h_mm / 2
        self.trims.append(
            (centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h, column, row)
        )

    def finish(self, label: bytes) -> None:
        """The crop marks and the label, the page's resources and boxes."""
        marks = [f"q {_REGISTRATION} CS 1 SCN {MARK_WIDTH_PT} w 0 J"]
        for trim in self.trims:
            marks += [
                f"{_n(x1 / MM_PER_POINT)} {_n(y1 / MM_PER_POINT)} m {_n(x2 / MM_PER_POINT)} "
                f"{_n(y2 / MM_PER_POINT)} l"
                for x1, y1, x2, y2 in self._marks(*trim)
            ]
        marks.append("S Q")
        text = (
            f"q {_REGISTRATION} cs 1 scn BT {_LABEL_FONT} {LABEL_SIZE_PT:g} Tf "
            f"{_n(self.grid.margin_mm / MM_PER_POINT)} {_n(LABEL_BASELINE_MM / MM_PER_POINT)} Td"
        ).encode()
        content = "\n".join([*self.operators, *marks]).encode()
        content += b"\n" + text + b" " + pikepdf.String(label).unparse() + b" Tj ET Q"
        self.page.obj.Contents = self.output.make_stream(content)
        self.page.obj.Resources = pikepdf.Dictionary(
            XObject=self.forms,
            ColorSpace=pikepdf.Dictionary({_REGISTRATION: _registration()}),
            Font=pikepdf.Dictionary({_LABEL_FONT: self.font}),
        )
        sheet = pikepdf.Array([0, 0, _pt_decimal(self.grid.sheet_w_mm), _pt_decimal(self.grid.sheet_h_mm)])
        self.page.obj.MediaBox = sheet
        self.page.obj.BleedBox = sheet
        self.page.obj.TrimBox = sheet

    def _marks(
        self, left: float, bottom: float, right: float, top: float, column: int, row: int
    ) -> Iterator[tuple[float, float, float, float]]:
        """The lines of an item's crop marks, in mm: at each corner of its trim, one in line with
        each edge, starting MARK_GAP_MM outside the bleed."""
        grid = self.grid
        bleed_x = (grid.cell_w_mm - (right - left)) / 2
        bleed_y = (grid.cell_h_mm - (top - bottom)) / 2
        between = min(MARK_LENGTH_MM, grid.gutter_mm - 2 * MARK_GAP_MM)
        # Mirrored back pages count their columns from the other side: the grid is symmetric.
        first_column, last_column = column == 0, column == grid.columns - 1
        first_row, last_row = row == 0, row == grid.rows - 1
        up = MARK_LENGTH_MM if first_row else between
        down = MARK_LENGTH_MM if last_row else between
        leftwards = MARK_LENGTH_MM if first_column else between
        rightwards = MARK_LENGTH_MM if last_column else between
        for x in (left, right):
            start = top + bleed_y + MARK_GAP_MM
            yield x, start, x, start + up
            start = bottom - bleed_y - MARK_GAP_MM
            yield x, start, x, start - down
        for y in (bottom, top):
            start = left - bleed_x - MARK_GAP_MM
            yield start, y, start - leftwards, y
            start = right + bleed_x + MARK_GAP_MM
            yield start, y, start + rightwards, y


def _registration() -> pikepdf.Array:
    """The registration colour: Separation /All, on every plate (black where shown alone)."""
    tint = pikepdf.Dictionary(
        FunctionType=2, Domain=pikepdf.Array([0, 1]), C0=pikepdf.Array([1]), C1=pikepdf.Array([0]), N=1
    )
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.All, pikepdf.Name.DeviceGray, tint])


class _LabelFont:
    """The label's font (a TrueType file) subset to what the labels may say, embedded as a simple
    TrueType font in WinAnsiEncoding: a character outside it is printed as '?'."""

    def __init__(self, path: Path, characters: set[str]):
        try:
            self.font = _subset(path, characters)
        except OSError as error:
            raise ItemError(f"The label's font cannot be read ({error}): run make install") from None
        self.cmap = self.font.getBestCmap()
        self.units = self.font["head"].unitsPerEm
        self.object: pikepdf.Dictionary | None = None

    def width_pt(self, text: str) -> float:
        advances = self.font["hmtx"]
        units = sum(advances[self.cmap.get(ord(char), ".notdef")][0] for char in text)
        return units * LABEL_SIZE_PT / self.units

    def resource(self, output: pikepdf.Pdf) -> pikepdf.Dictionary:
        """The font's dictionary in `output`, made once."""
        if self.object is None:
            self.object = output.make_indirect(self._dictionary(output))
        return self.object

    def _dictionary(self, output: pikepdf.Pdf) -> pikepdf.Dictionary:
        data = io.BytesIO()
        self.font.save(data)
        font_file = output.make_stream(data.getvalue())
        font_file.Length1 = len(data.getvalue())
        head, hhea = self.font["head"], self.font["hhea"]
        scale = 1000 / self.units
        name = pikepdf.Name("/PWLABL+" + self.font["name"].getDebugName(6).replace(" ", ""))
        widths = []
        for code in range(32, 256):
            char = bytes([code]).decode("cp1252", errors="ignore")
            glyph = self.cmap.get(ord(char)) if char else None
            widths.append(round(self.font["hmtx"][glyph][0] * scale) if glyph else 0)
        descriptor = pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor,
            FontName=name,
            Flags=32,  # non-symbolic: its codes are WinAnsi, mapped through the font's Unicode cmap
            FontBBox=pikepdf.Array(
                [round(value * scale) for value in (head.xMin, head.yMin, head.xMax, head.yMax)]
            ),
            ItalicAngle=0,
            Ascent=round(hhea.ascent * scale),
            Descent=round(hhea.descent * scale),
            CapHeight=round(hhea.ascent * scale * 0.7),
            StemV=80,
            FontFile2=font_file,
        )
        return pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=name,
            FirstChar=32,
            LastChar=255,
            Widths=pikepdf.Array(widths),
            Encoding=pikepdf.Name.WinAnsiEncoding,
            FontDescriptor=output.make_indirect(descriptor),
        )


def _label(
    font: _LabelFont, grid: Grid, title: str, numbers: list[str], when: str, sheet: str, side: str
) -> bytes:
    """One side's label, its order numbers cut short ("+ 3 more") to fit the sheet's width."""
    room_pt = (grid.sheet_w_mm - 2 * grid.margin_mm) / MM_PER_POINT
    shown = len(numbers)
    while True:
        listed = ", ".join(numbers[:shown]) + (
            f" + {len(numbers) - shown} more" if shown < len(numbers) else ""
        )
        text = f"{title} · orders {listed} · {when} · {sheet} · {side}"
        if shown == 0 or font.width_pt(text) <= room_pt:
            return text.encode("cp1252", errors="replace")
        shown -= 1


def _subset(path: Path, characters: set[str]) -> TTFont:
    font = TTFont(io.BytesIO(path.read_bytes()), lazy=True)
    # A label is set glyph by glyph, unshaped: the layout tables (seconds to read and subset) go
    # before anything reads them.
    for tag in ("GSUB", "GPOS", "GDEF", "kern"):
        if tag in font:
            del font[tag]
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(char) for char in characters if ord(char) >= 32})
    subsetter.subset(font)
    return font


def _digest(items: list[Item], grid: Grid, order: str, title: str) -> str:
    digest = hashlib.sha256(f"{grid!r} {order} {title}\n".encode())
    for item in items:
        for data in item.pdfs:
            digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _pt_decimal(length_mm: float) -> Decimal:
    return Decimal(f"{length_mm / MM_PER_POINT:.3f}")


def _n(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")
