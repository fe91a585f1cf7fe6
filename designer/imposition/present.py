"""Gang sheets as the API shows them."""

from designer.api.schemas import out_of
from designer.imposition.models import GangSheet
from designer.imposition.schemas import GangSheetLayout, GangSheetOut
from designer.products.urls import endpoint_url


def gang_sheet_out(sheet: GangSheet) -> GangSheetOut:
    return out_of(
        GangSheetOut,
        sheet,
        layout=GangSheetLayout.model_validate(sheet.layout),
        order_ids=list(sheet.order_ids or []),
        line_item_ids=list(sheet.line_item_ids or []),
        pdf_url=pdf_url(sheet),
    )


def pdf_url(sheet: GangSheet) -> str:
    """The API's URL of the sheets' PDF."""
    return endpoint_url("api.get_gang_sheet_pdf", gang_sheet_id=sheet.id)
