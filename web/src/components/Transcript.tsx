import type { Turn } from "../types";

export interface Line extends Turn {
  tools?: { name: string; ok: boolean; error?: string | null }[];
  citations?: string[];
  interrupted?: boolean;
}

/** A conversation's turns: who spoke (and which agent), what tools ran, what was cited. */
export function Transcript({ lines, live }: { lines: Line[]; live?: boolean }) {
  if (lines.length === 0) return <p>Nothing said yet.</p>;
  return (
    <ol className="transcript" aria-live={live ? "polite" : undefined} aria-label="Transcript">
      {lines.map((line, i) => (
        <li key={i} className={`turn turn-${line.speaker}`}>
          <span className="speaker">{line.speaker === "caller" ? "Caller" : `Agent (${line.agent ?? "agent"})`}:</span>{" "}
          <span className="said">{line.text}</span>
          {line.interrupted && <em className="interrupted"> (interrupted)</em>}
          {line.tools && line.tools.length > 0 && (
            <ul className="tools" aria-label="Tool calls">
              {line.tools.map((t, j) => (
                <li key={j}>
                  Tool <code>{t.name}</code>: {t.ok ? "✓ done" : `✗ refused${t.error ? ` (${t.error})` : ""}`}
                </li>
              ))}
            </ul>
          )}
          {line.citations && line.citations.length > 0 && <p className="citations">Sources: {line.citations.join("; ")}</p>}
        </li>
      ))}
    </ol>
  );
}
