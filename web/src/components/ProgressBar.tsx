/** A progress bar that also says its value in words (colour is never the only signal). */
export function ProgressBar({ label, value, max = 1, text }: { label: string; value: number; max?: number; text?: string }) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  const words = text ?? `${Math.round(share * 100)}%`;
  return (
    <div className="progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(share * 100)}
        aria-valuetext={words}
        className="progress-track"
      >
        <div className="progress-fill" style={{ width: `${share * 100}%` }} />
      </div>
      <span className="progress-text">{words}</span>
    </div>
  );
}
