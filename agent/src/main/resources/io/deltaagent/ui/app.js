// delta-agent dashboard: hand-written, no dependencies. Every figure comes from the daemon's guarded /api/*; the token
// comes from the URL fragment (#token=..., which browsers never send to a server) or the form, and lives in sessionStorage.
'use strict';
(function () {
  const TOKEN_KEY = 'delta-agent-token';
  const SVG = 'http://www.w3.org/2000/svg';
  const main = document.getElementById('main');

  class TokenRequired extends Error {}

  // --- DOM helpers (text only: table names and messages are data, never markup) ---
  function h(tag, attrs, ...children) {
    const el = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined && v !== false) el.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
    }
    return el;
  }
  const dash = '—';
  const num = (v) => (v === null || v === undefined ? dash : Number(v).toLocaleString('en-US'));
  const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : dash);
  const statusCell = (s) => h('span', { class: 'status status-' + s }, s || dash);
  const link = (params, text) => h('a', { href: '#' + new URLSearchParams(params) }, text);

  // --- token and API ---
  function route() {
    const params = new URLSearchParams(location.hash.slice(1));
    if (params.has('token')) {
      sessionStorage.setItem(TOKEN_KEY, params.get('token'));
      params.delete('token');
      history.replaceState(null, '', location.pathname + (params.toString() ? '#' + params : ''));
    }
    return params;
  }
  async function api(path) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const res = await fetch(path, { headers: token ? { Authorization: 'Bearer ' + token } : {}, cache: 'no-store' });
    if (res.status === 401) throw new TokenRequired();
    if (!res.ok) {
      let why = res.statusText;
      try { why = (await res.json()).error || why; } catch (e) { /* not JSON */ }
      throw new Error(path + ': ' + res.status + ' ' + why);
    }
    return res.json();
  }

  function show(state, ...nodes) {
    main.dataset.state = state;
    main.replaceChildren(...nodes);
  }

  function tokenRequired() {
    const hadToken = !!sessionStorage.getItem(TOKEN_KEY);
    sessionStorage.removeItem(TOKEN_KEY);
    document.getElementById('forget-token').hidden = true;
    const input = h('input', { type: 'password', id: 'token', autocomplete: 'off', placeholder: 'bearer token' });
    const form = h('form', { id: 'token-form' }, h('label', { for: 'token' }, 'Token'), input, h('button', { type: 'submit' }, 'Open'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (input.value) sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      render();
    });
    show('token-required', h('section', { class: 'token-required', id: 'token-required' },
      h('h1', {}, 'Token required'),
      h('p', {}, hadToken ? 'The daemon refused the token this page had.' : 'This daemon requires a bearer token.',
        ' Enter the token from daemon.http-token-env or http-token-file, or open ', h('code', {}, '/ui/#token=…'), '.'),
      form));
  }

  // --- charts: a line with one circle per sample ---
  function chart(title, metric, samples, unit) {
    const points = samples.filter((s) => s[metric] !== null && s[metric] !== undefined)
      .map((s) => ({ t: Date.parse(s.sampledAt), v: Number(s[metric]) }));
    const W = 480, H = 180, L = 56, R = 12, T = 12, B = 24;
    const svg = h('svg:svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, 'data-metric': metric,
      'data-points': points.length, preserveAspectRatio: 'none' });
    svg.append(h('svg:line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }),
      h('svg:line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }));
    if (points.length === 0) {
      svg.append(h('svg:text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no samples yet'));
    } else {
      const t0 = points[0].t, t1 = points[points.length - 1].t;
      const vmax = Math.max(...points.map((p) => p.v), 1), vmin = Math.min(0, ...points.map((p) => p.v));
      const x = (t) => (t1 === t0 ? (L + W - R) / 2 : L + ((t - t0) / (t1 - t0)) * (W - L - R));
      const y = (v) => H - B - ((v - vmin) / (vmax - vmin)) * (H - T - B);
      svg.append(h('svg:path', { class: 'line', d: points.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ' ' + y(p.v).toFixed(1)).join(' ') }));
      for (const p of points) {
        svg.append(h('svg:circle', { class: 'pt', cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 3 },
          h('svg:title', {}, new Date(p.t).toISOString() + ': ' + num(p.v) + (unit ? ' ' + unit : ''))));
      }
      svg.append(h('svg:text', { x: L - 6, y: T + 8, 'text-anchor': 'end' }, num(vmax)),
        h('svg:text', { x: L - 6, y: H - B, 'text-anchor': 'end' }, num(vmin)),
        h('svg:text', { x: L, y: H - 6 }, when(new Date(t0).toISOString())),
        h('svg:text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, when(new Date(t1).toISOString())));
    }
    return h('div', { class: 'chart' }, h('h2', {}, title), svg);
  }

  // --- pages ---
  function health(t) {
    const hl = t.health || {};
    return { files: hl.files ? hl.files.activeFiles : null, small: hl.files ? hl.files.smallFiles : null,
      logMs: hl.readCost ? hl.readCost.snapshotMillis : null, commits: hl.log ? hl.log.commitsSinceCheckpoint : null };
  }
  function dueActions(t) {
    return t.plan && t.plan.actions ? t.plan.actions.map((a) => a.action).join(', ') : '';
  }

  // the daemon's decision lines start with the table, which the row already names
  const withoutTable = (line, table) => (line.startsWith(table + ': ') ? line.slice(table.length + 2) : line);

  async function overview() {
    const tables = await api('/api/tables');
    const counts = {};
    tables.forEach((t) => { counts[t.status] = (counts[t.status] || 0) + 1; });
    const worst = (key, label, unit) => {
      const rows = tables.filter((t) => health(t)[key] !== null).sort((a, b) => health(b)[key] - health(a)[key]).slice(0, 5);
      return h('div', {}, h('h2', {}, 'Worst by ' + label),
        h('table', { class: 'worst', 'data-by': key }, h('tr', {}, h('th', {}, 'Table'), h('th', { class: 'num' }, label + (unit ? ' (' + unit + ')' : ''))),
          rows.map((t) => h('tr', {}, h('td', { class: 'path' }, link({ page: 'table', table: t.table }, t.table)), h('td', { class: 'num' }, num(health(t)[key]))))));
    };
    show('overview',
      h('h1', {}, 'Fleet'),
      h('div', { class: 'cards' }, h('div', { class: 'card', 'data-status': 'ALL' }, h('div', { class: 'n' }, tables.length), 'tables'),
        Object.keys(counts).sort().map((s) => h('div', { class: 'card', 'data-status': s }, h('div', { class: 'n' }, counts[s]), statusCell(s)))),
      h('div', { class: 'grid' }, worst('small', 'small files'), worst('logMs', 'log read', 'ms')),
      h('h2', {}, 'Tables'),
      h('table', { id: 'tables' },
        h('tr', {}, ['Table', 'Status', 'Files', 'Small files', 'Log read (ms)', 'Audited', 'Due actions', 'Admission']
          .map((c, i) => h('th', { class: i >= 2 && i <= 4 ? 'num' : null }, c))),
        tables.map((t) => {
          const f = health(t);
          return h('tr', { 'data-table': t.table, 'data-status': t.status },
            h('td', { class: 'path' }, link({ page: 'table', table: t.table }, t.table),
              t.catalog ? h('div', { class: 'catalog muted' }, t.catalog.catalog + ':' + t.catalog.table) : null,
              t.error ? h('div', { class: 'error' }, t.error) : null),
            h('td', {}, statusCell(t.status)), h('td', { class: 'num' }, num(f.files)), h('td', { class: 'num' }, num(f.small)),
            h('td', { class: 'num' }, num(f.logMs)), h('td', { class: 'time' }, when(t.auditedAt)), h('td', {}, dueActions(t) || dash),
            h('td', {}, t.decisions.length ? t.decisions.map((d) => h('div', { class: 'decision' }, withoutTable(d, t.table))) : dash));
        })));
  }

  function cost(r) {
    const c = r.cost;
    if (!c || c.amount === null || c.amount === undefined) return dash;
    // an estimate from the configured prices, never a bill: say so, and how it was computed
    return '~' + Number(c.amount).toFixed(4) + ' ' + (c.currency || '') + ' (estimate' + (c.basis ? ': ' + c.basis : '') + ')';
  }
  function change(r, key) {
    const b = r.before ? r.before[key] : null, a = r.after ? r.after[key] : null;
    return num(b) + ' → ' + num(a);
  }
  function runTable(runs, withTable) {
    return h('table', { id: 'runs' },
      h('tr', {}, ['Run', withTable ? 'Table' : null, 'Action', 'State', 'Backend', 'Submitted', 'Ended', 'Files', 'Small files', 'Cost']
        .filter((c) => c).map((c) => h('th', {}, c))),
      runs.map((r) => h('tr', { 'data-run': r.id, 'data-state': r.state },
        h('td', {}, r.id), withTable ? h('td', { class: 'path' }, link({ page: 'table', table: r.table }, r.table)) : null,
        h('td', {}, r.action), h('td', {}, statusCell(r.state), r.error ? h('div', { class: 'error' }, r.error) : null),
        h('td', {}, r.backend), h('td', { class: 'time' }, when(r.submittedAt)), h('td', { class: 'time' }, when(r.endedAt)),
        h('td', { class: 'change' }, change(r, 'files')), h('td', { class: 'change' }, change(r, 'smallFiles')),
        h('td', { class: 'cost' }, cost(r)))));
  }

  async function tablePage(table) {
    const q = encodeURIComponent(table);
    const [samples, runs, tables] = await Promise.all([api('/api/samples?since=30d&table=' + q),
      api('/api/history?limit=100&table=' + q), api('/api/tables')]);
    const state = tables.find((t) => t.table === table);
    show('table',
      h('h1', {}, table),
      state && state.catalog ? h('p', { class: 'catalog muted' }, 'catalog ' + state.catalog.catalog + ': ' + state.catalog.table) : null,
      h('p', {}, state ? statusCell(state.status) : 'not audited by this daemon now', state ? ' · audited ' + when(state.auditedAt) : '',
        state && dueActions(state) ? ' · due: ' + dueActions(state) : ''),
      h('div', { class: 'grid', id: 'charts' },
        chart('Files', 'files', samples), chart('Small files', 'smallFiles', samples),
        chart('Log read (ms)', 'logReadMillis', samples, 'ms'), chart('Commits since checkpoint', 'commitsSinceCheckpoint', samples)),
      h('h2', {}, 'Runs'), runs.length ? runTable(runs, false) : h('p', { class: 'muted' }, 'No runs recorded.'));
  }

  async function runsPage() {
    const runs = await api('/api/history?limit=200');
    show('runs', h('h1', {}, 'Runs'), runs.length ? runTable(runs, true) : h('p', { class: 'muted' }, 'No runs recorded.'));
  }

  // the day's budget and its admitted and budget-deferred decisions (shadow mode's what-if when the daemon runs in it)
  async function budgetPage() {
    const d = await api('/api/decisions');
    const b = d.budget;
    const fixed = (v) => (v === null || v === undefined ? dash : Number(v).toFixed(4));
    show('budget',
      h('h1', {}, b.shadow ? 'Budget (shadow mode: nothing runs)' : 'Budget'),
      h('div', { class: 'cards', id: 'budget' },
        h('div', { class: 'card', 'data-budget': 'limit' }, h('div', { class: 'n' }, fixed(b.limit)), 'budget ' + (b.unit || 'not set') + ', ' + b.day),
        h('div', { class: 'card', 'data-budget': 'spent' }, h('div', { class: 'n' }, fixed(b.spent)), 'spent'),
        h('div', { class: 'card', 'data-budget': 'remaining' }, h('div', { class: 'n' }, fixed(b.remaining)), 'remaining')),
      h('h2', {}, 'Decisions today'),
      d.decisions.length ? h('table', { id: 'decisions' },
        h('tr', {}, ['Decided', 'Table', 'Action', 'Verdict', 'Score', 'Files removed', 'Compute-hours (predicted)',
          'Compute-hours (measured)', 'Cost (predicted)', 'Run', 'Why'].map((c) => h('th', {}, c))),
        d.decisions.map((r) => h('tr', { 'data-verdict': r.verdict },
          h('td', { class: 'time' }, when(r.decidedAt)), h('td', { class: 'path' }, link({ page: 'table', table: r.table }, r.table)),
          h('td', {}, r.action), h('td', {}, statusCell(r.verdict)), h('td', { class: 'num' }, Number(r.score).toFixed(1)),
          h('td', { class: 'num' }, num(r.predictedFilesRemoved)), h('td', { class: 'num' }, fixed(r.predictedComputeHours)),
          h('td', { class: 'num' }, fixed(r.measuredComputeHours)),
          h('td', { class: 'num' }, r.predictedCost === null ? dash : '~' + Number(r.predictedCost).toFixed(4) + ' ' + (r.currency || '')),
          h('td', {}, r.runId === null ? dash : r.runId), h('td', {}, r.reason || dash))))
        : h('p', { class: 'muted' }, 'No budgeted decisions today.'));
  }

  async function render() {
    const params = route();
    const page = params.get('page') || 'overview';
    document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === page));
    document.getElementById('forget-token').hidden = !sessionStorage.getItem(TOKEN_KEY);
    try {
      if (page === 'table' && params.get('table')) await tablePage(params.get('table'));
      else if (page === 'runs') await runsPage();
      else if (page === 'budget') await budgetPage();
      else await overview();
    } catch (e) {
      if (e instanceof TokenRequired) tokenRequired();
      else show('error', h('p', { class: 'error' }, String(e.message || e)));
    }
  }

  document.getElementById('forget-token').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    render();
  });
  window.addEventListener('hashchange', render);
  render();
})();
