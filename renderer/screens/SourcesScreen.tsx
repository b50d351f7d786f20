/** Placeholder for the sources screen (filled in by its own change). */
import type { AuditClient } from '../api/types.ts';

export function SourcesScreen({ client }: { client: AuditClient }) {
  void client;
  return (
    <main className="page" data-testid="screen-sources">
      <header className="page__head">
        <h1>Sources</h1>
      </header>
    </main>
  );
}
