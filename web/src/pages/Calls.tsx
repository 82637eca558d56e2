import { useEffect, useRef, useState } from "react";
import { api } from "../api";
import { Status } from "../components/Status";
import { Transcript } from "../components/Transcript";
import { usePoll } from "../poll";
import type { ConversationRun } from "../types";

const live = (run: ConversationRun) => run.runtimeStatus === "Running" || run.runtimeStatus === "Pending";

/** Live and past calls and chats, from their orchestrations; a live one's transcript follows as it is spoken. */
export function CallsPage() {
  const runs = usePoll(api.conversations, 2000);
  const [chosen, setChosen] = useState<string | null>(null);
  const items = runs.data ?? [];
  return (
    <section aria-labelledby="calls-title">
      <h1 id="calls-title">Calls and chats</h1>
      {runs.error && <p role="alert" className="error">Could not list the calls: {runs.error}</p>}
      {runs.data && items.length === 0 && <p>No calls or chats in the last 7 days.</p>}
      <div className="split">
        {items.length > 0 && (
          <table className="runs">
            <caption className="visually-hidden">Calls and chats, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Channel</th>
                <th scope="col">State</th>
                <th scope="col">Phase</th>
                <th scope="col">Agents</th>
                <th scope="col">Verified</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <tr key={run.id} aria-current={chosen === run.id ? "true" : undefined} data-testid={`run-${run.id}`}>
                  <td>
                    <button type="button" className="link" onClick={() => setChosen(run.id)}>
                      <span className="visually-hidden">Open the {run.channel === "phone" ? "call" : "chat"} of </span>
                      {run.createdTime ? new Date(run.createdTime).toLocaleString() : run.id}
                    </button>
                  </td>
                  <td>{run.channel === "phone" ? "phone call" : "chat"}</td>
                  <td>
                    <Status value={live(run) ? "live" : run.state?.status ?? run.runtimeStatus ?? "unknown"} />
                  </td>
                  <td>{run.state?.phase ?? "—"}</td>
                  <td>{(run.state?.agents ?? []).join(" → ")}</td>
                  <td>{run.state?.verified ? "✓ verified" : "○ not verified"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {chosen && <CallDetail id={chosen} />}
      </div>
    </section>
  );
}

function CallDetail({ id }: { id: string }) {
  const detail = usePoll(() => api.conversation(id), 1000, [id]);
  const d = detail.data;
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = d?.id === id;
  useEffect(() => {
    if (shown) heading.current?.focus(); // the keyboard and screen reader land on what was opened
  }, [shown, id]);
  if (detail.error) return <p role="alert" className="error">Could not read {id}: {detail.error}</p>;
  if (!d || d.id !== id) return <p>Loading {id}…</p>;
  const state = d.state ?? {};
  return (
    <article className="card detail" aria-labelledby="detail-title" data-testid="call-detail">
      <h2 id="detail-title" ref={heading} tabIndex={-1}>
        {d.channel === "phone" ? "Phone call" : "Chat"} {d.id}
      </h2>
      <dl className="pairs">
        <dt>State</dt>
        <dd>
          <Status value={live(d) ? "live" : state.status ?? d.runtimeStatus ?? "unknown"} /> ({state.phase ?? "—"})
        </dd>
        <dt>Agents visited</dt>
        <dd>{(state.agents ?? []).join(" → ") || "—"}</dd>
        <dt>Verification</dt>
        <dd>{state.verified ? "✓ verified" : "○ not verified"}</dd>
        <dt>Caller turns</dt>
        <dd>{state.turns ?? 0}</dd>
        <dt>Tool calls</dt>
        <dd>
          {Object.entries(state.tool_counts ?? {}).map(([name, n]) => `${name} × ${n}`).join(", ") || "none"}
          {state.refused ? ` (${state.refused} refused)` : ""}
        </dd>
        {state.timeline && state.timeline.length > 0 && (
          <>
            <dt>Timeline</dt>
            <dd>{state.timeline.map((t) => `${t.phase} ${new Date(t.at).toLocaleTimeString()}`).join(" → ")}</dd>
          </>
        )}
      </dl>
      {d.record && (
        <>
          <h3>Summary</h3>
          <p data-testid="summary">{d.record.summary}</p>
          <p className="tags" aria-label="Tags">
            <span className="tag">topic: {d.record.topic}</span>
            <span className="tag">sentiment: {d.record.sentiment}</span>
            <span className="tag">outcome: {d.record.outcome}</span>
            {d.record.product_id && <span className="tag">product: {d.record.product_id}</span>}
            <span className="tag">{d.record.duration_seconds} s</span>
          </p>
        </>
      )}
      <h3>Transcript</h3>
      <Transcript lines={d.transcript} live={live(d)} />
    </article>
  );
}
