"""The uploaded files, in the blob container the ingestion trigger watches."""

from __future__ import annotations

from azure.core.exceptions import ResourceNotFoundError

from shared.blobs import blob_service, put_blob
from shared.knowledge.extract import SUPPORTED, extension_of
from shared.settings import Settings

# The blob trigger watches this container (its path is fixed in the decorator).
CONTAINER = "documents"


class DocumentFiles:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def put(self, name: str, data: bytes) -> None:
        await put_blob(self._settings, CONTAINER, name, data, SUPPORTED[extension_of(name)])

    async def get(self, name: str) -> bytes:
        async with blob_service(self._settings) as service:
            return await (await service.get_blob_client(CONTAINER, name).download_blob()).readall()

    async def delete(self, name: str) -> bool:
        async with blob_service(self._settings) as service:
            try:
                await service.get_blob_client(CONTAINER, name).delete_blob()
            except ResourceNotFoundError:
                return False
            return True
