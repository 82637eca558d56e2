import { useState } from "react";
import { api } from "../api";
import { Status } from "../components/Status";
import { usePoll } from "../poll";

/** Every knowledge document: its state, chunk count, failure reason; delete one. */
export function FilesPage() {
  const documents = usePoll(api.documents, 2000);
  const [message, setMessage] = useState("");
  const remove = async (name: string) => {
    if (!window.confirm(`Delete ${name}, its file and its chunks?`)) return;
    try {
      await api.deleteDocument(name);
      setMessage(`${name} was deleted.`);
    } catch (error) {
      setMessage(`${name} could not be deleted: ${(error as Error).message}`);
    }
    documents.refresh();
  };
  const items = documents.data ?? [];
  return (
    <section aria-labelledby="files-title">
      <h1 id="files-title">Files</h1>
      <p role="status" className="message">
        {message}
      </p>
      {documents.error && <p role="alert" className="error">Could not list the documents: {documents.error}</p>}
      {documents.data && items.length === 0 && <p>No documents yet: upload some under Upload.</p>}
      {items.length > 0 && (
        <table>
          <caption className="visually-hidden">Knowledge documents and their indexing state</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">State</th>
              <th scope="col">Chunks</th>
              <th scope="col">Size</th>
              <th scope="col">Updated</th>
              <th scope="col">Failure reason</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-testid={`document-${d.id}`}>
                <th scope="row">{d.id}</th>
                <td>
                  <Status value={d.state} />
                </td>
                <td>{d.chunks ?? "—"}</td>
                <td>{d.size == null ? "—" : `${Math.ceil(d.size / 1024)} KiB`}</td>
                <td>{new Date(d.updated_at).toLocaleString()}</td>
                <td>{d.reason ?? "—"}</td>
                <td>
                  <button type="button" className="danger" onClick={() => remove(d.id)} aria-label={`Delete ${d.id}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
