// Typed access to the bridge the preload exposes. Components import this, never window.gct.
// Only types come from the contract: the renderer bundle carries no schema library.
import { BRIDGE_KEY } from '../../../shared/ipc/channels.ts';
import type { RendererBridge } from '../../../shared/ipc/contract.ts';

export function getBridge(): RendererBridge {
  const bridge = (window as unknown as Record<string, RendererBridge | undefined>)[BRIDGE_KEY];
  if (!bridge) throw new Error('The app bridge is missing: the popup must be opened by Genesys Chat Tray.');
  return bridge;
}
