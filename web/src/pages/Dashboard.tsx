import { api } from "../api";
import { CountChart } from "../components/Chart";
import { usePoll } from "../poll";

/** Conversations by topic, product, agent, sentiment, outcome and day; calls and chats appear as they end. */
export function DashboardPage() {
  const dashboard = usePoll(api.dashboard, 3000);
  const products = usePoll(() => api.productNames(), 0, [dashboard.data?.company?.status]);
  const d = dashboard.data;
  const byProduct = Object.fromEntries(Object.entries(d?.by_product ?? {}).map(([id, n]) => [products.data?.[id] ?? id, n]));
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Dashboard</h1>
      {dashboard.error && <p role="alert" className="error">Could not read the dashboard: {dashboard.error}</p>}
      {d && (
        <>
          <p aria-live="polite" data-testid="conversation-count">
            {d.company ? `${d.company.name} (${d.company.industry}): ` : "No company yet: "}
            <strong>{d.conversations}</strong> conversations
          </p>
          <div className="charts">
            <CountChart title="By topic" counts={d.by_topic} />
            <CountChart title="By product" counts={byProduct} />
            <CountChart title="By agent" counts={d.by_agent} />
            <CountChart title="By sentiment" counts={d.by_sentiment} />
            <CountChart title="By outcome" counts={d.by_outcome} />
            <CountChart title="By day" counts={d.by_day} kind="line" sortByCount={false} />
          </div>
        </>
      )}
    </section>
  );
}
