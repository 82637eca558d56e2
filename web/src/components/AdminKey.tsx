import { useState, type FormEvent } from "react";
import { setAdminKey } from "../api";

/** Asks once for the admin key; it stays in this browser session only (sessionStorage). */
export function AdminKeyForm({ refused, onSaved }: { refused: boolean; onSaved: () => void }) {
  const [key, setKey] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!key.trim()) return;
    setAdminKey(key.trim());
    onSaved();
  };
  return (
    <section aria-labelledby="key-title" className="card narrow">
      <h1 id="key-title">Admin key</h1>
      {refused && (
        <p role="alert" className="error">
          The function app refused the admin key. Enter it again.
        </p>
      )}
      <p>
        The admin pages need the function app's admin (master) key. It is kept for this browser tab's session only and
        sent with each admin request.
      </p>
      <form onSubmit={submit}>
        <label htmlFor="admin-key">Admin key</label>
        <input id="admin-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required />
        <button type="submit">Continue</button>
      </form>
    </section>
  );
}
