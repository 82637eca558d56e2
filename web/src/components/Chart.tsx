import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

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
  const data = entries.slice(0, 12).map(([name, count]) => ({ name, count }));
  const id = `chart-${title.toLowerCase().replace(/\W+/g, "-")}`;
  const words = data.length ? data.map((d) => `${d.name}: ${d.count}`).join(", ") : "no conversations yet";
  return (
    <figure className="chart card" aria-labelledby={id} data-testid={id}>
      <figcaption id={id}>{title}</figcaption>
      <div role="img" aria-label={`${title}: ${words}`}>
        {kind === "bar" ? (
          <BarChart width={440} height={220} data={data} accessibilityLayer={false} margin={{ left: 0, right: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} tick={{ fontSize: 11 }} />
            <YAxis allowDecimals={false} />
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
