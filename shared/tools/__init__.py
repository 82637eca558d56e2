"""The agents' tools: typed functions, validated arguments, a timeout each, scoped to the verified caller."""
