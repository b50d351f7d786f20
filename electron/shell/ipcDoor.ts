/**
 * The IPC door's decisions as one plain registrar function, testable without Electron (ipc.ts is the glue
 * that hands it ipcMain's events). Every call does the same four things as the HTTP door: check the
 * sender → `input.safeParse` → call the engine → answer `{ok:true,value} | {ok:false,error}`. Errors
 * travel as data because Electron passes only an error's message across `invoke`.
 */
import { contract, type ErrorData, type MethodName, type Result } from '../../shared/contract.ts';
import { doorInput } from '../../shared/doorInput.ts';
import { isOwnPage } from './appProtocol.ts';
import { IPC_DOOR, IPC_METHODS } from './ipcMethods.ts';

/**
 * Calls the engine with input already validated; resolves with its envelope (never rejects on purpose).
 * `supersede` names the calling page and method: a newer read of the same method from the same page
 * cancels the older one still running (as `X-Client-Id` does over HTTP), so a search typed over does not
 * keep the query worker busy.
 */
export type EngineCall = (method: MethodName, input: unknown, supersede?: string) => Promise<Result<unknown>>;

export interface IpcDoor {
  /**
   * Answers one `invoke` from the frame at `frameUrl` (the sender frame's URL; null when it is gone);
   * `caller` identifies the page (its WebContents id) for superseding.
   */
  call(
    frameUrl: string | null | undefined,
    method: unknown,
    input: unknown,
    caller?: number,
  ): Promise<Result<unknown>>;
  /** Whether a frame may receive the engine's events. */
  mayListen(frameUrl: string | null | undefined): boolean;
}

export function createIpcDoor(engine: EngineCall): IpcDoor {
  return {
    async call(frameUrl, method, input, caller) {
      if (!isOwnPage(frameUrl)) {
        return fail({
          code: 'forbidden',
          message: `Calls from ${describeFrame(frameUrl)} are not allowed: the API answers Audit Explorer's own window only.`,
        });
      }
      if (typeof method !== 'string' || !Object.hasOwn(contract, method)) {
        return fail({
          code: 'not_found',
          message: `There is no method ${JSON.stringify(method)} on this API. Methods: ${IPC_METHODS.join(', ')}.`,
        });
      }
      const name = method as MethodName;
      if (!IPC_DOOR[name]) {
        return fail({
          code: 'forbidden',
          message: `${name} is not offered to the window: it reads local paths. Import with \`audit-explorer ingest PATH\`.`,
        });
      }
      const parsed = contract[name].input.safeParse(input ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues
          .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
          .join('; ');
        const first = parsed.error.issues[0];
        return fail({
          code: 'bad_input',
          message: `Invalid input — ${issues}`,
          ...(first && first.path.length > 0 ? { field: first.path.join('.') } : {}),
        });
      }
      try {
        return await engine(
          name,
          doorInput(name, parsed.data),
          caller === undefined ? undefined : `page-${caller}\n${name}`,
        );
      } catch (error) {
        // The engine host is gone or the call could not be delivered: still an envelope.
        return fail({ code: 'internal', message: error instanceof Error ? error.message : String(error) });
      }
    },
    mayListen: (frameUrl) => isOwnPage(frameUrl),
  };
}

function fail(error: ErrorData): Result<never> {
  return { ok: false, error };
}

function describeFrame(frameUrl: string | null | undefined): string {
  if (typeof frameUrl !== 'string' || frameUrl === '') return 'a frame that is gone';
  try {
    const url = new URL(frameUrl);
    return url.origin !== 'null' ? url.origin : `${url.protocol} page`;
  } catch {
    return 'an unknown page';
  }
}
