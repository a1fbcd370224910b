"""The product catalog as stored in the database (the source behind the Redis cache)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from orderly.domain.models import Product
from orderly.storage.tables import ProductRow


class SqlProductCatalog:
    """Implements ``orderly.domain.ports.ProductCatalog`` straight from the database."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get_product(self, sku: str) -> Product | None:
        row = self._session.get(ProductRow, sku)
        return _product_to_domain(row) if row is not None else None

    def list_products(self) -> list[Product]:
        rows = self._session.scalars(select(ProductRow).order_by(ProductRow.sku))
        return [_product_to_domain(row) for row in rows]


def _product_to_domain(row: ProductRow) -> Product:
    return Product(sku=row.sku, name=row.name, unit_price=row.unit_price, stock=row.stock)
