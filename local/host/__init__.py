"""A small Azure Functions host for this app: HTTP, Event Grid and blob triggers, and Durable Functions.

It runs the product offline where Azure Functions Core Tools cannot be installed. Product code
never imports it: the host reads the app's functions from `function_app.app`.
"""
