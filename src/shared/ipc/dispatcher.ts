// Validating dispatcher for invoke channels, shared by the Electron adapter (ipcMain.handle)
// and the test bridge, so both enforce the same contract: a known channel, a trusted sender,
// a request that parses, and a response that parses.
import {
  invokeChannels,
  isInvokeChannel,
  type InvokeChannel,
  type IpcResult,
  type RequestOf,
  type ResponseOf,
} from './contract.ts';
import { errorText } from '../errors.ts';

export type InvokeHandlers = {
  [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export interface Dispatcher {
  dispatch(channel: unknown, request: unknown, senderTrusted: boolean): Promise<IpcResult<unknown>>;
}

export function createDispatcher(
  handlers: InvokeHandlers,
  log: (msg: string) => void = () => {},
): Dispatcher {
  return {
    async dispatch(channel, request, senderTrusted) {
      if (!isInvokeChannel(channel)) {
        log(`ipc: refused unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}`);
        return { ok: false, error: { code: 'unknown-channel', message: 'Unknown IPC channel.' } };
      }
      if (!senderTrusted) {
        log(`ipc: refused ${channel} from an untrusted sender`);
        return { ok: false, error: { code: 'forbidden', message: 'Sender is not the app window.' } };
      }
      const spec = invokeChannels[channel];
      const parsed = spec.request.safeParse(request);
      if (!parsed.success) {
        log(`ipc: refused malformed ${channel}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        return {
          ok: false,
          error: {
            code: 'bad-request',
            message: `Invalid request for ${channel}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
          },
        };
      }
      try {
        const handler = handlers[channel] as (r: unknown) => unknown;
        const value = spec.response.parse(await handler(parsed.data));
        return { ok: true, value };
      } catch (err) {
        log(`ipc: ${channel} failed: ${errorText(err)}`);
        return {
          ok: false,
          error: { code: 'failed', message: err instanceof Error ? err.message : 'Failed.' },
        };
      }
    },
  };
}
