/** What "Test connection" found: ok with what it listed, or the source's exact error. */
import { useEffect, useRef } from 'react';
import type { MethodOutput } from '../../../shared/contract.ts';

export function TestResult({ report }: { report: MethodOutput<'sources.test'> }) {
  const ref = useRef<HTMLDivElement>(null);
  // The answer can land below the fold of a long form: bring it into view.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [report]);
  return (
    <div
      ref={ref}
      className={`test-result test-result--${report.ok ? 'ok' : 'failed'}`}
      role={report.ok ? 'status' : 'alert'}
      data-testid="test-result"
    >
      <strong>{report.ok ? '✓ Connected' : '✕ Connection failed'}</strong>
      <p className="test-result__message" data-testid="test-message">
        {report.message}
      </p>
      {report.sample.length > 0 && (
        <>
          <p className="muted">First objects found:</p>
          <ul className="test-result__sample mono">
            {report.sample.map((key) => (
              <li key={key}>{key}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
