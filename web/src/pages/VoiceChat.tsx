import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, voice } from "../api";
import { Transcript, type Line } from "../components/Transcript";
import { usePoll } from "../poll";
import type { VoiceSession } from "../types";

const VOICES = [
  { id: "default", label: "The agent's own voice" },
  { id: "espeak", label: "espeak-ng (offline, robotic)" },
];

/** Talk to the agents as a synthetic customer (the demo login): by voice, or by typing in the same conversation. */
export function VoiceChatPage() {
  const customers = usePoll(api.customers, 0);
  const [customerId, setCustomerId] = useState("");
  const [voiceId, setVoiceId] = useState(VOICES[0].id);
  const [session, setSession] = useState<VoiceSession | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [agent, setAgent] = useState("");
  const [verified, setVerified] = useState(false);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  const sessionRef = useRef<VoiceSession | null>(null);
  sessionRef.current = session;

  useEffect(() => {
    if (!customerId && customers.data?.length) setCustomerId(customers.data[0].id);
  }, [customers.data, customerId]);
  useEffect(() => () => void (sessionRef.current && voice.end(sessionRef.current).catch(() => undefined)), []);

  const start = async () => {
    setMessage("");
    try {
      const opened = await voice.open(customerId);
      setSession(opened);
      setVerified(opened.verified);
      setLines([]);
      setMessage(`Signed in as ${opened.first_name} (identified, not verified).`);
    } catch (error) {
      setMessage(`Could not start: ${(error as Error).message}`);
    }
  };
  const end = async () => {
    if (!session) return;
    await voice.end(session).catch(() => undefined);
    setSession(null);
    setMessage("The conversation ended.");
  };
  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!session || !text.trim()) return;
    const said = text.trim();
    setText("");
    setBusy(true);
    setLines((all) => [...all, { speaker: "caller", agent: null, text: said }]);
    try {
      const reply = await voice.say(session, said);
      setAgent(reply.agent);
      if (reply.tool_calls.some((t) => t.name === "verify_caller" && t.ok)) setVerified(true);
      setLines((all) => [
        ...all,
        { speaker: "agent", agent: reply.agent, text: reply.reply, tools: reply.tool_calls, citations: reply.citations },
      ]);
    } catch (error) {
      setMessage(`The agent did not answer: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="voice-title">
      <h1 id="voice-title">Voice chat</h1>
      <p role="status" className="message">
        {message}
      </p>
      {customers.error && <p role="alert" className="error">Could not list the customers: {customers.error}</p>}
      {customers.data && customers.data.length === 0 && <p>No customers yet: generate a company under Synthetic data.</p>}
      <div className="card form-row">
        <label htmlFor="customer">Customer</label>
        <select id="customer" value={customerId} onChange={(e) => setCustomerId(e.target.value)} disabled={!!session}>
          {(customers.data ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.first_name} {c.last_name}
            </option>
          ))}
        </select>
        <label htmlFor="voice">Voice</label>
        <select id="voice" value={voiceId} onChange={(e) => setVoiceId(e.target.value)} disabled={!!session}>
          {VOICES.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </select>
        {session ? (
          <button type="button" onClick={end}>
            End conversation
          </button>
        ) : (
          <button type="button" onClick={start} disabled={!customerId}>
            Start conversation
          </button>
        )}
      </div>
      {session && (
        <>
          <p className="session-state" aria-live="polite">
            Active agent: <strong data-testid="active-agent">{agent || "router"}</strong> ·{" "}
            {verified ? "✓ verified" : "○ not verified"}
          </p>
          <div className="card">
            <button type="button" disabled aria-describedby="mic-note">
              🎤 Speak
            </button>{" "}
            <span id="mic-note">Voice needs the media path, which this server does not run yet: type below instead.</span>
          </div>
          <Transcript lines={lines} live />
          <form onSubmit={send} className="form-row">
            <label htmlFor="message">Message</label>
            <input id="message" value={text} onChange={(e) => setText(e.target.value)} maxLength={4000} autoComplete="off" />
            <button type="submit" disabled={busy || !text.trim()}>
              {busy ? "Waiting…" : "Send"}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
