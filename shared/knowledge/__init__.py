"""The knowledge base: documents extracted, chunked, embedded and indexed for hybrid search with citations."""
