"""All business data of the running loop, one object: what the functions use."""

from __future__ import annotations

from dataclasses import dataclass

from shared.analytics.dashboard import Dashboard
from shared.data.company import Companies
from shared.data.cosmos import cosmos_store
from shared.data.repositories import Conversations, Customers, Products, Purchases
from shared.settings import Settings


@dataclass(frozen=True)
class BusinessData:
    companies: Companies
    customers: Customers
    products: Products
    purchases: Purchases
    conversations: Conversations
    dashboard: Dashboard


async def business_data(settings: Settings) -> BusinessData:
    """Repositories over the running loop's Cosmos client; containers are created on first use."""
    store = cosmos_store(settings)
    dashboard = Dashboard(await store.container("dashboard"))
    return BusinessData(
        companies=Companies(await store.container("company")),
        customers=Customers(await store.container("customers")),
        products=Products(await store.container("products")),
        purchases=Purchases(await store.container("purchases")),
        conversations=Conversations(await store.container("conversations"), on_new=dashboard.count),
        dashboard=dashboard,
    )
