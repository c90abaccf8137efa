// "Did my earlier reply land?" holds whatever Genesys does with history's order, limit and bounds:
// a reply whose answer was lost while colleagues kept posting is found (not posted twice) under
// every plausible answer the simulator can give.
import { afterEach, describe, expect, it } from 'vitest';
import type { WireVariants } from '../../../src/simulator/index.ts';
import {
  client,
  fileStorage,
  losingAnswerWhile,
  membersOf,
  outbox,
  outboxSuite,
  roomRef,
  unique,
  withText,
} from './helpers.ts';

const suite = outboxSuite(31);
const { track } = suite;

afterEach(() => {
  suite.sim.control.setVariants({
    historyOrder: 'oldest-first',
    historyLimit: 'honour',
    historyBounds: 'exclusive',
    historyAfterKeeps: 'oldest',
  });
});

const cases: Partial<WireVariants>[] = [
  {},
  { historyOrder: 'newest-first' },
  { historyOrder: 'shuffled' },
  { historyAfterKeeps: 'newest' },
  { historyAfterKeeps: 'newest', historyOrder: 'newest-first' },
  { historyLimit: 'ignore', historyOrder: 'shuffled' },
  { historyBounds: 'inclusive', historyOrder: 'newest-first' },
];

describe('a reply whose answer was lost is found again', () => {
  for (const variants of cases) {
    it(`with ${JSON.stringify(variants)}`, async () => {
      const sim = suite.sim;
      sim.control.setVariants(variants);
      const room = roomRef(sim, 'Engineering');
      const colleague = membersOf(sim, room)[0]!;
      // 150 messages after the reply: more than one page, so a read that trusts order or limit
      // looks in the wrong place.
      const crowd = (): void => {
        for (let i = 0; i < 150; i++)
          sim.control.post({ as: colleague, room: room.jid, body: `chatter ${i}` });
      };
      const { api } = client(sim, { fetch: losingAnswerWhile(crowd) });
      const ob = track(outbox(fileStorage(`${suite.dir}/landed-${Math.random()}.json`), () => api));
      const since = Date.now() - 1000;
      const text = unique('on it');
      ob.start();
      const item = await ob.settled((await ob.reply({ chat: room, text })).id);
      const landed = await withText(sim, room, text, since);
      expect(landed).toHaveLength(1);
      expect(item).toMatchObject({ state: 'sent', result: { messageId: landed[0], recovered: true } });
    });
  }
});
