"""The function app: masks personal data in its logs, builds the app and registers every blueprint."""

import azure.durable_functions as df
import azure.functions as func

from blueprints.admin import bp as admin
from blueprints.calls import bp as calls
from blueprints.conversations import bp as conversations
from blueprints.diagnostics import bp as diagnostics
from blueprints.documents import bp as documents
from blueprints.effects import bp as effects
from blueprints.ingestion import bp as ingestion
from blueprints.synthetic import bp as synthetic
from blueprints.tools import bp as tools
from blueprints.voice import bp as voice
from shared.privacy.log_filter import install_log_masking

# The root logger's handlers are the Python worker's in Azure and the local host's here.
install_log_masking()

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)
for blueprint in (admin, calls, conversations, diagnostics, documents, effects, ingestion, synthetic, tools,
                  voice):
    app.register_functions(blueprint)
