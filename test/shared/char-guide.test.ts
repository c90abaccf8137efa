// The composer's per-channel character guide: the documented limits, SMS parts, and counting what
// the user sees (an emoji is one character, not two UTF-16 units).
import { describe, expect, it } from 'vitest';
import { CHANNEL_CHAR_LIMIT, CHANNEL_TYPES, charGuide } from '../../src/shared/interactions/channels.ts';

describe('charGuide', () => {
  it('uses the documented limits: SMS 765, WhatsApp, web and Open messaging 4000, Facebook 2000, Instagram 1000', () => {
    expect(CHANNEL_CHAR_LIMIT.sms).toBe(765);
    expect(CHANNEL_CHAR_LIMIT.whatsapp).toBe(4000);
    expect(CHANNEL_CHAR_LIMIT.webmessaging).toBe(4000);
    expect(CHANNEL_CHAR_LIMIT.open).toBe(4000);
    expect(CHANNEL_CHAR_LIMIT.facebook).toBe(2000);
    expect(CHANNEL_CHAR_LIMIT.instagram).toBe(1000);
    for (const c of CHANNEL_TYPES) expect(CHANNEL_CHAR_LIMIT[c]).toBeGreaterThan(0);
  });

  it('counts SMS parts: 160 fits one, longer ones go in parts of 153', () => {
    expect(charGuide('sms', 'x'.repeat(160))).toMatchObject({ count: 160, parts: 1, over: false });
    expect(charGuide('sms', 'x'.repeat(170))).toMatchObject({ parts: 2, label: '170 / 765 · 2 SMS' });
    expect(charGuide('sms', 'x'.repeat(310))).toMatchObject({ parts: 3 });
    expect(charGuide('sms', 'x'.repeat(765))).toMatchObject({ parts: 5, over: false });
    expect(charGuide('sms', 'x'.repeat(766))).toMatchObject({ over: true });
  });

  it('counts characters as the user sees them, and says when a reply is past the limit', () => {
    expect(charGuide('whatsapp', '👍👍').count).toBe(2);
    expect(charGuide('instagram', 'x'.repeat(1001))).toMatchObject({ over: true, label: '1001 / 1000' });
    expect(charGuide('open', '').label).toBe('0 / 4000');
    expect(charGuide('whatsapp', 'hi').parts).toBeUndefined();
  });
});
