/**
 * The glue between ipcMain and the IPC door (ipcDoor.ts holds every decision). One invoke channel for the
 * contract's calls and one message channel to start or stop the engine's events for a page; nothing else is
 * registered, so an invoke on any other channel is rejected by Electron itself ("No handler registered").
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ServiceEvent } from '../../shared/contract.ts';
import type { IpcDoor } from './ipcDoor.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, SUBSCRIBE_CHANNEL } from './ipcMethods.ts';

/** What the registrar needs of ipcMain (a fake in tests). */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeAllListeners'>;

/** The engine's event stream: listen, get the way to stop. */
export type EventSource = (listener: (event: ServiceEvent) => void) => () => void;

/** Registers the door on ipcMain; returns the way to unregister (and stop every forwarded stream). */
export function registerIpc(ipcMain: IpcMainLike, door: IpcDoor, events: EventSource): () => void {
  ipcMain.handle(CALL_CHANNEL, (event: IpcMainInvokeEvent, method: unknown, input: unknown) =>
    door.call(frameUrl(event), method, input, event.sender?.id),
  );
  // One forwarded stream per page (WebContents): a reload re-subscribes and replaces the old one.
  const streams = new Map<WebContents, () => void>();
  const watched = new WeakSet<WebContents>();
  const stop = (sender: WebContents) => {
    streams.get(sender)?.();
    streams.delete(sender);
  };
  ipcMain.on(SUBSCRIBE_CHANNEL, (event: IpcMainEvent, on: unknown) => {
    const sender = event.sender;
    stop(sender);
    if (on !== true || !door.mayListen(frameUrl(event))) return;
    const unsubscribe = events((e) => {
      if (!sender.isDestroyed()) sender.send(EVENT_CHANNEL, e);
    });
    streams.set(sender, unsubscribe);
    // Once per page, however often it toggles its subscription (no listener pile-up).
    if (!watched.has(sender)) {
      watched.add(sender);
      sender.once('destroyed', () => stop(sender));
    }
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    ipcMain.removeAllListeners(SUBSCRIBE_CHANNEL);
    for (const sender of [...streams.keys()]) stop(sender);
  };
}

/** The URL of the frame that sent the message (null once the frame is gone or navigated away). */
function frameUrl(event: IpcMainInvokeEvent | IpcMainEvent): string | null {
  return event.senderFrame?.url ?? null;
}
