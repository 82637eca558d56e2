"""Business data: models, repositories over Cosmos DB, the company record."""
