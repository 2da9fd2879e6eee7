// The header every page shares: title, navigation, the token field and the status line.
import { setToken, token } from './api.js';

const PAGES = [
  ['index.html', 'Runs'],
  ['live.html', 'Live'],
  ['figures.html', 'Figures'],
  ['compare.html', 'Compare'],
  ['sweep.html', 'Sweep'],
];

/** Fills <header> with the navigation (keeping ?run= across pages) and the token field. */
export function pageHeader(title) {
  const header = document.querySelector('header');
  const run = new URLSearchParams(location.search).get('run') ?? new URLSearchParams(location.search).get('a');
  const here = location.pathname.split('/').pop() || 'index.html';
  const links = PAGES.map(([href, label]) => {
    const keep = run && href !== 'index.html' && href !== 'sweep.html' ? `?${href === 'compare.html' ? 'a' : 'run'}=${encodeURIComponent(run)}` : '';
    return `<a href="${href}${keep}"${href === here ? ' aria-current="page"' : ''}>${label}</a>`;
  }).join('');
  header.innerHTML = `<h1>deploytwin · ${title}</h1><nav>${links}</nav>
    <form id="token-form" style="margin-left:auto"><label style="flex-direction:row;align-items:center;gap:.4rem">control token
      <input id="token" type="password" size="18" autocomplete="off" placeholder="to start/stop runs"></label></form>
    <span id="status" class="status" role="status"></span>`;
  const input = header.querySelector('#token');
  input.value = token();
  input.addEventListener('change', () => setToken(input.value.trim()));
  header.querySelector('#token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    setToken(input.value.trim());
  });
}

/** Escapes text for innerHTML. */
export function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
