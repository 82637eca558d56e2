import { useState, type FormEvent } from "react";
import { api } from "../api";
import { ProgressBar } from "../components/ProgressBar";
import { Status } from "../components/Status";
import { usePoll } from "../poll";
import type { CompanySpec, SyntheticRun } from "../types";

const DEFAULTS: CompanySpec = {
  name: "Contoso Outdoor", industry: "outdoor gear", customers: 50, products: 20, purchases: 200, conversations: 100, seed: 7,
};
const COUNTS: { field: keyof CompanySpec; label: string; min: number; max: number }[] = [
  { field: "customers", label: "Customers", min: 1, max: 1000 },
  { field: "products", label: "Products", min: 1, max: 500 },
  { field: "purchases", label: "Purchases", min: 0, max: 10000 },
  { field: "conversations", label: "Past conversations", min: 0, max: 5000 },
  { field: "seed", label: "Seed", min: 0, max: 2147483647 },
];

/** Generates the synthetic company; the progress bar follows the orchestration's custom status. */
export function SyntheticPage() {
  const company = usePoll(api.company, 3000);
  const generating = company.data?.status === "generating";
  const runId = company.data?.run_id;
  const run = usePoll<SyntheticRun | null>(() => (runId ? api.run(runId) : Promise.resolve(null)), generating ? 250 : 0, [
    runId, generating,
  ]);
  const [spec, setSpec] = useState(DEFAULTS);
  const [message, setMessage] = useState("");

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setMessage(done);
    } catch (error) {
      setMessage((error as Error).message);
    }
    company.refresh();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    act(() => api.generate(spec), `Generating ${spec.name}…`);
  };

  const progress = run.data?.progress?.progress ?? {};
  const done = Object.values(progress).reduce((n, k) => n + k.done, 0);
  const total = Object.values(progress).reduce((n, k) => n + k.total, 0);

  return (
    <section aria-labelledby="synthetic-title">
      <h1 id="synthetic-title">Synthetic data</h1>
      <p role="status" className="message">
        {message}
      </p>
      {company.error && <p role="alert" className="error">Could not read the company: {company.error}</p>}
      {company.data && (
        <div className="card">
          <h2>
            {company.data.name} <small>({company.data.industry})</small>
          </h2>
          <p>
            Generation: <Status value={company.data.status} />
            {company.data.error && <> — {company.data.error}</>}
          </p>
          {(generating || total > 0) && (
            <>
              <ProgressBar label="Generation progress" value={done} max={total || 1} text={`${done} of ${total} items`} />
              <ul className="kinds">
                {Object.entries(progress).map(([kind, k]) => (
                  <li key={kind}>
                    {kind}: {k.done} of {k.total}
                  </li>
                ))}
              </ul>
            </>
          )}
          {generating ? (
            <button type="button" onClick={() => act(() => api.cancel(company.data!.run_id), "Cancelling…")}>
              Cancel generation
            </button>
          ) : (
            <>
              <p>
                {Object.entries(company.data.totals)
                  .map(([kind, t]) => `${t.stored} ${kind}`)
                  .join(", ")}
              </p>
              <button
                type="button"
                className="danger"
                onClick={() =>
                  window.confirm(`Delete ${company.data!.name} and everything it owns?`) &&
                  act(() => api.deleteCompany(), "The company was deleted.")
                }
              >
                Delete company
              </button>
            </>
          )}
        </div>
      )}
      {company.data === null && (
        <form onSubmit={submit} className="card form-grid" aria-label="Generate a company">
          <label htmlFor="company-name">Company name</label>
          <input id="company-name" value={spec.name} maxLength={80} required onChange={(e) => setSpec({ ...spec, name: e.target.value })} />
          <label htmlFor="industry">Industry</label>
          <input id="industry" value={spec.industry} maxLength={60} required onChange={(e) => setSpec({ ...spec, industry: e.target.value })} />
          {COUNTS.map(({ field, label, min, max }) => (
            <div key={field} className="field">
              <label htmlFor={field}>{label}</label>
              <input
                id={field}
                type="number"
                min={min}
                max={max}
                required
                value={spec[field]}
                onChange={(e) => setSpec({ ...spec, [field]: Number(e.target.value) })}
              />
            </div>
          ))}
          <button type="submit">Generate</button>
        </form>
      )}
    </section>
  );
}
