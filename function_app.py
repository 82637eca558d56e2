"""The function app: builds the app and registers every blueprint. Nothing else."""

import azure.durable_functions as df
import azure.functions as func

from blueprints.diagnostics import bp as diagnostics

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)
app.register_functions(diagnostics)
