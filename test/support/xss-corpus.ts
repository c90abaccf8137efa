// Hostile message bodies, shared by the DOM test of the markup renderer (test/renderer/markup.test.ts)
// and the Chromium E2E test that posts them through the simulator into the built popup
// (test/e2e/security-xss.spec.ts). Every body must render as text only: no element, attribute or
// link of its own, and every "<" it contains still visible as a character.
//
// Payloads that would run script do one of three observable things: call alert() (a dialog), set
// the global XSS_FLAG, or, as an element, fetch a path under XSS_BEACON from the page's own origin
// (which the E2E test's static server records, CSP or not).

/** Set on `window` by any payload whose script runs. */
export const XSS_FLAG = '__gctXssRan';
/** Path prefix that markup turned into a real <img>, <link>, <embed>... would request. */
export const XSS_BEACON = '/xss-beacon';

const run = `window.${XSS_FLAG}=1`;

export const XSS_CORPUS: readonly string[] = [
  // Plain HTML and script.
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)><circle/></svg>',
  '<a href="javascript:alert(1)">x</a>',
  // Links in markup syntax and bare.
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](vbscript:msgbox(1))',
  '[click]( javascript:alert(1))',
  '[x](https://ok.example/" onmouseover="alert(1))',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'https://ok.example/"><script>alert(1)</script>',
  // Entities and CSS.
  '&lt;script&gt;alert(1)&lt;/script&gt; &#60;b&#62;',
  '<div style="width: expression(alert(1))">css</div>',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<iframe src="https://evil.example"></iframe>',
  '**<b onmouseover=alert(1)>bold</b>**',
  '`<script>alert(1)</script>`',
  '```\n<img src=x onerror=alert(1)>\n```',
  // Bidi, control and zero-width characters.
  '[\u202Egnp.exe](https://ok.example/\u202E)',
  'jav\u0000ascript:alert(1) [x](jav\tascript:alert(1)) [y](java\u00adscript:alert(1))',
  '@<img src=x onerror=alert(1)> _<u>x</u>_',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  // Payloads with an observable effect if they ever run or load.
  `<img src="${XSS_BEACON}/img" onerror="${run}">`,
  `<svg/onload="${run}">`,
  `<iframe srcdoc="<script>parent.${XSS_FLAG}=1</script>"></iframe>`,
  `<object data="${XSS_BEACON}/object"></object><embed src="${XSS_BEACON}/embed">`,
  `<link rel="stylesheet" href="${XSS_BEACON}/css"><p style="background:url('${XSS_BEACON}/style')">bg</p>`,
  `<style>@import '${XSS_BEACON}/import';</style>`,
  `<a href="https://ok.example/" onclick="${run}">click me</a>`,
  `<details open ontoggle="${run}"><summary>s</summary></details>`,
  `<input autofocus onfocus="${run}"><video><source onerror="${run}"></video>`,
  `<body onload="${run}"><marquee onstart="${run}">m</marquee>`,
  '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="10">svg link</text></a></svg>',
  '<math href="javascript:alert(1)">math</math> <a href="&#x6A;avascript:alert(1)">enc</a>',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  "</textarea><script>alert(1)</script> \"><svg/onload=alert(1)> '-alert(1)-'",
  // Entity-encoded and percent-encoded schemes in link syntax.
  '[a](javascript&#58;alert(1)) [b](&#106;avascript:alert(1)) [c](java&#x09;script:alert(1))',
  '[d](%6A%61vascript:alert(1)) [e](javascript&colon;alert(1)) [f](https:javascript:alert(1))',
  '[g](\u0001javascript:alert(1)) [h](VBScript:msgbox(1)) [i](vbscript&colon;msgbox(1))',
  '[j](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) data:image/svg+xml,<svg onload=alert(1)>',
  '[<img src=x onerror=alert(1)>](https://ok.example/) [x](https://ok.example/ "t" onclick="alert(1)")',
  'https://ok.example/?q=<script>alert(1)</script>&r=<img src=x onerror=alert(1)>',
  // Template syntax of Svelte and other engines: text, never evaluated.
  "{@html '<img src=x onerror=alert(1)>'} {#if true}<script>alert(1)</script>{/if}",
  "{{constructor.constructor('alert(1)')()}} ${alert(1)} <%= alert(1) %> #{alert(1)}",
  // Zero-width and bidi tricks in URLs.
  'https://ok.example/\u202Etxt.exe [ok](https://ok.example/)\u200B[x](java\u200Bscript:alert(1))',
  'jav\u200Bascript:alert(1) \uFEFFjavascript:alert(1) [k](\u200Bjavascript:alert(1))',
  // Nested markdown around hostile links and markup.
  '> > > **_[x](javascript:alert(1))_** <img src=x onerror=alert(1)>',
  '**[**[x](https://ok.example/)**](javascript:alert(1))**',
  '- [x](javascript:alert(1))\n1. <script>alert(1)</script>\n> `<img src=x onerror=alert(1)>`',
  // Mentions with hostile display names.
  '@Alex Rivera"><img src=x onerror=alert(1)> and @<script>alert(1)</script> and @javascript:alert(1)',
  // A polyglot.
  'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\x3csVg/<sVg/oNloAd=alert()//>\x3e',
  // Very long, within what the popup shows whole (the contract bounds a message body at 20 000).
  'A'.repeat(8000) +
    '<script>alert(1)</script>' +
    '**'.repeat(400) +
    '[x](javascript:alert(1))' +
    '_'.repeat(2000),
];
