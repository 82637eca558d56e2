"""An app with a Durable entity (the docs' Counter), which the local host refuses at start."""

from __future__ import annotations

import azure.durable_functions as df

app = df.DFApp()


@app.entity_trigger(context_name="context")
def Counter(context: df.DurableEntityContext) -> None:  # noqa: N802 (the docs' name)
    current_value = context.get_state(lambda: 0)
    operation = context.operation_name
    if operation == "add":
        current_value += context.get_input()
    elif operation == "reset":
        current_value = 0
    context.set_state(current_value)
