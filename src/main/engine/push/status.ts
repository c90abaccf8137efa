// What the one notification channel says of itself; every watched source hears it.
export type PushStatus =
  /** Open and subscribed after having been down (or for the first time): everything since is a gap. */
  | { type: 'up'; channelId: string }
  /** The socket is gone; the channel reconnects on its own. */
  | { type: 'down'; reason: string }
  /**
   * Subscribed again after the server dropped the subscriptions or the token of a live channel
   * (`no_longer_subscribed`, `token_revoked`): everything from the loss until now is a gap.
   */
  | { type: 'resubscribed' }
  /** Genesys Cloud cannot be reached; still retrying. */
  | { type: 'offline'; reason: string }
  /** Push cannot be used (refused connectUri, channel creation refused, sockets that never work): stopped. */
  | { type: 'unavailable'; reason: string }
  /** The token is gone: stopped. */
  | { type: 'sign-in'; reason: string };
