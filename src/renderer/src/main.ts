// Renderer entry: mounts the Svelte app. The renderer talks to the main process only through
// the bridge the preload exposes (window.gct); it never sees a token.
import { mount } from 'svelte';
import App from './App.svelte';
import './styles.css';

const target = document.getElementById('app');
if (!target) throw new Error('#app is missing from index.html');
mount(App, { target });
