// Page-side probe of the benchmark pages (served as /__bench/bench.js; no inline scripts: strict CSP).
// window.__bench = { mode, controlAt, bannerAt, loadAt, appended, elements() }
//   controlAt: performance.now() when the setting's control is in the DOM (static pages: when this
//              script runs, i.e. parsing reached the end of the body; late pages: when it is rendered)
//   bannerAt:  performance.now() when #untrain-banner was attached (MutationObserver, childList of <html>)
"use strict";
(() => {
  const root = document.documentElement;
  const mode = root.dataset.bench || '';
  const b = (window.__bench = {
    mode, controlAt: null, bannerAt: null, loadAt: null, appended: 0,
    elements: () => document.getElementsByTagName('*').length,
  });
  new MutationObserver(() => {
    if (b.bannerAt === null && document.getElementById('untrain-banner')) b.bannerAt = performance.now();
  }).observe(root, { childList: true });
  addEventListener('load', () => { b.loadAt = performance.now(); });

  if (mode === 'settings-static') {
    b.controlAt = performance.now();
  } else if (mode === 'settings-late') {
    addEventListener('load', () => setTimeout(() => {
      const t = document.getElementById('bench-template');
      document.getElementById('bench-slot').replaceWith(t.content.cloneNode(true));
      b.controlAt = performance.now();
    }, 1000));
  } else if (mode === 'feed') {
    // The feed keeps growing: one post of 21 elements every 50 ms (same markup as the server's).
    const W = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ' +
      'incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud').split(' ');
    const words = (s, n) => Array.from({ length: n }, (_, i) => W[(s * 7 + i * 13) % W.length]).join(' ');
    const feed = document.getElementById('feed');
    let k = Number(root.dataset.next) || 0;
    const el = (tag, text, attrs) => {
      const e = document.createElement(tag);
      if (text) e.textContent = text;
      if (attrs) for (const [a, v] of Object.entries(attrs)) e.setAttribute(a, v);
      return e;
    };
    const post = (n) => {
      const a = el('article', '', { class: 'card', 'data-urn': `urn:li:activity:${n}` });
      const meta = el('div', '', { class: 'meta' });
      const link = el('a', '', { href: `/in/member-${n}/` });
      link.append(el('span', `Member ${n}`));
      meta.append(link, el('span', `${n % 23 + 1}h`), el('span', '•'));
      const body = el('div', '', { class: 'body' });
      const p1 = el('p', `${words(n, 12)} `);
      p1.append(el('b', words(n + 1, 2)), ' ', el('i', words(n + 2, 2)));
      const ul = el('ul');
      ul.append(el('li', words(n + 4, 3)), el('li', words(n + 5, 3)));
      body.append(p1, el('p', words(n + 3, 10)), ul);
      const social = el('div', '', { class: 'social' });
      social.append(el('span', `${n % 97} reactions`), el('span', `${n % 13} comments`));
      const actions = el('div', '', { class: 'actions' });
      for (const t of ['Like', 'Comment', 'Repost']) actions.append(el('button', t, { type: 'button' }));
      a.append(meta, body, social, actions);
      return a;
    };
    setInterval(() => {
      feed.append(post(k++));
      b.appended++;
    }, 50);
  }
})();
