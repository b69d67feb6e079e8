// Generated benchmark pages (served by ../lib/server.mjs under the platforms' real URLs).
//
//   feedPage(40000)            a LinkedIn-like feed, N elements in the HTML; bench.js keeps
//                              appending posts (21 elements every 50 ms) while it is open
//   settingsPage(n, 'static')  the LinkedIn AI-training setting (same markup as
//                              tests/fixtures/linkedin/on.en.html) first, then filler cards up to
//                              n elements in total (1 control in 11 elements, like a busy page)
//   settingsPage(n, 'late')    the same, but the setting's row is in a <template> that bench.js
//                              renders 1 s after load (a framework rendering late)
// Pages carry no inline script: the strict CSP of the fixture server applies.

const STYLE = `<style>
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; background: #f4f2ee; }
.card { background: #fff; margin: 8px auto; max-width: 680px; padding: 8px 16px; border-radius: 8px; }
.meta span { margin-right: 8px; color: #666; }
.actions button { border: 0; background: none; padding: 4px 8px; color: #555; }
</style>`;

const WORDS = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ' +
  'incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud').split(' ');

function words(seed, n) {
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ' ' : '') + WORDS[(seed * 7 + i * 13) % WORDS.length];
  return s;
}

/** A feed post: 21 elements, 4 of them controls (the feed's own buttons and links). */
export function feedPostHtml(k) {
  return `<article class="card" data-urn="urn:li:activity:${k}"><div class="meta"><a href="/in/member-${k}/">` +
    `<span>Member ${k}</span></a><span>${k % 23 + 1}h</span><span>•</span></div><div class="body"><p>` +
    `${words(k, 12)} <b>${words(k + 1, 2)}</b> <i>${words(k + 2, 2)}</i></p><p>${words(k + 3, 10)}</p>` +
    `<ul><li>${words(k + 4, 3)}</li><li>${words(k + 5, 3)}</li></ul></div><div class="social"><span>` +
    `${k % 97} reactions</span><span>${k % 13} comments</span></div><div class="actions">` +
    `<button type="button">Like</button><button type="button">Comment</button><button type="button">Repost</button>` +
    `</div></article>`;
}
export const FEED_POST_ELEMENTS = 21;

export function feedPage(elements) {
  const posts = Math.ceil(elements / FEED_POST_ELEMENTS);
  const parts = [];
  for (let k = 0; k < posts; k++) parts.push(feedPostHtml(k));
  return `<!DOCTYPE html><html lang="en" data-bench="feed" data-next="${posts}"><head><meta charset="utf-8">` +
    `<link rel="icon" href="data:,"><title>Feed | LinkedIn</title>${STYLE}</head><body>` +
    `<header><a href="/feed/" aria-label="LinkedIn">in</a> <a href="/mynetwork/">My Network</a> ` +
    `<a href="/jobs/">Jobs</a></header><main id="feed">${parts.join('\n')}</main>` +
    `<script src="/__bench/bench.js"></script></body></html>`;
}

const SETTING_ROW = `<div class="setting-row" id="bench-setting">
  <div class="artdeco-toggle artdeco-toggle--32dp">
    <input type="checkbox" role="switch" class="artdeco-toggle__button" data-artdeco-toggle-button="true" aria-checked="true" checked id="ember-genai-toggle">
    <label for="ember-genai-toggle" class="artdeco-toggle__label">Use my data for training content creation AI models</label>
    <span class="artdeco-toggle__text">On</span>
  </div>
  <p class="helper">When this setting is on, LinkedIn can use your data and content to train content-generating AI models that are used in product features. The data we use for this purpose does not include your private messages.</p>
</div>`;

/** Filler card: 11 elements, 1 control, a link whose name no other card's link has (the light
 * harvest sends each name once: distinct names are its heaviest case). */
function fillerHtml(k) {
  return `<div class="card"><div class="meta"><span>${words(k, 2)}</span><span>${k}</span></div>` +
    `<p>${words(k + 1, 8)} <b>${words(k + 2, 1)}</b> <i>${words(k + 3, 1)}</i></p>` +
    `<ul><li>${words(k + 4, 2)}</li><li>${words(k + 5, 2)}</li></ul><a href="/mypreferences/d/item/${k}">Details of item ${k}</a></div>`;
}
const FILLER_ELEMENTS = 11;

export function settingsPage(elements, mode) {
  const head = `<!DOCTYPE html><html lang="en" data-bench="settings-${mode}"><head><meta charset="utf-8">` +
    `<link rel="icon" href="data:,"><title>Data for Generative AI Improvement | LinkedIn</title>${STYLE}</head><body>` +
    `<header><a href="/feed/" aria-label="LinkedIn">in</a> <button type="button" aria-label="Me">AE</button></header>` +
    `<main><section class="card" aria-labelledby="genai-heading"><a href="/mypreferences/d/categories/privacy">Back</a>` +
    `<h1 id="genai-heading">Data for Generative AI Improvement</h1>` +
    `<p class="question">Can LinkedIn use your personal data and content you create on LinkedIn to train generative AI models that create content?</p>` +
    (mode === 'late' ? `<div id="bench-slot"></div><template id="bench-template">${SETTING_ROW}</template>` : SETTING_ROW) +
    `</section><section id="filler">`;
  // about 30 elements above; the rest is filler
  const cards = Math.max(0, Math.round((elements - 30) / FILLER_ELEMENTS));
  const parts = [];
  for (let k = 0; k < cards; k++) parts.push(fillerHtml(k));
  return `${head}${parts.join('\n')}</section></main><script src="/__bench/bench.js"></script></body></html>`;
}
