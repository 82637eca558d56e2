import { useRef, useState, type DragEvent } from "react";
import { uploadDocument } from "../api";
import { ProgressBar } from "../components/ProgressBar";

interface Upload {
  id: number;
  name: string;
  sent: number;
  outcome: "sending" | "stored" | "failed";
  error?: string;
}

const ACCEPT = ".pdf,.docx,.txt,.md";

/** Knowledge documents: drop several files (or pick them); each one shows its own progress. */
export function UploadPage() {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const next = useRef(0);

  const send = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const id = next.current++;
      const update = (change: Partial<Upload>) =>
        setUploads((all) => all.map((u) => (u.id === id ? { ...u, ...change } : u)));
      setUploads((all) => [...all, { id, name: file.name, sent: 0, outcome: "sending" }]);
      uploadDocument(file, (sent) => update({ sent }))
        .then(() => update({ outcome: "stored" }))
        .catch((error: Error) => update({ outcome: "failed", error: error.message }));
    }
    if (input.current) input.current.value = "";
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    send(event.dataTransfer.files);
  };

  return (
    <section aria-labelledby="upload-title">
      <h1 id="upload-title">Upload documents</h1>
      <p>PDF, DOCX, TXT or MD, up to 20 MB each. Each file is indexed once it is stored: follow it under Files.</p>
      <div
        className={`dropzone${over ? " dropzone-over" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        data-testid="dropzone"
      >
        <p>{over ? "Release to upload" : "Drop files here, or"}</p>
        <label htmlFor="files" className="button">
          Choose files
        </label>
        <input id="files" type="file" multiple accept={ACCEPT} className="visually-hidden-input" onChange={(e) => send(e.target.files)} />
      </div>
      {uploads.length > 0 && (
        <ul className="uploads" aria-label="Uploads" aria-live="polite">
          {uploads.map((u) => (
            <li key={u.id}>
              <span className="upload-name">{u.name}</span>
              <ProgressBar
                label={`Upload of ${u.name}`}
                value={u.sent}
                text={u.outcome === "stored" ? "stored: indexing follows" : u.outcome === "failed" ? `failed: ${u.error}` : undefined}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
