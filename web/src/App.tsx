import { useEffect, useState } from "react";
import { adminKey, KEY_REFUSED, setAdminKey } from "./api";
import { AdminKeyForm } from "./components/AdminKey";
import { HealthBanner } from "./components/HealthBanner";
import { CallsPage } from "./pages/Calls";
import { DashboardPage } from "./pages/Dashboard";
import { FilesPage } from "./pages/Files";
import { OutboxPage } from "./pages/Outbox";
import { SyntheticPage } from "./pages/Synthetic";
import { UploadPage } from "./pages/Upload";
import { VoiceChatPage } from "./pages/VoiceChat";

const PAGES = {
  dashboard: { title: "Dashboard", page: DashboardPage },
  calls: { title: "Calls", page: CallsPage },
  voice: { title: "Voice chat", page: VoiceChatPage },
  upload: { title: "Upload", page: UploadPage },
  files: { title: "Files", page: FilesPage },
  synthetic: { title: "Synthetic data", page: SyntheticPage },
  outbox: { title: "Outbox", page: OutboxPage },
} as const;
type PageName = keyof typeof PAGES;

function current(): PageName {
  const name = window.location.hash.replace(/^#\/?/, "");
  return name in PAGES ? (name as PageName) : "dashboard";
}

export function App() {
  const [page, setPage] = useState<PageName>(current);
  const [hasKey, setHasKey] = useState(() => adminKey() !== null);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    const moved = () => setPage(current());
    const keyRefused = () => {
      setHasKey(false);
      setRefused(true);
    };
    window.addEventListener("hashchange", moved);
    window.addEventListener(KEY_REFUSED, keyRefused);
    return () => {
      window.removeEventListener("hashchange", moved);
      window.removeEventListener(KEY_REFUSED, keyRefused);
    };
  }, []);
  useEffect(() => {
    document.title = `${PAGES[page].title} · Call center`;
  }, [page]);

  const Page = PAGES[page].page;
  return (
    <>
      <a href="#main" className="skip" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        Skip to content
      </a>
      <header>
        <p className="brand">Call center</p>
        <nav aria-label="Pages">
          <ul>
            {(Object.keys(PAGES) as PageName[]).map((name) => (
              <li key={name}>
                <a href={`#/${name}`} aria-current={name === page ? "page" : undefined}>
                  {PAGES[name].title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {hasKey && (
          <button type="button" className="link" onClick={() => { setAdminKey(null); setHasKey(false); setRefused(false); }}>
            Forget admin key
          </button>
        )}
      </header>
      <HealthBanner />
      <main id="main" tabIndex={-1}>
        {hasKey ? <Page key={page} /> : <AdminKeyForm refused={refused} onSaved={() => { setHasKey(true); setRefused(false); }} />}
      </main>
    </>
  );
}
