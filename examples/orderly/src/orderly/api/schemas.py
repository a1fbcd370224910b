"""Request and response bodies of the HTTP API."""

from datetime import datetime
from decimal import Decimal
from typing import Literal, Self

from pydantic import BaseModel, Field

from orderly.domain.models import Order, OrderStatus


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 (OAuth2 token type, not a secret)
    expires_in: int = Field(description="Lifetime of the token in seconds")


class OrderLineIn(BaseModel):
    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=1000)


class OrderCreate(BaseModel):
    lines: list[OrderLineIn] = Field(min_length=1, max_length=50)


class OrderLineOut(BaseModel):
    sku: str
    quantity: int
    unit_price: Decimal
    subtotal: Decimal


class OrderOut(BaseModel):
    id: int
    status: OrderStatus
    currency: str
    total: Decimal
    created_at: datetime
    cancelled_at: datetime | None
    lines: list[OrderLineOut]

    @classmethod
    def from_domain(cls, order: Order) -> Self:
        if order.id is None:
            raise ValueError("cannot serialise an order that was never saved")
        return cls(
            id=order.id,
            status=order.status,
            currency=order.currency,
            total=order.total,
            created_at=order.created_at,
            cancelled_at=order.cancelled_at,
            lines=[
                OrderLineOut(
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    subtotal=line.subtotal,
                )
                for line in order.lines
            ],
        )


class OrderPage(BaseModel):
    items: list[OrderOut]
    total: int
    page: int
    page_size: int
