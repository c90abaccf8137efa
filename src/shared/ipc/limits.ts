// The sizes the renderer and the main process agree on, in their own module: the store's schema
// needs them without the view schemas (views.ts), which a process without a popup (the headless
// runner) never uses and would otherwise build at start-up.

/** The sizes the renderer accepts; the main process fits what it sends to them (see ipc/views.ts). */
export const VIEW_LIMITS = { text: 20_000, name: 1024, mentions: 200, reactions: 200, emoji: 64 } as const;

/**
 * The most the renderer can make the main process keep in the settings file: it is untrusted, and
 * a popup that sent 300 000 chat mutes once made it write 180 MB.
 */
export const PREF_LIMITS = { chatMutes: 500, keywords: 200, keyword: 100, shortcut: 100 } as const;
