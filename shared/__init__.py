"""The call-center domain: plain Python that never imports azure.functions."""
