// Takes secrets out of anything about to be logged: bearer tokens, OAuth tokens, codes and
// verifiers in URLs, form bodies or JSON, proxy sign-ins (Basic headers, user:password@ in URLs).
// Defence in depth: the app never logs them on purpose.
const PATTERNS: [RegExp, string][] = [
  [/(\bBearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[redacted]'],
  // A proxy sign-in: a Basic header, or credentials in a proxy URL (http://user:password@host).
  [/(\bBasic\s+)[A-Za-z0-9+/]{4,}=*/gi, '$1[redacted]'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:"']+:[^\s/@"']*@/gi, '$1[redacted]@'],
  [
    /(\b(?:access_token|refresh_token|id_token|code_verifier|code|client_secret|password)=)[^&\s"']+/gi,
    '$1[redacted]',
  ],
  [
    /("(?:access_token|refresh_token|accessToken|refreshToken|id_token|client_secret|password)"\s*:\s*")[^"]*(")/gi,
    '$1[redacted]$2',
  ],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Redacts every string inside a log call's arguments (errors become their redacted message and stack). */
export function redactArgs(args: unknown[]): unknown[] {
  return args.map((a) => {
    if (typeof a === 'string') return redactSecrets(a);
    if (a instanceof Error) return redactSecrets(a.stack ?? a.message);
    if (a && typeof a === 'object') {
      try {
        return redactSecrets(JSON.stringify(a));
      } catch {
        return '[unloggable object]';
      }
    }
    return a;
  });
}
