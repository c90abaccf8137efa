// Fills message templates ({customer}, {ticket}, ...) from the seeded random stream.
import type { Prng } from '../prng.ts';
import { CUSTOMERS, SERVICES, WHEN } from './demo-content.ts';

export function fillTemplate(template: string, rng: Prng, names: readonly string[]): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    switch (key) {
      case 'customer':
        return rng.pick(CUSTOMERS);
      case 'service':
        return rng.pick(SERVICES);
      case 'when':
        return rng.pick(WHEN);
      case 'ticket':
        return String(rng.int(1000, 9999));
      case 'n':
        return String(rng.int(2, 9));
      case 'version':
        return `4.2.${rng.int(0, 9)}`;
      case 'name':
        return names.length > 0 ? rng.pick(names) : 'team';
      default:
        return whole;
    }
  });
}

export function firstName(fullName: string): string {
  return fullName.split(' ')[0] ?? fullName;
}
