// The reaction emoji: a quick set and a few dozen common ones with names for the picker search.

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '👀', '✅'] as const;

export interface EmojiEntry {
  emoji: string;
  name: string;
}

export const EMOJI: EmojiEntry[] = [
  { emoji: '👍', name: 'thumbs up yes +1' },
  { emoji: '👎', name: 'thumbs down no -1' },
  { emoji: '❤️', name: 'heart love' },
  { emoji: '😂', name: 'joy laugh tears' },
  { emoji: '🎉', name: 'tada party celebrate' },
  { emoji: '👀', name: 'eyes looking' },
  { emoji: '✅', name: 'check done yes' },
  { emoji: '❌', name: 'cross no wrong' },
  { emoji: '🙏', name: 'pray thanks please' },
  { emoji: '👏', name: 'clap applause' },
  { emoji: '🙌', name: 'raised hands hooray' },
  { emoji: '🔥', name: 'fire hot lit' },
  { emoji: '🚀', name: 'rocket ship launch' },
  { emoji: '💯', name: 'hundred perfect' },
  { emoji: '😀', name: 'grin smile happy' },
  { emoji: '😊', name: 'blush smile' },
  { emoji: '😉', name: 'wink' },
  { emoji: '😍', name: 'heart eyes' },
  { emoji: '🤔', name: 'thinking hmm' },
  { emoji: '😅', name: 'sweat smile phew' },
  { emoji: '😮', name: 'wow open mouth surprised' },
  { emoji: '😢', name: 'cry sad' },
  { emoji: '😡', name: 'angry mad' },
  { emoji: '🤯', name: 'mind blown' },
  { emoji: '😎', name: 'sunglasses cool' },
  { emoji: '🥳', name: 'partying face' },
  { emoji: '🤝', name: 'handshake deal' },
  { emoji: '👋', name: 'wave hello bye' },
  { emoji: '💪', name: 'muscle strong' },
  { emoji: '👌', name: 'ok hand' },
  { emoji: '✨', name: 'sparkles' },
  { emoji: '⭐', name: 'star' },
  { emoji: '💡', name: 'bulb idea' },
  { emoji: '⚠️', name: 'warning' },
  { emoji: '🐛', name: 'bug' },
  { emoji: '☕', name: 'coffee' },
  { emoji: '🍕', name: 'pizza' },
  { emoji: '🎯', name: 'target bullseye' },
  { emoji: '📌', name: 'pushpin pin' },
  { emoji: '📝', name: 'memo note' },
  { emoji: '⏰', name: 'alarm clock time' },
  { emoji: '🙈', name: 'see no evil monkey' },
];

/**
 * `:shortcode:` → emoji, for the markup renderer. A Map, not an object: a message's `:constructor:`
 * or `:__proto__:` must not find Object.prototype's members.
 */
export const SHORTCODES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    '+1': '👍',
    thumbsup: '👍',
    '-1': '👎',
    thumbsdown: '👎',
    heart: '❤️',
    joy: '😂',
    tada: '🎉',
    eyes: '👀',
    white_check_mark: '✅',
    smile: '😄',
    slightly_smiling_face: '🙂',
    wink: '😉',
    pray: '🙏',
    clap: '👏',
    fire: '🔥',
    rocket: '🚀',
    thinking: '🤔',
    wave: '👋',
    coffee: '☕',
    bug: '🐛',
  }),
);

export function searchEmoji(query: string): EmojiEntry[] {
  const q = query.trim().toLowerCase();
  if (!q) return EMOJI;
  return EMOJI.filter((e) => e.name.includes(q) || e.emoji === q);
}
