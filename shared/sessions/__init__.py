"""Sessions: one conversation with one identified customer, what has been verified, what awaits a yes."""
