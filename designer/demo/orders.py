"""Demo orders `make run` seeds, so the orders list and the production board show the flow at
once: three customers' business cards, personalized and saved as a customer does in the editor,
ordered by the storefront and at different points of production.

Through the same services as the API. Seeded once: a store that has any order is left alone.
"""

from designer.designs.models import Design
from designer.designs.service import change_layer, complete_project, start_personalization
from designer.editing.schemas import LayerChange
from designer.extensions import db
from designer.orders.models import Order
from designer.orders.schemas import OrderCreate, OrderUpdate
from designer.orders.service import create_order, update_order
from designer.products.service import find_product
from designer.tenancy import in_store

# (number, customer, city, status, production stage) of each demo order.
DEMO_ORDERS = [
    ("1001", "Grace Hopper", "Arlington", "paid", "queue"),
    ("1002", "Katherine Johnson", "Hampton", "paid", "press"),
    ("1003", "Hedy Lamarr", "Vienna", "pending", "queue"),
]


def seed_demo_orders(store_id: str) -> list[Order]:
    """Three orders of personalized demo business cards, unless the store has orders already.
    Their projects are completed, so proofs and print-ready PDFs are queued once committed.

    Flushes, never commits. Returns the orders added.
    """
    if db.session.scalars(in_store(db.select(Order.id), store_id)).first() is not None:
        return []
    card = find_product(store_id, "business-card")
    orders = []
    for number, name, city, status, stage in DEMO_ORDERS:
        project = start_personalization(store_id, card, customer={"name": name})
        statement = in_store(db.select(Design).where(Design.project_id == project.id), store_id)
        for design in db.session.scalars(statement):
            _type_name(store_id, design, name)
        complete_project(store_id, project)
        email = f"{name.split()[0].lower()}@example.com"
        order = create_order(
            store_id,
            OrderCreate.model_validate(
                {
                    "number": number,
                    "status": status,
                    "customer": {"id": f"cus_{number}", "email": email, "name": name},
                    "shipping": {"name": name, "address1": "1 Main Street", "city": city, "country": "US"},
                    "lineItems": [{"sku": "CARD-85x55-250", "quantity": 250, "projectId": project.id}],
                }
            ),
        )
        if stage != "queue":
            update_order(order, OrderUpdate.model_validate({"productionStage": stage}))
        orders.append(order)
    return orders


def _type_name(store_id: str, design: Design, name: str) -> None:
    """The customer types their name in the design's Name field, as in the editor."""
    for layer in design.layers:
        if layer.get("name") == "Name":
            typed = LayerChange.model_validate({"text": name})
            change_layer(store_id, design, layer["id"], typed)
