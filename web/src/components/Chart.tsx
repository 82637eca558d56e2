import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

const LIMIT = 12;
const DAYS = 60;

interface Props {
  title: string;
  counts: Record<string, number>;
  kind?: "bar" | "line";
  sortByCount?: boolean;
}

/** One count chart; screen readers get its figures in words and as a table. */
export function CountChart({ title, counts, kind = "bar", sortByCount = true }: Props) {
  const entries = Object.entries(counts);
  if (sortByCount) entries.sort((a, b) => b[1] - a[1]);
  else entries.sort((a, b) => a[0].localeCompare(b[0]));
  // The biggest dozen categories; for a time series, its latest points.
  const shown = kind === "bar" ? entries.slice(0, LIMIT) : entries.slice(-DAYS);
  const data = shown.map(([name, count]) => ({ name, count }));
  const id = `chart-${title.toLowerCase().replace(/\W+/g, "-")}`;
  const words = data.length ? data.map((d) => `${d.name}: ${d.count}`).join(", ") : "no conversations yet";
  return (
    <figure className="chart card" aria-labelledby={id} data-testid={id}>
      <figcaption id={id}>
        {title}
        {entries.length > shown.length && (
          <small> ({kind === "bar" ? `the ${LIMIT} largest` : `the latest ${DAYS}`} of {entries.length}; all in the table)</small>
        )}
      </figcaption>
      <div role="img" aria-label={`${title}: ${words}`}>
        {kind === "bar" ? (
          <BarChart width={440} height={40 + 24 * Math.max(data.length, 1)} data={data} layout="vertical"
            accessibilityLayer={false} margin={{ left: 0, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={160} interval={0} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="count" name="conversations" fill="#1f5fa8" isAnimationActive={false} />
          </BarChart>
        ) : (
          <LineChart width={440} height={220} data={data} accessibilityLayer={false} margin={{ left: 0, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Line dataKey="count" name="conversations" stroke="#1f5fa8" strokeWidth={2} isAnimationActive={false} />
          </LineChart>
        )}
      </div>
      <details>
        <summary>{title} as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{title.replace(/^By /, "")}</th>
              <th scope="col">Conversations</th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([name, count]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
