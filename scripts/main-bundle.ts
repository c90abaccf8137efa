// How the main process's bundle is written: electron-vite's `main` build (electron.vite.config.ts)
// and the benchmark's bundle of the headless runner (bench/lib/bundle.ts), which must match it.
//
// V8 keeps a script's source in memory for as long as the process lives (functions are compiled
// lazily, from the source). One character outside Latin-1 anywhere in it (a '→' in a log line, a
// '…' in a comment) makes that a UTF-16 string, twice the size. So the bundle is ASCII only
// (non-ASCII in strings and regular expressions written as \u escapes: the same values) and has no
// comments (they were half of it). It is not minified otherwise: names and line breaks stay, so a
// stack trace in a log still reads. The headless runner's source went from 0.74 MB to 0.31 MB.
export const MAIN_BUNDLE_OUTPUT = {
  minify: {
    compress: false,
    mangle: false,
    codegen: { removeWhitespace: false, asciiOnly: true },
  },
  comments: false,
} as const;
