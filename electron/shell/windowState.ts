/**
 * The window's size, position and maximised state, kept in a small JSON file in userData between runs.
 * The maths is here, without Electron: a saved position that no longer lands on any display (a monitor
 * unplugged since) is dropped so the window never opens off screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});
export type WindowState = z.output<typeof WindowStateSchema>;

export const DEFAULT_SIZE = { width: 1440, height: 900 } as const;
export const MIN_SIZE = { width: 800, height: 560 } as const;
/** How much of the title bar must be on a display for a saved position to be kept (px). */
const VISIBLE_MARGIN = 48;

/** Reads the saved state; anything missing or malformed gives the default (never an error at start-up). */
export function readWindowState(file: string): WindowState {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // First run, or a file we cannot read: the default size, centred by the OS.
  }
  return { ...DEFAULT_SIZE, maximized: false };
}

/** Writes the state atomically (a crash mid-write leaves the previous file, not half of one). */
export function writeWindowState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(state));
  fs.renameSync(temporary, file);
}

/**
 * The bounds to open the window with: the saved size clamped to the largest display's work area and the
 * minimum size, and the saved position only if its top strip is still on some display's work area.
 */
export function fitToDisplays(
  state: WindowState,
  workAreas: readonly Rect[],
): Partial<Rect> & {
  width: number;
  height: number;
} {
  const maxWidth = Math.max(MIN_SIZE.width, ...workAreas.map((a) => a.width));
  const maxHeight = Math.max(MIN_SIZE.height, ...workAreas.map((a) => a.height));
  const width = clamp(state.width, MIN_SIZE.width, maxWidth);
  const height = clamp(state.height, MIN_SIZE.height, maxHeight);
  if (state.x === undefined || state.y === undefined) return { width, height };
  const top: Rect = { x: state.x, y: state.y, width, height: VISIBLE_MARGIN };
  const onScreen = workAreas.some((area) => overlap(top, area) >= VISIBLE_MARGIN * VISIBLE_MARGIN);
  return onScreen ? { x: state.x, y: state.y, width, height } : { width, height };
}

/** The state to save from the window's normal (unmaximised) bounds. */
export function stateFrom(normalBounds: Rect, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
