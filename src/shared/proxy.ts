// The proxy vocabulary shared by the store, the IPC contract and the network: a proxy address as a
// user types it in Settings (`host:port`), and the user name and password of a proxy sign-in.
import { z } from 'zod';

const HOST_PORT = /^(\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?):(\d{1,5})$/i;

/** `host:port` → its parts (host lower case), or null: no scheme, credentials or path; port 1..65535. */
export function parseHostPort(text: string): { host: string; port: number } | null {
  const m = HOST_PORT.exec(text.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: m[1]!.toLowerCase(), port };
}

/** `host:port`, as a user types a proxy in Settings. */
export const ProxyAddressSchema = z
  .string()
  .trim()
  .max(260)
  .refine((s) => parseHostPort(s) !== null, 'Enter the proxy as host:port, like proxy.example.com:8080.');

/** A proxy in Settings: an address, or '' to follow the system's settings. */
export const ProxySettingSchema = z.union([z.literal(''), ProxyAddressSchema]);

const hasControl = (s: string): boolean =>
  [...s].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);

/** Basic authentication cannot carry a colon in the user name (RFC 7617); no control characters. */
export const ProxyCredentialsSchema = z.object({
  username: z
    .string()
    .min(1, 'Enter the user name for the proxy.')
    .max(256)
    .refine(
      (s) => !s.includes(':') && !hasControl(s),
      'A proxy user name cannot contain a colon or control characters.',
    ),
  password: z
    .string()
    .max(1024)
    .refine((s) => !hasControl(s), 'A proxy password cannot contain control characters.'),
});
