// The notification WebSocket endpoint (`/channels/<id>`), attached to the HTTP server's upgrade event.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ChannelRegistry } from './channels.ts';

const CHANNEL_PATH = /^\/channels\/([^/?#]+)$/;

export interface SocketEndpoint {
  handleUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  close: () => void;
}

/**
 * One connection per channel. A connection to an unknown, expired or removed channel is accepted and
 * then told `{"result":"404"}` and closed, as Genesys does; other upgrade paths get an HTTP 404.
 */
export function createSocketEndpoint(
  channels: ChannelRegistry,
  onConnect: (path: string, status: number) => void,
): SocketEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  wss.on('error', () => {});

  const handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0] ?? '';
    const match = CHANNEL_PATH.exec(path);
    if (!match || req.headers.upgrade?.toLowerCase() !== 'websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      onConnect(path, 404);
      return;
    }
    let id: string;
    try {
      id = decodeURIComponent(match[1] as string);
    } catch {
      id = '';
    }
    try {
      wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        ws.on('error', () => ws.terminate());
        const channel = id ? channels.get(id) : undefined;
        onConnect(path, channel ? 101 : 404);
        if (!channel) {
          ChannelRegistry.reject(ws);
          return;
        }
        channels.attach(channel, ws);
      });
    } catch {
      socket.destroy();
    }
  };

  return {
    handleUpgrade,
    close: () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
