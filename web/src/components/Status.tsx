/** A state in words with a symbol; the colour only repeats what the words say. */
const TONE: Record<string, [string, string]> = {
  indexed: ["ok", "✓"], complete: ["ok", "✓"], Completed: ["ok", "✓"], up: ["ok", "✓"], verified: ["ok", "✓"],
  failed: ["bad", "✗"], Failed: ["bad", "✗"], down: ["bad", "✗"], refused: ["bad", "✗"], cancelled: ["warn", "■"],
  Terminated: ["warn", "■"], uploaded: ["busy", "…"], indexing: ["busy", "…"], generating: ["busy", "…"],
  Running: ["busy", "●"], live: ["busy", "●"], ended: ["ok", "✓"], transferred: ["ok", "↗"], "timed out": ["warn", "■"],
  "not answered": ["warn", "■"], "not connected": ["warn", "■"], Pending: ["busy", "…"], "not verified": ["warn", "○"],
};

export function Status({ value }: { value: string }) {
  const [tone, symbol] = TONE[value] ?? ["plain", "•"];
  return (
    <span className={`status status-${tone}`}>
      <span aria-hidden="true">{symbol}</span> {value}
    </span>
  );
}
