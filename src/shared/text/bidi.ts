// Bidirectional control characters: the embeddings and overrides (U+202A–U+202E), the isolates
// (U+2066–U+2069) and the marks (U+200E, U+200F, U+061C). In a name, a preview or a link's text
// they let someone make text read differently from what it is ("exe.gnp" shown as "gnp.exe", a
// sender's name that swallows the words after it). Right-to-left names and text need none of them:
// their letters carry their own direction.

const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const BIDI_CONTROLS = new RegExp(BIDI_CONTROL.source, 'g');

/** `text` without bidirectional control characters. */
export function stripBidiControls(text: string): string {
  return BIDI_CONTROL.test(text) ? text.replace(BIDI_CONTROLS, '') : text;
}

export function hasBidiControls(text: string): boolean {
  return BIDI_CONTROL.test(text);
}
