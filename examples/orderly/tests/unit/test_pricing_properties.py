"""Property-based check on how OrderService prices, merges and charges order lines."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fakes import FakePaymentGateway, InMemoryCatalog, InMemoryOrderRepository
from orderly.domain.models import Product
from orderly.domain.services import OrderItem, OrderService

CATALOG = [
    Product(sku="BOOK-001", name="Release It!", unit_price=Decimal("39.90"), stock=1_000),
    Product(sku="MUG-002", name="Enamel mug", unit_price=Decimal("12.50"), stock=1_000),
    Product(sku="PEN-003", name="Fountain pen", unit_price=Decimal("0.99"), stock=1_000),
]
PRICES = {p.sku: p.unit_price for p in CATALOG}

requests = st.lists(
    st.tuples(st.sampled_from(sorted(PRICES)), st.integers(min_value=1, max_value=5)),
    min_size=1,
    max_size=6,
)


@given(requests)
def test_charged_amount_always_equals_sum_of_lines(requested: list[tuple[str, int]]) -> None:
    gateway = FakePaymentGateway()
    service = OrderService(InMemoryOrderRepository(), gateway, InMemoryCatalog(*CATALOG))

    order = service.place_order(1, [OrderItem(sku, qty) for sku, qty in requested])

    expected = sum((PRICES[sku] * qty for sku, qty in requested), Decimal("0"))
    assert gateway.charges[-1].amount == order.total == expected
    # Repeated SKUs collapse into one line without losing any units.
    assert len({line.sku for line in order.lines}) == len(order.lines)
    assert sum(line.quantity for line in order.lines) == sum(qty for _, qty in requested)
