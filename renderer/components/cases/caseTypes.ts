/** The casework shapes the screens pass around, from shared/contract.ts. */
import type { MethodOutput } from '../../../shared/contract.ts';

export type InvestigationSummary = MethodOutput<'investigations.list'>['investigations'][number];
export type Investigation = MethodOutput<'investigations.get'>;
export type EventCaseworkEntry = MethodOutput<'investigations.forEvent'>['investigations'][number];
