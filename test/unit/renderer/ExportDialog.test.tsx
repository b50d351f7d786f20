// @vitest-environment happy-dom
/**
 * The export dialog against a scripted client: what it sends, what it shows for each answer, and the
 * desktop's Save… path (the bridge present), which the browser e2e cannot reach.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditClient, MethodOutput } from '../../../shared/contract.ts';
import { BRIDGE_GLOBAL } from '../../../shared/bridge.ts';
import { ExportDialog, formatSize } from '../../../renderer/components/ExportDialog.tsx';
import { createMemoryClient, fixtureEvents } from '../../support/memoryClient.ts';

type ExportFile = MethodOutput<'exports.create'>;

afterEach(() => {
  cleanup();
  delete (window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
});

const FINGERPRINT = 'sha256:' + 'ab'.repeat(32);
const file = (over: Partial<ExportFile> = {}): ExportFile => ({
  name: 'audit-export-20260307T140211Z-case-42.zip',
  format: 'bundle',
  bytes: 1_234_567,
  sha256: 'c'.repeat(64),
  createdAt: Date.UTC(2026, 2, 7, 14, 2, 11),
  query: '',
  investigation: 'Case 42',
  matched: 3,
  exported: 3,
  reconciled: true,
  pseudonymized: false,
  bom: false,
  fingerprint: FINGERPRINT,
  seconds: 0.2,
  ...over,
});

function setup(overrides: Partial<AuditClient> = {}, props: { investigation?: string; query?: string } = {}) {
  const memory = createMemoryClient(fixtureEvents());
  let jobSeen: string | null = null;
  let finish!: (f: ExportFile) => void;
  let fail!: (e: Error) => void;
  const create = vi.fn((input: { job?: string | null }) => {
    jobSeen = input.job ?? null;
    return new Promise<ExportFile>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
  });
  const client = {
    ...memory.client,
    'keys.show': async () => ({ publicKeyPem: '', fingerprint: FINGERPRINT }),
    'investigations.list': async () => ({
      investigations: [
        {
          name: 'Case 42',
          description: '',
          status: 'open' as const,
          createdAt: 0,
          closedAt: null,
          pinned: 3,
          notes: 0,
        },
      ],
    }),
    'exports.create': create,
    ...overrides,
  } as AuditClient;
  render(<ExportDialog client={client} open onOpenChange={() => undefined} {...props} />);
  return {
    memory,
    create,
    job: () => jobSeen,
    finish: (f: ExportFile) => finish(f),
    fail: (e: Error) => fail(e),
  };
}

describe('ExportDialog', () => {
  it("exports an investigation's pinned events: counted from the case, sent by name", async () => {
    const t = setup({}, { investigation: 'Case 42' });
    const start = await screen.findByText('Export 3 events');
    expect(screen.getByTestId('export-matched').textContent).toContain('3 events match');
    expect(screen.getByText(/pinned events of/).textContent).toContain('Case 42');
    fireEvent.click(screen.getByTestId('export-pseudonymize'));
    fireEvent.click(start);
    expect(t.create).toHaveBeenCalledWith({
      query: '',
      investigation: 'Case 42',
      format: 'bundle',
      bom: false,
      pseudonymize: true,
      job: expect.stringMatching(/^ui-[0-9a-f]{24}$/),
    });
  });

  it("shows progress of its own job only, then the reconciled count and the bundle's facts", async () => {
    const t = setup({}, { query: 'user:alice@acme.io' });
    fireEvent.click(await screen.findByTestId('export-start'));
    await screen.findByTestId('export-progress');
    t.memory.emit({
      name: 'export.progress',
      payload: { phase: 'events', exported: 999, total: 1000, job: 'someone-else' },
    });
    t.memory.emit({
      name: 'export.progress',
      payload: { phase: 'events', exported: 2, total: 3, job: t.job()! },
    });
    await waitFor(() =>
      expect(screen.getByTestId('export-progress').textContent).toContain('Exporting… 2 of 3 events'),
    );
    t.memory.emit({
      name: 'export.progress',
      payload: { phase: 'zip', exported: 3, total: 3, job: t.job()! },
    });
    await waitFor(() =>
      expect(screen.getByTestId('export-progress').textContent).toContain('Packing the bundle'),
    );
    t.finish(file());
    const reconciled = await screen.findByTestId('export-reconciled');
    expect(reconciled.textContent).toBe('✓ 3 exported = 3 matched');
    expect(screen.getByTestId('export-size').textContent).toBe('1.23 MB (1,234,567 bytes)');
    expect(screen.getByTestId('export-fingerprint').textContent).toBe(FINGERPRINT);
    expect(screen.getByTestId('export-verify').textContent).toBe(
      `audit-explorer verify audit-export-20260307T140211Z-case-42.zip --key ${FINGERPRINT}`,
    );
    // In a browser: Download, not Save.
    expect(screen.getByTestId('export-download')).toBeTruthy();
    expect(screen.queryByTestId('export-save')).toBeNull();
  });

  it('warns plainly when the counts differ', async () => {
    const t = setup({}, { query: '' });
    fireEvent.click(await screen.findByTestId('export-start'));
    t.finish(file({ exported: 2, matched: 3, reconciled: false }));
    const warning = await screen.findByTestId('export-reconciled');
    expect(warning.getAttribute('role')).toBe('alert');
    expect(warning.textContent).toContain('2 exported ≠ 3 matched');
    expect(warning.textContent).toContain('export again');
  });

  it('says what went wrong when the export fails, and Back returns to the choices', async () => {
    const t = setup({}, { query: '' });
    fireEvent.click(await screen.findByTestId('export-start'));
    t.fail(Object.assign(new Error('The disk is full.'), { code: 'disk_full' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The export failed: The disk is full.');
    fireEvent.click(screen.getByText('Back'));
    expect(await screen.findByTestId('export-start')).toBeTruthy();
  });

  it('on the desktop: Save… asks the main process to save, and says where it went', async () => {
    (window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL] = {};
    const save = vi.fn(async () => ({ saved: true, path: '/home/a/Downloads/case-42.zip' }));
    const t = setup({ 'exports.save': save }, { query: '' });
    fireEvent.click(await screen.findByTestId('export-start'));
    t.finish(file());
    fireEvent.click(await screen.findByTestId('export-save'));
    expect(save).toHaveBeenCalledWith({ name: 'audit-export-20260307T140211Z-case-42.zip' });
    expect((await screen.findByRole('status')).textContent).toBe('Saved to /home/a/Downloads/case-42.zip');
    expect(screen.queryByTestId('export-download')).toBeNull();
  });

  it('CSV with BOM only for CSV; nothing to export disables the button', async () => {
    setup({ 'events.count': async () => ({ total: 0 }) }, { query: 'user:nobody' });
    const start = await screen.findByText('Nothing to export');
    expect((start as HTMLButtonElement).disabled).toBe(true);
    const bom = screen.getByTestId('export-bom') as HTMLInputElement;
    expect(bom.disabled).toBe(true);
    fireEvent.click(screen.getByTestId('export-format-csv'));
    expect(bom.disabled).toBe(false);
  });

  it('formats sizes with units and the exact byte count', () => {
    expect(formatSize(999)).toBe('999 B');
    expect(formatSize(1500)).toBe('1.50 kB (1,500 bytes)');
    expect(formatSize(734_003_200)).toBe('734 MB (734,003,200 bytes)');
    expect(formatSize(12_345_678)).toBe('12.3 MB (12,345,678 bytes)');
  });
});
