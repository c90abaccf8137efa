// Sandboxed preload: exposes exactly the IPC contract's channels on `window.gct`, nothing else.
// No raw ipcRenderer reaches the page; unknown channels are refused here and again in main.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_KEY, isEventChannel, isInvokeChannel } from '../shared/ipc/channels.ts';
import type { RendererBridge } from '../shared/ipc/contract.ts';

const bridge: RendererBridge = {
  invoke(channel, request) {
    if (!isInvokeChannel(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'unknown-channel', message: 'Unknown IPC channel.' },
      });
    }
    return ipcRenderer.invoke(channel, request);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error('Unknown IPC event.');
    const forward = (_e: IpcRendererEvent, payload: unknown): void => listener(payload as never);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
