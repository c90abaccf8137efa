// Svelte compiler options shared by electron-vite, vitest and svelte-check.
export default {
  compilerOptions: { runes: true },
};
