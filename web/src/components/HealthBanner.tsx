import { health } from "../api";
import { usePoll } from "../poll";

/** Says plainly when the function app or one of its dependencies is down (from /api/health). */
export function HealthBanner() {
  const report = usePoll(health, 10000);
  if (report.error && !report.data) {
    return (
      <div role="alert" className="banner banner-down">
        <strong>Service unavailable:</strong> the function app is not answering. Pages show nothing new until it is back.
      </div>
    );
  }
  if (report.error) {
    return (
      <div role="alert" className="banner banner-down">
        <strong>Service unavailable:</strong> the function app stopped answering ({report.error}).
      </div>
    );
  }
  const down = Object.entries(report.data?.dependencies ?? {}).filter(([, d]) => d.status === "down");
  if (!report.data || down.length === 0) return null;
  return (
    <div role="alert" className="banner banner-down">
      <strong>Service degraded:</strong>{" "}
      {down.map(([name, d]) => `${name} is down (${d.detail})`).join("; ")}. What depends on it will fail until it is back.
    </div>
  );
}
