// proxy-from-env ships no types: the one function the app uses.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from the *_PROXY / NO_PROXY environment variables, or ''. */
  export function getProxyForUrl(url: string | URL): string;
}
