import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, voice } from "../api";
import { Transcript, type Line } from "../components/Transcript";
import { usePoll } from "../poll";
import type { VoiceSession } from "../types";
import { VoiceCall, type VoiceEvent } from "../voice/call";

/** Talk to the agents as a synthetic customer (the demo login): by voice, or by typing in the same conversation. */
export function VoiceChatPage() {
  const customers = usePoll(api.customers, 0);
  const status = usePoll(voice.status, 0);
  const hasVoice = status.data?.voice;
  const [customerId, setCustomerId] = useState("");
  const [voiceName, setVoiceName] = useState("");
  const [session, setSession] = useState<VoiceSession | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [partial, setPartial] = useState("");
  const [agent, setAgent] = useState("");
  const [verified, setVerified] = useState(false);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  const [call, setCall] = useState<VoiceCall | null>(null);
  const [agentSpeaking, setAgentSpeaking] = useState(false);
  const sessionRef = useRef<VoiceSession | null>(null);
  const callRef = useRef<VoiceCall | null>(null);
  sessionRef.current = session;
  callRef.current = call;

  useEffect(() => {
    if (!customerId && customers.data?.length) setCustomerId(customers.data[0].id);
  }, [customers.data, customerId]);
  useEffect(
    () => () => {
      callRef.current?.hangUp();
      if (sessionRef.current) voice.end(sessionRef.current).catch(() => undefined);
    },
    [],
  );

  const add = (line: Line) => setLines((all) => [...all, line]);
  const onEvent = (event: VoiceEvent) => {
    switch (event.type) {
      case "caller":
        add({ speaker: "caller", agent: null, text: event.text });
        break;
      case "delta":
        setPartial((p) => p + event.text);
        break;
      case "turn":
        setPartial("");
        setAgent(event.agent);
        if (event.said) {
          add({ speaker: "agent", agent: event.agent, text: event.said, interrupted: event.interrupted, tools: event.tools,
            citations: event.citations });
        }
        break;
      case "verification":
        setVerified(event.verified);
        break;
      case "handoff":
        setAgent(event.target);
        break;
      case "ended":
        setMessage(`The conversation ended (${event.reason}).`);
        break;
    }
  };

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
    call?.hangUp();
    setCall(null);
    if (session) await voice.end(session).catch(() => undefined);
    setSession(null);
    setMessage("The conversation ended.");
  };
  const toggleMicrophone = async () => {
    if (call) {
      call.hangUp();
      setCall(null);
      return;
    }
    if (!session) return;
    try {
      setCall(await VoiceCall.start(session.token, session.ticket, voiceName, {
        onEvent,
        onAgentSpeaking: setAgentSpeaking,
        // The answer being played is the last agent line, unless its turn has not been reported yet
        // (then the engine reports it as interrupted itself).
        onInterrupted: () =>
          setLines((all) => {
            const speakers = all.map((l) => l.speaker);
            const last = speakers.lastIndexOf("agent");
            if (last < 0 || last < speakers.lastIndexOf("caller")) return all;
            return all.map((l, i) => (i === last ? { ...l, interrupted: true } : l));
          }),
        onClosed: (reason) => {
          setCall(null);
          setAgentSpeaking(false);
          setMessage(`Voice stopped: ${reason}.`);
        },
      }));
      setMessage("Listening: speak now.");
    } catch (error) {
      setMessage(`Voice could not start: ${(error as Error).message}`);
    }
  };
  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!session || !text.trim()) return;
    const said = text.trim();
    setText("");
    setBusy(true);
    add({ speaker: "caller", agent: null, text: said });
    try {
      const reply = await voice.say(session, said);
      setAgent(reply.agent);
      if (reply.tool_calls.some((t) => t.name === "verify_caller" && t.ok)) setVerified(true);
      add({ speaker: "agent", agent: reply.agent, text: reply.reply, tools: reply.tool_calls, citations: reply.citations });
      if (reply.tool_calls.some((t) => t.name === "end_call" && t.ok)) setMessage("The agent ended the conversation.");
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
            {call && <> · {agentSpeaking ? "the agent is speaking" : "listening"}</>}
          </p>
          <div className="card form-row">
            <label htmlFor="voice">Voice</label>
            <select id="voice" value={voiceName} onChange={(e) => setVoiceName(e.target.value)} disabled={!!call}>
              {["", ...(status.data?.voices ?? [])].map((v) => (
                <option key={v} value={v}>
                  {v || "the agent's own"}
                </option>
              ))}
            </select>
            <button type="button" onClick={toggleMicrophone} aria-pressed={!!call} disabled={hasVoice !== true}
              aria-describedby="mic-note">
              {call ? "■ Stop speaking" : "● Speak"}
            </button>
            <span id="mic-note">
              {hasVoice === false
                ? "Voice needs the media path, which this server does not run: type below instead."
                : "The agent's voice plays here; speak over it to interrupt. Typing continues the same conversation."}
            </span>
          </div>
          <Transcript lines={partial ? [...lines, { speaker: "agent", agent: agent || null, text: `${partial}…` }] : lines} live />
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
