"""Order endpoints for the signed-in customer."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from orderly.api.dependencies import CurrentUser, OrderServiceDep
from orderly.api.schemas import OrderCreate, OrderOut, OrderPage
from orderly.domain.services import MAX_PAGE_SIZE, OrderItem

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("", response_model=OrderPage)
def list_orders(
    user: CurrentUser,
    service: OrderServiceDep,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> OrderPage:
    orders, total = service.list_orders(user.id, page=page, page_size=page_size)
    return OrderPage(
        items=[OrderOut.from_domain(order) for order in orders],
        total=total,
        page=page,
        page_size=page_size,
    )


@router.get("/{order_id}", response_model=OrderOut)
def get_order(order_id: int, user: CurrentUser, service: OrderServiceDep) -> OrderOut:
    return OrderOut.from_domain(service.get_order(order_id, customer_id=user.id))


@router.post("", response_model=OrderOut, status_code=status.HTTP_201_CREATED)
def place_order(payload: OrderCreate, user: CurrentUser, service: OrderServiceDep) -> OrderOut:
    items = [OrderItem(sku=line.sku, quantity=line.quantity) for line in payload.lines]
    return OrderOut.from_domain(service.place_order(user.id, items))


@router.delete("/{order_id}", response_model=OrderOut)
def cancel_order(order_id: int, user: CurrentUser, service: OrderServiceDep) -> OrderOut:
    """Cancel (and refund) an order; the record is kept with status ``cancelled``."""
    return OrderOut.from_domain(service.cancel_order(order_id, customer_id=user.id))
