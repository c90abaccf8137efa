// How the main process's bundle is written: electron-vite's `main` build (electron.vite.config.ts)
// and the benchmark's bundle of the headless runner (bench/lib/bundle.ts), which must match it.
//
// V8 keeps a script's source in memory for as long as the process lives (functions are compiled
// lazily, from the source). One character outside Latin-1 anywhere in it (a '→' in a log line, a
// '…' in a comment) makes that a UTF-16 string, twice the size. So the bundle has no comments
// (they were half of it) and is ASCII only. Otherwise it is written as the bundler's default
// (dead code dropped, not minified): names and line breaks stay, so a stack trace in a log reads.
// The headless runner's source went from 0.74 MB to 0.31 MB.
export const MAIN_BUNDLE_OUTPUT = { comments: false } as const;

/**
 * Dependencies built into the main bundle rather than loaded from node_modules (the others are
 * left to node_modules, electron-vite's default). zod: loaded as a package, every one of its modules
 * is parsed and its source kept, about 1 MB of source for the few hundred functions the app uses;
 * bundled, only the parts the app's schemas reach are there, in the same ASCII-only source. The
 * idle headless runner measured 66.6 MB with zod from node_modules and 65.0 MB with it bundled,
 * side by side (docs/performance.md, "Idle memory").
 */
export const BUNDLED_DEPENDENCIES = ['zod'] as const;

/**
 * Writes every character outside ASCII as a `\uXXXX` escape (astral ones as their two UTF-16
 * halves). With no comments left, such characters can only stand in string, template and regular
 * expression literals, where the escape means the same character (a tagged template's raw text
 * would differ: the main process has none, and `String.raw` is not used). Rolldown's own
 * `codegen.asciiOnly` does this too, but only through its minifier, whose options turn off the
 * dead-code removal the default build does (unused schemas would then be built at start-up).
 */
export function asciiOnly(): {
  name: string;
  generateBundle(options: unknown, bundle: Record<string, { type: string; code?: string }>): void;
} {
  return {
    name: 'gct-ascii-only',
    // After the bundler's last pass (its dead-code removal prints strings again, unescaped).
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle))
        if (file.type === 'chunk' && file.code !== undefined)
          file.code = file.code.replace(
            // eslint-disable-next-line no-control-regex
            /[^\x00-\x7f]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
          );
    },
  };
}
