// The caps of the customer-conversation views and requests. No schema library here: the renderer
// reads them too (the wrap-up notes box).
export const INTERACTION_LIMITS = {
  /** Interactions in the list (an agent handles a handful; Genesys caps utilization far lower). */
  list: 200,
  /** Messages in one transcript (the bulk read takes 1,000 ids at most). */
  transcript: 1000,
  attachments: 20,
  preview: 500,
  url: 4096,
  fileName: 300,
  mediaType: 200,
  wrapupCodes: 500,
  /** Wrap-up notes (the notes field of a wrap-up; the server judges the real limit). */
  notes: 2000,
  /** A reply: the longest channel's guide is 4000 characters; the server judges. */
  reply: 10_000,
} as const;
