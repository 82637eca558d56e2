"""All business data of the running loop, one object: what the functions use."""

from __future__ import annotations

from dataclasses import dataclass

from shared.analytics.dashboard import Dashboard
from shared.data.company import Companies
from shared.data.cosmos import cosmos_store
from shared.data.repositories import Cases, Conversations, Customers, Products, Purchases
from shared.settings import Settings


@dataclass(frozen=True)
class BusinessData:
    companies: Companies
    customers: Customers
    products: Products
    purchases: Purchases
    conversations: Conversations
    dashboard: Dashboard
    cases: Cases

    async def forget_customer(self, customer_id: str) -> dict[str, int] | None:
        """Deletes a customer with their purchases and conversations; None if there was no such customer."""
        if await self.customers.get(customer_id) is None:
            return None
        forgotten = {"purchases": await self.purchases.forget_customer(customer_id),
                     "conversations": await self.conversations.forget_customer(customer_id),
                     "cases": await self.cases.forget_customer(customer_id)}
        await self.customers.delete(customer_id)
        return forgotten


async def app_data() -> BusinessData:
    """The business data of this process's settings: what the functions use."""
    from shared.settings import get_settings

    return await business_data(get_settings())


async def business_data(settings: Settings) -> BusinessData:
    """Repositories over the running loop's Cosmos client; containers are created on first use."""
    store = cosmos_store(settings)
    dashboard = Dashboard(await store.container("dashboard"))
    return BusinessData(
        companies=Companies(await store.container("company")),
        customers=Customers(await store.container("customers")),
        products=Products(await store.container("products")),
        purchases=Purchases(await store.container("purchases")),
        conversations=Conversations(await store.container("conversations"), dashboard),
        dashboard=dashboard,
        cases=Cases(await store.container("cases")),
    )
