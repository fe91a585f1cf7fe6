"""/api/v1 routes for gang sheets: `POST /gang-sheets` gangs a production stage's orders of one
product on press sheets and moves them to press; `GET /gang-sheets/{id}` and its `/pdf`.

Orders' callers use them (the account, secret tokens with an orders scope). The production board's
"Gang" form posts here with htmx and gets `_gang.html` back: the form, the new sheet's download
link, and the board redrawn out of band (its orders moved to press); a refused form comes back
with its errors inline.
"""

from designer.api.auth import MERCHANTS
from designer.api.downloads import send_bytes
from designer.api.resource import Routes
from designer.api.respond import respond
from designer.api.schemas import StoreQuery
from designer.api.store_scope import store_id_of
from designer.imposition import service
from designer.imposition.present import gang_sheet_out
from designer.imposition.schemas import GangSheetCreate, GangSheetOut
from designer.orders.models import STAGES
from designer.orders.service import production_board

_GANG = "dashboard/orders/_gang.html"

gang_sheets = Routes("/gang-sheets", resource="orders")


@gang_sheets.route("POST", auth=MERCHANTS, response=GangSheetOut, status=201, form=_GANG)
def create_gang_sheet(caller, query: StoreQuery, body: GangSheetCreate):
    """Gang a production stage's orders of one product n-up on press sheets (SRA3, A3, 13 × 19 in or custom;
    step-and-repeat or cut-and-stack; crop marks, work-and-turn backs, a label) as one PDF/X-4 in the
    product's output mode, and move those orders to press (production.status_changed)"""
    store_id = store_id_of(caller)
    sheet = service.gang_orders(store_id, body)
    board = production_board(store_id)
    values = {"productId": body.product_id}
    return respond(
        gang_sheet_out(sheet),
        status=201,
        partial=_GANG,
        sheet=sheet,
        board=board,
        stages=STAGES,
        values=values,
    )


@gang_sheets.route("GET /<gang_sheet_id>", auth=MERCHANTS, response=GangSheetOut)
def get_gang_sheet(caller, gang_sheet_id: str, query: StoreQuery):
    """Get a gang sheet: its layout, orders, line items and PDF link"""
    return respond(gang_sheet_out(service.find_gang_sheet(store_id_of(caller), gang_sheet_id)))


@gang_sheets.route("GET /<gang_sheet_id>/pdf", auth=MERCHANTS, binary={200: "application/pdf"})
def get_gang_sheet_pdf(caller, gang_sheet_id: str, query: StoreQuery):
    """The gang sheet's PDF (ETag its SHA-256); 409 when it is no longer stored"""
    sheet = service.find_gang_sheet(store_id_of(caller), gang_sheet_id)
    return send_bytes(
        service.gang_sheet_pdf(sheet), "application/pdf", etag=sheet.sha256, filename=f"{sheet.id}.pdf"
    )
