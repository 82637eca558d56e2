"""Blob storage writes shared by the features that keep files: knowledge documents, the email outbox."""

from __future__ import annotations

import contextlib

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import ContentSettings
from azure.storage.blob.aio import BlobServiceClient

from shared.azure_http import transport
from shared.credentials import identity
from shared.settings import Settings


def blob_service(settings: Settings) -> BlobServiceClient:
    """Azurite or a connection string by default; `AzureWebJobsStorage__accountName` (the form the Functions
    host reads in Azure) means the account's blob endpoint with the managed identity."""
    if settings.storage_account:
        return BlobServiceClient(f"https://{settings.storage_account}.blob.core.windows.net",
                                 credential=identity(settings), transport=transport())
    return BlobServiceClient.from_connection_string(settings.storage_connection, transport=transport())


async def put_blob(settings: Settings, container: str, name: str, data: bytes | str, content_type: str) -> None:
    """Writes (or replaces) a blob, creating its container on first use."""
    async with blob_service(settings) as service:
        client = service.get_container_client(container)
        with contextlib.suppress(ResourceExistsError):
            await client.create_container()
        await client.upload_blob(name, data, overwrite=True,
                                 content_settings=ContentSettings(content_type=content_type))


async def delete_all_blobs(settings: Settings, container: str) -> int:
    """Empties a container but keeps it (a trigger may watch it); returns how many blobs went."""
    async with blob_service(settings) as service:
        client = service.get_container_client(container)
        if not await client.exists():
            return 0
        deleted = 0
        async for blob in client.list_blobs():
            with contextlib.suppress(ResourceNotFoundError):  # deleted meanwhile by someone else
                await client.delete_blob(blob.name)
                deleted += 1
        return deleted
