"""What the media path reports besides tool calls: the call's transcript lines as they are heard, and the
read-backs of an answer the caller cut off (nobody may confirm them any more)."""

from __future__ import annotations

import azure.durable_functions as df
import azure.functions as func

from blueprints.http import KIB, json_response, refusing
from blueprints.service import session_of

bp = df.Blueprint()
TRANSCRIPT_BYTES = 256 * KIB  # 50 lines of at most 4000 characters


@bp.route(route="sessions/transcript", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@bp.durable_client_input(client_name="client")
@refusing(TRANSCRIPT_BYTES)
async def transcript(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    """Lines of the call's transcript (speaker, agent, text, time) and the agents handed to since the last ones."""
    from blueprints.conversations import track
    from blueprints.http import parse_body
    from shared.conversation import transcript as lines_of
    from shared.conversation.tracking import report
    from shared.settings import get_settings

    settings = get_settings()
    session = await session_of(req, settings)
    if isinstance(session, func.HttpResponse):
        return session
    body = parse_body(req, lines_of.TranscriptLines, TRANSCRIPT_BYTES)
    turns = await lines_of.append(settings, session, body)
    if body.handoffs or any(line.speaker == "caller" for line in body.lines):
        await track(client, session, report("turn", [], body.handoffs))
    return json_response({"kept": len(body.lines), "turns": turns})


@bp.route(route="sessions/proposals/drop", methods=["POST"], auth_level=func.AuthLevel.ANONYMOUS)
@refusing(4 * KIB)
async def drop_proposals(req: func.HttpRequest) -> func.HttpResponse:
    """The caller interrupted the answer that read these back: they can no longer be confirmed."""
    from blueprints.api_models import DroppedProposals
    from blueprints.http import parse_body
    from shared.conversation.in_process import drop_proposals as drop
    from shared.settings import get_settings

    settings = get_settings()
    session = await session_of(req, settings)
    if isinstance(session, func.HttpResponse):
        return session
    body = parse_body(req, DroppedProposals, 4 * KIB)
    await drop(settings, session.id, body.proposal_ids)
    return json_response({"dropped": len(body.proposal_ids)})
