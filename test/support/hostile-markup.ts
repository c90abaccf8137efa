// Message bodies built to make a markup parser slow (each repeats a pattern to a given length),
// and participant names that make mention matching work hard. Shared by the step count in
// test/renderer/markup-hostile.test.ts and the in-page timing in test/e2e/security-xss.spec.ts.

const fill = (unit: string, length: number, prefix = '', suffix = ''): string =>
  prefix + unit.repeat(Math.ceil((length - prefix.length - suffix.length) / unit.length)) + suffix;

export const HOSTILE_BODIES: Record<string, (length: number) => string> = {
  'a run of @': (n) => fill('@', n),
  '@ and a letter': (n) => fill('@a', n),
  '@ and a dash': (n) => fill('@-', n),
  '@ and a known name, cut short': (n) => fill('@Person Number1 Surnam ', n),
  '@ and the start of a long name': (n) => fill('@Averyveryverylongname', n),
  "a URL and trailing ')'": (n) => fill(')', n, 'https://ok.example/'),
  "a URL and unmatched '('": (n) => fill('(', n, 'https://ok.example/'),
  'a URL and trailing dots': (n) => fill('.', n, 'https://ok.example/', 'x'),
  'a URL and dots and letters': (n) => fill('....a', n, 'https://ok.example/'),
  'many URLs, no spaces': (n) => fill('http://', n),
  "a run of '['": (n) => fill('[', n),
  "'[' before one address that never closes": (n) => fill('[', n, '', '](https://x.example/(a)(b)(c'),
  'link starts sharing an address': (n) => fill('[a](', n),
  'nested parentheses in an address': (n) => fill('(a)', n, '[x](https://x.example/'),
  'a run of *': (n) => fill('*', n),
  '** without a closer': (n) => fill('**a ', n),
  '_ and a letter': (n) => fill('_a', n),
  'a run of `': (n) => fill('`', n),
  ': and a letter': (n) => fill(':a', n),
  'shortcode-shaped words': (n) => fill(':abcdefghijklmnopqrstuvwxyz0123456789abc ', n),
  quotes: (n) => fill('> ', n),
  'bidi controls': (n) => fill('\u202E[\u2066x](https://ok.example/\u202E) ', n),
  'plain words': (n) => fill('hello world ', n),
  // Each of these is cheap to parse but would be many elements.
  'bold words': (n) => fill('**a** ', n),
  'code words': (n) => fill('`a` ', n),
  links: (n) => fill('[a](https://x.example/) ', n),
  'mentions of the unknown': (n) => fill('@a ', n),
  lines: (n) => fill('a\n', n),
  paragraphs: (n) => fill('a\n\n', n),
  'list items': (n) => fill('- a\n', n),
  'numbered items': (n) => fill('1. a\n', n),
  'quoted lines': (n) => fill('> a\n', n),
};

/** A room's participants: many names, some long, some sharing a start with the hostile bodies. */
export const HOSTILE_NAMES: string[] = [
  ...Array.from({ length: 200 }, (_, i) => `Person Number${i} Surname`),
  `A${'veryvery'.repeat(11)}longname`,
  `${'-@'.repeat(45)}x`,
  'Averyveryverylongname Junior',
];
