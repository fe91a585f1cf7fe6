"""Gang sheets: the line items of one product, in the orders of one production stage, ganged n-up
on press sheets as one production PDF (press_sheet.py), and those orders moved to press.

Each line prints the file production prints for it: its approved proof, exactly the approved bytes
(approvals/), or, for a line with nothing approved, the latest print-ready PDF of its project (or
of each of its designs, a page each), which must be rendered. A line that has none, or whose file
is not what it should be, stops the gang with the reason; nothing is half made.

It runs in the request: placing pages as forms copies their bytes, nothing is drawn again
(bench/imposition.py: 100 two-sided cards in under a second on a busy two-core machine), so a gang
is limited to MAX_LINE_ITEMS line items, a few seconds with reading their files.

Callers own the transaction: this flushes, never commits. Moving the orders goes through the
orders service, which records `production.status_changed` for each (outbox).
"""

from functools import partial

from flask import current_app
from sqlalchemy import func
from sqlalchemy.orm import contains_eager

from designer.approvals.service import approved_pdf, find_approval
from designer.errors import Conflict, NotFound, ValidationFailed
from designer.extensions import db
from designer.files.service import get_file, read_file, store_rendered
from designer.ids import new_id
from designer.imposition.models import GangSheet
from designer.imposition.press_sheet import Item as SheetItem
from designer.imposition.press_sheet import ItemError, LayoutError, impose, plan_grid
from designer.imposition.schemas import GangSheetCreate
from designer.library.default_library import library_root
from designer.models import utcnow
from designer.orders.models import PRESS, LineItem, Order
from designer.orders.present import rendered_owners
from designer.orders.schemas import OrderUpdate
from designer.orders.service import IN_WORK, update_order
from designer.products.models import Product
from designer.products.service import find_product_or_invalid
from designer.rendering.colour_modes import separation_for
from designer.rendering.models import DONE
from designer.rendering.pdf import RenderError
from designer.rendering.pdfx import SRGB, Identity
from designer.rendering.renders import latest_render
from designer.tenancy import get_in_store, in_store

SHEETS_MM = {"sra3": (320.0, 450.0), "a3": (297.0, 420.0), "13x19": (330.2, 482.6)}
MAX_LINE_ITEMS = 200
LABEL_FONT_FILE = "Montserrat_400Regular.ttf"  # the default library's (library/fonts/)


def gang_orders(store_id: str, fields: GangSheetCreate) -> GangSheet:
    """Gang the line items of the product in the orders of the stage (paid or in production, oldest
    first) on press sheets, store the PDF, and move those orders to press.

    Raises ValidationFailed naming the field for a product that is not the store's, a custom sheet
    without its size, or a layout that leaves no room (`sheet`, `nUp`, `gutterMm`, `marginMm`);
    Conflict for no orders to gang, more than MAX_LINE_ITEMS, or a line whose PDF cannot be
    printed (the reason and its order named).
    """
    product = find_product_or_invalid(store_id, fields.product_id, "productId")
    width_mm, height_mm = _sheet_size(fields)
    lines = lines_to_gang(store_id, product.id, fields.stage)
    if not lines:
        raise Conflict(
            f"No paid order of {product.name} is in {fields.stage}: there is nothing to gang",
            field="productId",
        )
    if len(lines) > MAX_LINE_ITEMS:
        raise Conflict(
            f"{len(lines)} line items of {product.name} are in {fields.stage}; a gang sheet PDF takes at "
            f"most {MAX_LINE_ITEMS}: move some orders on first",
            field="productId",
        )
    items = [SheetItem(line_pdfs(line), line.order.number) for line in lines]
    sheet = GangSheet(id=new_id("gang_sheet"), store_id=store_id, product_id=product.id, stage=fields.stage)
    layout = partial(
        plan_grid,
        width_mm,
        height_mm,
        gutter_mm=fields.gutter_mm,
        margin_mm=fields.margin_mm,
        allow_turning=fields.allow_turning,
        n_up=fields.n_up,
    )
    try:
        separation = separation_for(product)
        imposed = impose(
            items,
            layout,
            fields.order,
            identity=Identity(f"{product.name} · {sheet.id}", utcnow()),
            intent=separation.output_intent if separation is not None else SRGB,
            label_font=library_root(current_app.config.get("LIBRARY_PATH")) / "fonts" / LABEL_FONT_FILE,
        )
    except LayoutError as error:
        raise ValidationFailed(str(error), field=error.field) from None
    except (ItemError, RenderError) as error:
        raise Conflict(str(error)) from None
    grid = imposed.grid
    sheet.layout = {
        "sheet": fields.sheet,
        "widthMm": width_mm,
        "heightMm": height_mm,
        "order": fields.order,
        "gutterMm": fields.gutter_mm,
        "marginMm": fields.margin_mm,
        "columns": grid.columns,
        "rows": grid.rows,
        "nUp": grid.n_up,
        "turned": grid.turned,
    }
    file = store_rendered(
        store_id,
        key=f"{store_id}/{sheet.id}/gang-sheet.pdf",
        filename=f"{sheet.id}.pdf",
        data=imposed.pdf,
        purpose="print",
    )
    orders = list({line.order.id: line.order for line in lines}.values())
    sheet.file_id, sheet.sha256, sheet.size_bytes = file.id, file.sha256, file.size_bytes
    sheet.sheet_count, sheet.duplex = imposed.sheet_count, imposed.duplex
    sheet.order_ids = [order.id for order in orders]
    sheet.line_item_ids = [line.id for line in lines]
    db.session.add(sheet)
    for order in orders:
        update_order(order, OrderUpdate(production_stage=PRESS))
    db.session.flush()
    return sheet


