import { useEffect, useRef, useState } from 'react';

/**
 * Subscribes to the server-sent events of incident changes (GET /incidents/stream, with the session
 * cookie) and calls `onChange` for each; EventSource reconnects by itself and resumes with Last-Event-ID.
 * Returns whether the stream is connected, for a "live" indicator.
 */
export function useIncidentStream(onChange: (change: { id: string }) => void): boolean {
  const [live, setLive] = useState(false);
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    const source = new EventSource('/api/v1/incidents/stream');
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('incident', (event) => {
      try {
        handler.current(JSON.parse((event as MessageEvent<string>).data) as { id: string });
      } catch {
        // a malformed event is ignored; the next one or a reload brings the board up to date
      }
    });
    return () => source.close();
  }, []);
  return live;
}
