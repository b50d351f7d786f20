/**
 * The tray menu as data (main.ts turns it into an Electron Menu): a status line, sync now, open, pause,
 * launch at login, quit. The app keeps running in the tray when the window closes, so the agent can keep
 * syncing; Quit is the one way to stop it.
 */
import { contract, type MethodName } from '../../shared/contract.ts';
import type { AgentState } from './engineProtocol.ts';

export type TrayAction = 'open' | 'syncNow' | 'pause' | 'resume' | 'toggleLoginItem' | 'quit';

export type TrayItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean; checked?: boolean };

export interface TrayState {
  /** The engine's state in a few words ("12,345 events", "starting…", "stopped: …"). */
  readonly status: string;
  /** A warning to show in the menu (secrets stored without OS encryption), or null. */
  readonly warning: string | null;
  readonly paused: boolean;
  readonly openAtLogin: boolean;
  /** Whether the platform supports launch at login (`app.setLoginItemSettings`: macOS and Windows). */
  readonly loginItemSupported: boolean;
}

/**
 * The contract's sync method, when it has one: the sync API comes with its own issue, and the menu offers
 * "Sync now" the day it exists instead of a button that does nothing.
 */
export function findSyncMethod(methods: readonly string[] = Object.keys(contract)): MethodName | null {
  const preferred = ['sources.syncNow', 'sync.now', 'sources.sync', 'sync.run'];
  const found = preferred.find((m) => methods.includes(m)) ?? methods.find((m) => /^sync\./.test(m));
  return (found as MethodName | undefined) ?? null;
}

export function trayMenuModel(
  state: TrayState,
  syncMethod: MethodName | null = findSyncMethod(),
): TrayItem[] {
  const items: TrayItem[] = [{ kind: 'label', label: `Audit Explorer — ${state.status}` }];
  if (state.warning !== null) items.push({ kind: 'label', label: `⚠ ${state.warning}` });
  items.push(
    { kind: 'separator' },
    {
      kind: 'action',
      action: 'syncNow',
      label: syncMethod === null ? 'Sync now (no sources yet)' : 'Sync now',
      enabled: syncMethod !== null && !state.paused,
    },
    { kind: 'action', action: 'open', label: 'Open Audit Explorer', enabled: true },
    state.paused
      ? { kind: 'action', action: 'resume', label: 'Resume syncing', enabled: true }
      : { kind: 'action', action: 'pause', label: 'Pause syncing', enabled: syncMethod !== null },
  );
  if (state.loginItemSupported)
    items.push({
      kind: 'action',
      action: 'toggleLoginItem',
      label: 'Start at login',
      enabled: true,
      checked: state.openAtLogin,
    });
  items.push({ kind: 'separator' }, { kind: 'action', action: 'quit', label: 'Quit', enabled: true });
  return items;
}

/**
 * The tray's status words from the agent's state: "syncing billing-api", "failing: legacy", "paused",
 * together when several hold; the engine's own status (`12,345 events`) when nothing is going on.
 */
export function agentStatus(agent: AgentState | null, engineStatus: string): string {
  if (agent === null) return engineStatus;
  const list = (names: readonly string[]) =>
    names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
  const parts: string[] = [];
  if (agent.syncing.length > 0) parts.push(`syncing ${list(agent.syncing)}…`);
  if (agent.failing.length > 0) parts.push(`failing: ${list(agent.failing.map((f) => f.source))}`);
  if (agent.paused) parts.push('paused');
  return parts.length === 0 ? engineStatus : parts.join(' · ');
}
