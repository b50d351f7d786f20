// A thread for rpc.test.ts: counts up, reporting each step, until it reaches the goal or is told to wind
// up; fails on request with an error that has a stable code.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { serveRpc } from '../../../../../electron/agent/rpc/server.ts';

export type CounterMethods = {
  count: [{ upTo: number }, { reached: number; cancelled: boolean }];
  fail: [undefined, void];
};

class Missing extends Error {}

void serveRpc<CounterMethods>(() => ({
  handlers: {
    count: async ({ upTo }, { signal, progress }) => {
      let reached = 0;
      while (reached < upTo && !signal.aborted) {
        reached++;
        progress(reached);
        await nextTurn();
      }
      return { reached, cancelled: signal.aborted };
    },
    fail: () => {
      throw new Missing('no such thing');
    },
  },
  options: {
    describe: (error) => ({
      code: error instanceof Missing ? 'not_found' : 'internal',
      message: error instanceof Error ? error.message : String(error),
    }),
  },
}));
