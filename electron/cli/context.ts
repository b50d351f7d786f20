import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { parseDuration, parseTimeValue } from '../../shared/query/index.ts';
import type { AuditService } from '../agent/service.ts';

/** Where the CLI writes; tests capture it. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Columns of the terminal, or undefined when stdout is not one. */
  columns?: number;
  /** stderr is a terminal: progress lines are worth drawing. */
  interactive?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * Calls `stop` when the user asks the process to stop (SIGINT, SIGTERM, SIGHUP) while a command that can
   * stop cleanly runs; returns the way to stop listening. Without it, signals do what they do by default.
   */
  onStopSignal?: (stop: (signal: NodeJS.Signals) => void) => () => void;
}

/** A usage error found after parsing (a bad query, a bad date): exit 2 with the message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What a command module needs to register its commands (each module adds its own; main.ts lists them). */
export interface CliContext {
  readonly io: Io;
  /** A subcommand of the program with the global options. */
  readonly command: (name: string) => Command;
  /** Runs a command against the service, closing it afterwards; the returned number is the exit code. */
  readonly withService: (
    command: Command,
    run: (service: AuditService) => Promise<number | void>,
  ) => Promise<void>;
  /** Sets the exit code of a command that needs no service. */
  readonly setExit: (code: number) => void;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

export function durationMs(value: string): number {
  const parsed = parseDuration(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
  return parsed.ms;
}

export function timeMs(value: string): number {
  const parsed = parseTimeValue(value);
  if (!parsed.ok) throw new InvalidArgumentError(parsed.reason);
  return parsed.ms;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The query words of a command that takes a query. Such commands accept unknown options so that
 * `-outcome:failure` (a negated term, DESIGN §7) is a query word; a `--word` is still a mistyped option.
 */
export function queryOf(words: readonly string[]): string {
  const option = words.find((w) => w.startsWith('--'));
  if (option !== undefined)
    throw new UsageError(`unknown option '${option}' (run audit-explorer --help for usage)`);
  return words.join(' ');
}
