/** The casework shapes the screens pass around, from shared/contract.ts. */
import type { MethodOutput } from '../../../shared/contract.ts';

export type InvestigationSummary = MethodOutput<'investigations.list'>['investigations'][number];
export type Investigation = MethodOutput<'investigations.get'>;
export type EventCaseworkEntry = MethodOutput<'investigations.forEvent'>['investigations'][number];

const ZONE_KEY = 'audit-explorer.zone';

/** The UTC/local choice the search screen stores (the screens show times the same way). */
export function storedZone(): 'utc' | 'local' {
  return localStorage.getItem(ZONE_KEY) === 'local' ? 'local' : 'utc';
}
