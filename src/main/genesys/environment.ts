// Where the app talks to: a Genesys Cloud region (API on https://api.{env}, login on
// https://login.{env}) or a custom environment (the demo simulator, a private deployment or a
// proxy) that serves both on one origin.
export const REGIONS = [
  { env: 'mypurecloud.com', label: 'Americas (US East)' },
  { env: 'use2.us-gov-pure.cloud', label: 'Americas (US East 2, FedRAMP)' },
  { env: 'usw2.pure.cloud', label: 'Americas (US West)' },
  { env: 'cac1.pure.cloud', label: 'Americas (Canada)' },
  { env: 'sae1.pure.cloud', label: 'Americas (São Paulo)' },
  { env: 'mxc1.pure.cloud', label: 'Americas (Mexico)' },
  { env: 'mypurecloud.ie', label: 'EMEA (Dublin)' },
  { env: 'euw2.pure.cloud', label: 'EMEA (London)' },
  { env: 'mypurecloud.de', label: 'EMEA (Frankfurt)' },
  { env: 'euc2.pure.cloud', label: 'EMEA (Zurich)' },
  { env: 'mec1.pure.cloud', label: 'EMEA (UAE)' },
  { env: 'edee1.eusc-pure.cloud', label: 'EMEA (EU Sovereign Cloud)' },
  { env: 'aps1.pure.cloud', label: 'Asia Pacific (Mumbai)' },
  { env: 'apse1.pure.cloud', label: 'Asia Pacific (Singapore)' },
  { env: 'apne2.pure.cloud', label: 'Asia Pacific (Seoul)' },
  { env: 'mypurecloud.jp', label: 'Asia Pacific (Tokyo)' },
  { env: 'apne3.pure.cloud', label: 'Asia Pacific (Osaka)' },
  { env: 'mypurecloud.com.au', label: 'Asia Pacific (Sydney)' },
] as const;

export type RegionEnv = (typeof REGIONS)[number]['env'];

export interface Environment {
  /** What the user chose: a region's env name, or the custom base URL. */
  id: string;
  apiBase: string;
  loginBase: string;
  /** Host names (no port) a notification channel's connectUri may point at. */
  streamingHosts: string[];
  custom: boolean;
}

export function isRegion(value: string): value is RegionEnv {
  return REGIONS.some((r) => r.env === value);
}

/**
 * Resolves a region name or a custom base URL. Custom environments must be https, or http on a
 * loopback address (the simulator); anything else is refused with a reason the user can act on.
 */
export function resolveEnvironment(input: string): Environment {
  const value = input.trim();
  if (isRegion(value)) {
    return {
      id: value,
      apiBase: `https://api.${value}`,
      loginBase: `https://login.${value}`,
      streamingHosts: [`streaming.${value}`],
      custom: false,
    };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `"${value}" is neither a Genesys Cloud region nor a URL (like https://gateway.example.com).`,
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error('A custom environment must use https (plain http is allowed only on this computer).');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error('A custom environment URL must not carry credentials, a query or a fragment.');
  }
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return { id: base, apiBase: base, loginBase: base, streamingHosts: [url.hostname], custom: true };
}
