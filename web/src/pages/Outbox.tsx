import { api } from "../api";
import { usePoll } from "../poll";

/** Emails as the local mail server received them (sent while offline), newest first. */
export function OutboxPage() {
  const mails = usePoll(api.outbox, 5000);
  const items = mails.data ?? [];
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">Outbox</h1>
      {mails.error && <p role="alert" className="error">Could not read the outbox: {mails.error}</p>}
      {mails.data && items.length === 0 && <p>No email has been sent yet.</p>}
      <ul className="mails">
        {items.map((m, i) => (
          <li key={String(m.message_id ?? i)} className="card">
            <h2>{m.subject || "(no subject)"}</h2>
            <dl className="pairs">
              <dt>From</dt>
              <dd>{m.from}</dd>
              <dt>To</dt>
              <dd>{m.to}</dd>
              <dt>Received</dt>
              <dd>{m.received_at ? new Date(m.received_at).toLocaleString() : "—"}</dd>
            </dl>
            <details>
              <summary>Message</summary>
              <pre>{m.body}</pre>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
