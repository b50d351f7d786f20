/** Placeholder for the schedule screen (filled in by its own change). */
import type { AuditClient } from '../api/types.ts';

export function ScheduleScreen({ client }: { client: AuditClient }) {
  void client;
  return (
    <main className="page" data-testid="screen-schedule">
      <header className="page__head">
        <h1>Schedule &amp; retention</h1>
      </header>
    </main>
  );
}
