import { useEffect, useRef, useState } from "react";
import { ApiError } from "./api";

export interface Polled<T> {
  data: T | undefined;
  error: string | null;
  refresh: () => void;
}

/** Loads `load()` now and every `everyMs` while the component is shown (not while the tab is hidden). */
export function usePoll<T>(load: () => Promise<T>, everyMs: number, deps: unknown[] = []): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const run = async () => {
      if (!document.hidden) {
        try {
          const value = await loadRef.current();
          if (!stopped) {
            setData(value);
            setError(null);
          }
        } catch (failure) {
          if (!stopped) setError(failure instanceof ApiError || failure instanceof Error ? failure.message : String(failure));
        }
      }
      if (!stopped && everyMs > 0) timer = window.setTimeout(run, everyMs);
    };
    run();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [everyMs, tick, ...deps]);
  return { data, error, refresh: () => setTick((t) => t + 1) };
}
