// report.html's one script: filters (status, severity, framework, account, region), a free-text search over
// results and detections, sortable tables, folded evidence excerpts, deep links (#result-<id>) and the
// filters kept in the address (#filter:s=FAIL&q=...). It runs only because the page's Content-Security-Policy
// names the SHA-256 of this exact text (computed when the report is rendered); the PDF is printed with
// scripts disabled and never runs it. It reads the data-*
// attributes and text the templates wrote and never turns text into markup: every node it adds is made with
// createElement and filled with textContent, because messages and resource names come from evidence that may
// be hostile. Without it the page shows every row and no control. It makes no request.
(() => {
  'use strict';

  /** As src/report/charts.ts words them (a test holds the two together). */
  const STATUS_LABELS = { FAIL: 'Fail', OBSERVATION: 'Observation (info)', ERROR: 'Error', NOT_TESTED: 'Not tested', MANUAL: 'Manual review', WAIVED: 'Waived', PASS: 'Pass', NOT_APPLICABLE: 'Not applicable' };
  const STATUS_ORDER = Object.keys(STATUS_LABELS);
  const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
  /** Sorting puts statuses worst first and severities most severe first, not in alphabetical order. */
  const RANK = new Map([...Object.values(STATUS_LABELS), 'Not assessed'].map((label, i) => [label.toLowerCase(), i]));
  SEVERITY_ORDER.forEach((s, i) => RANK.set(s, 100 + i));
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  const byOrder = (order) => (a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999) || collator.compare(a, b);

  /** The filters: the data-* attribute each reads, its label, and how its choices are named and ordered. */
  const FILTERS = [
    { key: 's', label: 'Status', name: (v) => STATUS_LABELS[v] || v, order: byOrder(STATUS_ORDER) },
    { key: 'v', label: 'Severity', name: (v) => v, order: byOrder(SEVERITY_ORDER) },
    { key: 'f', label: 'Framework', name: (v) => v, order: collator.compare },
    { key: 'a', label: 'Account', name: (v) => v, order: collator.compare },
    { key: 'r', label: 'Region', name: (v) => v, order: collator.compare },
  ];
  const SEARCH_DELAY_MS = 120;

  const el = (tag, props, children) => {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) node.append(child);
    return node;
  };
  const words = (value) => (value ? value.split(' ').filter(Boolean) : []);

  /** Filterable rows (tables with data-filter="results" or "detections"), read once. */
  function collect() {
    const items = { results: [], detections: [] };
    const groups = [];
    for (const table of document.querySelectorAll('table[data-filter]')) {
      const kind = table.getAttribute('data-filter');
      if (!items[kind]) continue;
      const width = table.tHead && table.tHead.rows[0] ? table.tHead.rows[0].cells.length : 0;
      for (const body of table.tBodies) {
        let group = null;
        for (const row of body.rows) {
          if (row.cells.length < width) {
            // A group head (a day of detections): shown when a row under it is, or when nothing is filtered.
            group = { row, members: [] };
            row.classList.add('tp-group');
            groups.push(group);
            continue;
          }
          const item = { row, values: {}, text: null };
          for (const f of FILTERS) if (row.hasAttribute(`data-${f.key}`)) item.values[f.key] = words(row.getAttribute(`data-${f.key}`));
          items[kind].push(item);
          if (group) group.members.push(item);
        }
      }
    }
    return { items, groups };
  }

  function buildControls(state, all) {
    const search = el('input', { type: 'search', id: 'tp-search', placeholder: 'resource, account, rule, actor...', autocomplete: 'off' });
    const fields = [el('label', { htmlFor: 'tp-search' }, ['Search results and detections', search])];
    const selects = {};
    for (const f of FILTERS) {
      const choices = new Set();
      for (const item of all) for (const v of item.values[f.key] || []) choices.add(v);
      if (choices.size === 0) continue;
      const select = el('select', { id: `tp-filter-${f.key}` }, [el('option', { value: '', textContent: 'All' })]);
      for (const v of [...choices].sort(f.order)) select.append(el('option', { value: v, textContent: f.name(v) }));
      selects[f.key] = select;
      fields.push(el('label', { htmlFor: select.id }, [f.label, select]));
    }
    const clear = el('button', { type: 'button', id: 'tp-clear', textContent: 'Clear filters' });
    const folds = el('button', { type: 'button', id: 'tp-folds', textContent: 'Expand all excerpts' });
    const count = el('p', { id: 'tp-count', className: 'tp-count' });
    count.setAttribute('aria-live', 'polite');
    count.setAttribute('role', 'status');
    const box = el('div', { className: 'tp-controls' }, [el('div', { className: 'tp-row' }, [...fields, clear, folds]), count]);
    box.setAttribute('role', 'search');
    box.setAttribute('aria-label', 'Filter and search the results and detections');
    state.search = search;
    state.selects = selects;
    state.count = count;
    state.clear = clear;
    state.folds = folds;
    return box;
  }

  /** Whether a row passes the chosen filters. A filter applies to the rows that carry its attribute: detections have no status or framework. */
  function passes(item, chosen) {
    for (const key in chosen) {
      const values = item.values[key];
      if (values && !values.includes(chosen[key])) return false;
    }
    return true;
  }

  /** Whether a row's text holds every word searched for (read once, on the first search). */
  function says(item, query) {
    if (query.length === 0) return true;
    if (item.text === null) item.text = item.row.textContent.toLowerCase();
    return query.every((w) => item.text.includes(w));
  }

  /**
   * The "needs attention" rows, each with the result rows that link to it ("evidence"), and the group each
   * belongs to: a row is shown when one of its results is, so the chapter follows the filters too.
   */
  function linkAttention(results) {
    const byRow = new Map();
    for (const item of results) {
      const link = item.row.querySelector('a[href^="#"]');
      const target = link && document.getElementById(link.getAttribute('href').slice(1));
      if (!target || target.tagName !== 'TR' || target.closest('table[data-filter]')) continue;
      let entry = byRow.get(target);
      if (!entry) byRow.set(target, (entry = { row: target, results: [], text: null }));
      entry.results.push(item);
    }
    const groups = new Map();
    for (const entry of byRow.values()) {
      const group = entry.row.closest('.group');
      if (!group) continue;
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group).push(entry);
    }
    return { entries: [...byRow.values()], groups };
  }

  const show = (node, visible) => {
    if (node.hidden === visible) node.hidden = !visible;
  };

  /** Shows the rows the controls select, and says how many; `record` also keeps the choice in the address. */
  function apply(state, record) {
    const query = words(state.search.value.trim().toLowerCase().replace(/\s+/g, ' '));
    const chosen = {};
    for (const key in state.selects) if (state.selects[key].value !== '') chosen[key] = state.selects[key].value;
    const filtering = query.length > 0 || Object.keys(chosen).length > 0;
    const shown = {};
    for (const kind in state.items) {
      let n = 0;
      for (const item of state.items[kind]) {
        const visible = !filtering || (passes(item, chosen) && says(item, query));
        show(item.row, visible);
        if (visible) n++;
      }
      shown[kind] = n;
    }
    for (const group of state.groups) show(group.row, !filtering || group.members.some((m) => !m.row.hidden));
    if (filtering && !state.attention) state.attention = linkAttention(state.items.results);
    if (state.attention) {
      for (const entry of state.attention.entries) {
        show(entry.row, !filtering || entry.results.some((r) => passes(r, chosen) && (says(r, query) || says(entry, query))));
      }
      for (const [group, entries] of state.attention.groups) show(group, entries.some((e) => !e.row.hidden));
    }
    if (record) recordFilters(state, query, chosen);
    const format = (n) => n.toLocaleString('en');
    const parts = [];
    for (const [kind, word] of [['results', 'results'], ['detections', 'detections']]) {
      if (state.items[kind].length > 0) parts.push(`${format(shown[kind])} of ${format(state.items[kind].length)} ${word} shown`);
    }
    state.count.textContent = parts.join('; ') || 'Nothing to filter';
  }

  /** Value a cell sorts by: data-sort, else its leading badge's text, else its text. */
  function sortValue(cell) {
    if (!cell) return '';
    if (cell.hasAttribute('data-sort')) return cell.getAttribute('data-sort');
    const first = cell.firstElementChild;
    const text = first && first.classList.contains('badge') && cell.firstChild === first ? first.textContent : cell.textContent;
    return text.trim();
  }

  function compareValues(a, b) {
    const ra = RANK.get(a.toLowerCase());
    const rb = RANK.get(b.toLowerCase());
    if (ra !== undefined && rb !== undefined) return ra - rb;
    // Statuses and severities before other text ("not in this version"), so the order stays consistent.
    if (ra !== undefined || rb !== undefined) return ra !== undefined ? -1 : 1;
    return collator.compare(a, b);
  }

  /** Header buttons that sort a table's rows: ascending, descending, then back to the order it was written in. */
  function makeSortable(table) {
    const head = table.tHead && table.tHead.rows[0];
    const body = table.tBodies[0];
    if (!head || !body || table.tBodies.length !== 1) return;
    const width = head.cells.length;
    const original = [...body.rows];
    // A row with fewer cells than the header heads a group (a day): hidden while the table is sorted.
    for (const row of original) if (row.cells.length < width) row.classList.add('tp-group');
    let current = { column: -1, direction: 0 };
    [...head.cells].forEach((th, column) => {
      const button = el('button', { type: 'button', className: 'tp-sort' });
      while (th.firstChild) button.append(th.firstChild);
      th.append(button);
      button.addEventListener('click', () => {
        const direction = current.column === column ? (current.direction === 1 ? -1 : current.direction === -1 ? 0 : 1) : 1;
        current = { column, direction };
        for (const other of head.cells) other.removeAttribute('aria-sort');
        if (direction !== 0) th.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
        table.classList.toggle('tp-sorted', direction !== 0);
        let rows = original;
        if (direction !== 0) {
          const keyed = original.filter((r) => r.cells.length >= width).map((row, i) => ({ row, i, key: sortValue(row.cells[column]) }));
          keyed.sort((x, y) => direction * compareValues(x.key, y.key) || x.i - y.i);
          rows = [...keyed.map((k) => k.row), ...original.filter((r) => r.cells.length < width)];
        }
        const fragment = document.createDocumentFragment();
        for (const row of rows) fragment.append(row);
        body.append(fragment);
      });
    });
  }

  /** The filters in the address (#filter:s=FAIL&q=...), so a filtered view can be bookmarked or sent. */
  const FILTER_HASH = '#filter:';
  function recordFilters(state, query, chosen) {
    const params = new URLSearchParams(chosen);
    if (query.length > 0) params.set('q', query.join(' '));
    const hash = params.toString() === '' ? '' : FILTER_HASH + params.toString();
    if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search);
  }

  /** Sets the controls from a #filter: address; a value no control offers is ignored. True when it was one. */
  function restoreFilters(state) {
    if (!location.hash.startsWith(FILTER_HASH) || !state.search) return false;
    const params = new URLSearchParams(location.hash.slice(FILTER_HASH.length));
    state.search.value = params.get('q') || '';
    for (const key in state.selects) {
      const select = state.selects[key];
      const wanted = params.get(key) || '';
      select.value = [...select.options].some((o) => o.value === wanted) ? wanted : '';
    }
    apply(state, false);
    return true;
  }

  /**
   * Opens #result-<id> (or any anchor): clears filters that hide it, opens folds around it, highlights it.
   * `loading`: the page just opened at the anchor, and this script has since added the controls and folded the
   * excerpts above it, so the browser's own scroll to it no longer holds and is done again.
   */
  function reveal(state, loading) {
    let id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch {
      return;
    }
    if (id === '' || location.hash.startsWith(FILTER_HASH)) return;
    const target = document.getElementById(id);
    if (!target) return;
    // The browser has already scrolled to the anchor; this only steps in where it could not show it.
    let moved = false;
    if (target.closest('[hidden]') && state.search) {
      state.search.value = '';
      for (const key in state.selects) state.selects[key].value = '';
      apply(state, false);
      moved = true;
    }
    for (let node = target.parentElement; node; node = node.parentElement) {
      if (node.tagName === 'DETAILS' && !node.open) {
        node.open = true;
        moved = true;
      }
    }
    if (state.hit) state.hit.classList.remove('tp-hit');
    state.hit = null;
    if (target.tagName === 'TR') {
      // A row (a result, a detection, a row needing attention): highlighted, focused and brought to the middle.
      target.classList.add('tp-hit');
      state.hit = target;
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: 'center' });
    } else if (moved || loading) {
      target.scrollIntoView({ block: 'start' });
    }
  }

  function start() {
    const main = document.querySelector('main');
    const { items, groups } = collect();
    const state = { items, groups, hit: null };
    const all = [...items.results, ...items.detections];
    if (main && all.length > 0) {
      const controls = buildControls(state, all);
      main.prepend(controls);
      // Anchors land below the sticky controls, however many lines they wrap to: the page's scroll padding. It is
      // set on the root alone (not a variable every element inherits), so changing it restyles nothing else.
      let padding = -1;
      const measure = () => {
        const height = controls.offsetHeight + 8;
        if (height !== padding) document.documentElement.style.scrollPaddingTop = `${height}px`;
        padding = height;
      };
      let timer = 0;
      state.search.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(() => apply(state, true), SEARCH_DELAY_MS);
      });
      for (const key in state.selects) state.selects[key].addEventListener('change', () => apply(state, true));
      state.clear.addEventListener('click', () => {
        state.search.value = '';
        for (const key in state.selects) state.selects[key].value = '';
        apply(state, true);
      });
      if (!restoreFilters(state)) apply(state, false);
      // Measured once the count line is filled (one layout, before the scroll below); then as the controls wrap.
      measure();
      new ResizeObserver(measure).observe(controls);
    }
    // Evidence excerpts are open in the markup (no script, PDF); on screen they start folded.
    const folds = [...document.querySelectorAll('details.fold')];
    for (const fold of folds) fold.open = false;
    if (state.folds) {
      if (folds.length === 0) state.folds.hidden = true;
      state.folds.addEventListener('click', () => {
        const open = folds.some((f) => !f.open);
        for (const fold of folds) fold.open = open;
        state.folds.textContent = open ? 'Fold all excerpts' : 'Expand all excerpts';
      });
    }
    // Printing from the browser prints every excerpt.
    window.addEventListener('beforeprint', () => {
      for (const fold of folds) fold.open = true;
    });
    for (const table of document.querySelectorAll('table.sortable')) makeSortable(table);
    window.addEventListener('hashchange', () => {
      if (!restoreFilters(state)) reveal(state, false);
    });
    reveal(state, true);
    document.documentElement.setAttribute('data-interactive', 'ready');
    performance.mark('trailproof-interactive');
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
