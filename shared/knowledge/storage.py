"""The uploaded files, in the blob container the ingestion trigger watches."""

from __future__ import annotations

import contextlib

from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import ContentSettings
from azure.storage.blob.aio import BlobServiceClient

from shared.knowledge.extract import SUPPORTED, extension_of
from shared.settings import Settings

# The blob trigger watches this container (its path is fixed in the decorator).
CONTAINER = "documents"


class DocumentFiles:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def _service(self) -> BlobServiceClient:
        return BlobServiceClient.from_connection_string(self._settings.storage_connection)

    async def put(self, name: str, data: bytes) -> None:
        async with self._service() as service:
            container = service.get_container_client(CONTAINER)
            with contextlib.suppress(ResourceExistsError):
                await container.create_container()
            await container.upload_blob(name, data, overwrite=True, content_settings=ContentSettings(
                content_type=SUPPORTED[extension_of(name)]))

    async def get(self, name: str) -> bytes:
        async with self._service() as service:
            blob = service.get_blob_client(CONTAINER, name)
            return await (await blob.download_blob()).readall()

    async def delete(self, name: str) -> bool:
        async with self._service() as service:
            try:
                await service.get_blob_client(CONTAINER, name).delete_blob()
            except ResourceNotFoundError:
                return False
            return True
