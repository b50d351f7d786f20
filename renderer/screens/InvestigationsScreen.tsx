/** Placeholder for the investigations screen (filled in by its own change). */
import type { AuditClient } from '../api/types.ts';

export function InvestigationsScreen({ client }: { client: AuditClient }) {
  void client;
  return (
    <main className="page" data-testid="screen-investigations">
      <header className="page__head">
        <h1>Investigations</h1>
      </header>
    </main>
  );
}
