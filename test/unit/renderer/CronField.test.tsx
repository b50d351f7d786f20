// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditClient } from '../../../renderer/api/types.ts';
import { CronField, describeCron } from '../../../renderer/components/CronField.tsx';

afterEach(cleanup);

/** A client whose schedule.preview answers like the engine for two expressions, and counts its calls. */
function previewClient() {
  const calls: string[] = [];
  const client = {
    'schedule.preview': vi.fn(async ({ cron }: { cron: string }) => {
      calls.push(cron);
      return cron === '0 0 */1 * * *'
        ? {
            valid: true,
            error: null,
            next: [1, 2, 3, 4, 5].map((h) => Date.UTC(2026, 2, 7, h)),
            timeZone: 'UTC',
          }
        : {
            valid: false,
            error: `"${cron}" is not a 6-field cron expression (it has 5).`,
            next: [],
            timeZone: 'UTC',
          };
    }),
  } as unknown as AuditClient;
  return { client, calls };
}

describe('CronField', () => {
  it('asks the engine once typing pauses, then shows words and the next five runs in the zone', async () => {
    const { client, calls } = previewClient();
    const onValid = vi.fn();
    const { rerender } = render(
      <CronField
        client={client}
        value="0 0 */1 * *"
        onChange={() => {}}
        timeZone="UTC"
        onValidChange={onValid}
      />,
    );
    // Typing on: three values within the debounce make one call, for the last.
    rerender(
      <CronField
        client={client}
        value="0 0 */1 * * "
        onChange={() => {}}
        timeZone="UTC"
        onValidChange={onValid}
      />,
    );
    rerender(
      <CronField
        client={client}
        value="0 0 */1 * * *"
        onChange={() => {}}
        timeZone="UTC"
        onValidChange={onValid}
      />,
    );
    await waitFor(() => expect(screen.getByTestId('cron-description').textContent).toBe('Every hour'));
    expect(calls).toEqual(['0 0 */1 * * *']);
    expect(screen.getAllByTestId('cron-time').map((e) => e.textContent)).toEqual([
      '2026-03-07 01:00:00',
      '2026-03-07 02:00:00',
      '2026-03-07 03:00:00',
      '2026-03-07 04:00:00',
      '2026-03-07 05:00:00',
    ]);
    expect(onValid).toHaveBeenLastCalledWith(true);
    // Another zone: the same instants, read there.
    rerender(<CronField client={client} value="0 0 */1 * * *" onChange={() => {}} timeZone="Asia/Kolkata" />);
    expect(screen.getAllByTestId('cron-time')[0]!.textContent).toBe('2026-03-07 06:30:00');
  });

  it('shows the engine’s error at the field, marks it invalid and tells the form', async () => {
    const { client } = previewClient();
    const onValid = vi.fn();
    const onChange = vi.fn();
    render(
      <CronField
        client={client}
        value="0 * * * *"
        onChange={onChange}
        timeZone="UTC"
        onValidChange={onValid}
      />,
    );
    await waitFor(() =>
      expect(screen.getByTestId('cron-error').textContent).toBe(
        '"0 * * * *" is not a 6-field cron expression (it has 5).',
      ),
    );
    const input = screen.getByTestId('cron-input');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(screen.getByTestId('cron-error').id);
    expect(onValid).toHaveBeenLastCalledWith(false);
    fireEvent.change(input, { target: { value: '0 0 */1 * * *' } });
    expect(onChange).toHaveBeenCalledWith('0 0 */1 * * *');
  });

  it('describes 6-field expressions, seconds first', () => {
    expect(describeCron('0 0 1 * * *')).toBe('At 01:00');
    expect(describeCron('*/30 * * * * *')).toBe('Every 30 seconds');
    expect(describeCron('not cron')).toBeNull();
  });
});