def _sheet_size(fields: GangSheetCreate) -> tuple[float, float]:
    if fields.sheet != "custom":
        return SHEETS_MM[fields.sheet]
    for name, value in (("widthMm", fields.width_mm), ("heightMm", fields.height_mm)):
        if value is None:
            raise ValidationFailed(f"Field '{name}': a custom sheet needs its {name[:-2]} in mm", field=name)
    return fields.width_mm, fields.height_mm


def lines_to_gang(store_id: str, product_id: str, stage: str) -> list[LineItem]:
    """The product's line items in the orders of `stage` that are paid or in production, oldest order
    first, in each order's line order (with their orders loaded)."""
    statement = (
        db.select(LineItem)
        .join(Order, LineItem.order_id == Order.id)
        .where(LineItem.product_id == product_id, Order.production_stage == stage, Order.status.in_(IN_WORK))
        .order_by(Order.created_at, Order.id, LineItem.position, LineItem.id)
        .options(contains_eager(LineItem.order))
    )
    return list(db.session.scalars(in_store(statement, store_id)).unique())


def line_pdfs(line: LineItem) -> list[bytes]:
    """The PDFs a line prints: its approved proof's bytes, else the latest print-ready PDF of its
    project (or of each of its designs).

    Raises Conflict naming the order for a line with nothing to print, a PDF not rendered (or
    failed), or an approved file that is gone or changed.
    """
    number = line.order.number
    if line.approval_id is not None:
        approval = find_approval(line.store_id, line.approval_id)
        if approval is None:
            raise Conflict(
                f"Order {number}: the approved proof of line '{line.sku}' is gone: nothing is printed"
            )
        return [approved_pdf(approval)[0]]
    owners = rendered_owners(line)
    if not owners:
        raise Conflict(f"Order {number}: line '{line.sku}' has no design to print")
    pdfs = []
    for kind, owner_id in owners:
        render = latest_render(line.store_id, kind, owner_id)
        if render is None or render.status != DONE or render.file_id is None:
            state = render.status if render is not None else "not asked for"
            raise Conflict(
                f"Order {number}: the print-ready PDF of line '{line.sku}' ({owner_id}) is {state}: "
                "render it, then gang"
            )
        try:
            pdfs.append(read_file(get_file(line.store_id, render.file_id)))
        except NotFound:
            raise Conflict(f"Order {number}: the PDF of line '{line.sku}' is missing from storage") from None
    return pdfs


def gang_candidates(store_id: str, stage: str) -> list[tuple[Product, int]]:
    """The products with line items in the orders of `stage` that are being worked on, and how
    many orders each, by name."""
    statement = (
        db.select(LineItem.product_id, func.count(func.distinct(Order.id)))
        .join(Order, LineItem.order_id == Order.id)
        .where(LineItem.product_id.is_not(None), Order.production_stage == stage, Order.status.in_(IN_WORK))
        .group_by(LineItem.product_id)
    )
    counts = dict(db.session.execute(in_store(statement, store_id)).all())
    if not counts:
        return []
    products = db.session.scalars(in_store(db.select(Product).where(Product.id.in_(counts)), store_id))
    return sorted(((product, counts[product.id]) for product in products), key=lambda pair: pair[0].name)


def find_gang_sheet(store_id: str, gang_sheet_id: str) -> GangSheet:
    """Raises NotFound for an id that is not one of the store's gang sheets."""
    return get_in_store(GangSheet, gang_sheet_id, store_id)


def gang_sheet_pdf(sheet: GangSheet) -> bytes:
    """The sheets' PDF. Raises Conflict when it is no longer stored."""
    try:
        if sheet.file_id is None:
            raise NotFound(sheet.id)
        return read_file(get_file(sheet.store_id, sheet.file_id))
    except NotFound:
        raise Conflict(f"The PDF of gang sheet '{sheet.id}' is no longer stored: gang again") from None
