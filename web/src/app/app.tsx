import { useEffect, useState } from 'react';

interface Health {
  status: string;
  database: string;
}

/**
 * The shell of the web app: it proves the server serves the UI and reaches the API. The engineer's
 * phone view, duty board, planner, billing and customer portal grow from here (issue 8).
 */
export function App() {
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch('/api/v1/health')
      .then((res) => res.json() as Promise<Health>)
      .then(setHealth)
      .catch((e: unknown) => setError(String(e)));
  }, []);

  return (
    <main
      style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '3rem auto', padding: '0 1rem' }}
    >
      <h1>Ballou Server Assistans</h1>
      <p>Jour, larm, åtgärder och fakturering av utryckningar.</p>
      <p data-testid="health">
        {health
          ? `Servern svarar: ${health.status} (${health.database})`
          : error
            ? `Ingen kontakt: ${error}`
            : 'Kontrollerar…'}
      </p>
      <p>
        <a href="/api/docs">API-dokumentation</a>
      </p>
    </main>
  );
}
