/**
 * Investigations: the list of cases (`#/investigations`) and one case (`#/investigations/<name>`): its
 * description, saved searches, pinned events (legal hold) and Markdown notes.
 */
import type { AuditClient } from '../api/types.ts';
import { CaseList } from '../components/cases/CaseList.tsx';
import { CaseView } from '../components/cases/CaseView.tsx';
import { useRoute } from '../hooks/useRoute.ts';

export function InvestigationsScreen({ client }: { client: AuditClient }) {
  const route = useRoute();
  const name = route.screen === 'investigations' ? route.name : undefined;
  return name ? <CaseView key={name} client={client} name={name} /> : <CaseList client={client} />;
}
