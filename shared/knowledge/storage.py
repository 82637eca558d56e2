"""The uploaded files, in the blob container the ingestion trigger watches.

Ingestion works on one version of a file, named by its ETag: the version whose event started it.
"""

from __future__ import annotations

from azure.core import MatchConditions
from azure.core.exceptions import ResourceModifiedError, ResourceNotFoundError

from shared.blobs import blob_service, delete_all_blobs, put_blob
from shared.knowledge.extract import SUPPORTED, extension_of
from shared.settings import Settings

# The blob trigger watches this container (its path is fixed in the decorator).
CONTAINER = "documents"


def same_version(etag: str, other: str) -> bool:
    # Hosts and SDKs differ in whether they keep an ETag's quotes.
    return etag.strip('"') == other.strip('"')


class DocumentFiles:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def put(self, name: str, data: bytes) -> None:
        await put_blob(self._settings, CONTAINER, name, data, SUPPORTED[extension_of(name)])

    async def get(self, name: str, version: str) -> bytes | None:
        """That version's content; None once the file was deleted or replaced."""
        async with blob_service(self._settings) as service:
            try:
                download = await service.get_blob_client(CONTAINER, name).download_blob(
                    etag=version, match_condition=MatchConditions.IfNotModified)
                return await download.readall()
            except (ResourceNotFoundError, ResourceModifiedError):
                return None

    async def is_current(self, name: str, version: str) -> bool:
        """True while `version` is what the name holds: neither deleted nor replaced."""
        async with blob_service(self._settings) as service:
            try:
                properties = await service.get_blob_client(CONTAINER, name).get_blob_properties()
            except ResourceNotFoundError:
                return False
            return same_version(str(properties.etag), version)

    async def delete(self, name: str) -> bool:
        async with blob_service(self._settings) as service:
            try:
                await service.get_blob_client(CONTAINER, name).delete_blob()
            except ResourceNotFoundError:
                return False
            return True

    async def delete_all(self) -> int:
        return await delete_all_blobs(self._settings, CONTAINER)
