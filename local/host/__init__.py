"""A small Azure Functions host for this app: HTTP, Event Grid, blob, timer and queue triggers, and Durable Functions.

It runs the product offline where Azure Functions Core Tools cannot be installed. Product code
never imports it: the host finds the app object in `function_app.py`, as the Python worker does.
"""
