// The Factline explorer: one page, no framework. It reads the API's documented routes (GET /streams,
// <resource>/{id}/events, <resource>/{id}?atVersion=|asOf=, GET /rebuilds) and, where it runs on the local
// pipeline, /_local/lag and /_local/parked; the only write is the re-drive, after a confirmation. With a token
// set (a JWT, for an API behind a JWT authorizer) every request carries it as a bearer token. Every failure is
// said in words.
'use strict';

const screen = document.getElementById('screen');
const LAG_POLL_MS = 250;
const LAG_SAMPLES = 240;
const REBUILDS_POLL_MS = 1000;
const TOKEN_KEY = 'factline.explorer.token';
// A JWS in compact form: three base64url parts (the signature may be empty only for an unsigned token, which no authorizer takes).
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const HISTORY_CAP = 2000;
let stopScreen = () => {};
let renderToken = 0;
let resources = null; // stream type -> resource path, from GET /streams

// ---- building the page (text only: nothing from the API is parsed as HTML) ----------------------

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function show(...children) {
  screen.replaceChildren(...children);
}

function problemBox(words, id) {
  return h('div', { class: 'problem', role: 'alert', id: id || null }, h('strong', {}, 'Problem: '), words);
}

function pretty(value) {
  return JSON.stringify(value, null, 2);
}

function time(text) {
  return text ? text.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

// ---- the API, and what its failures mean ------------------------------------------------------

class ApiError extends Error {
  constructor(words, status, problem) {
    super(words);
    this.status = status;
    this.problem = problem;
  }
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** What a refusal of the caller (not of the request) means, by the authorization the API may have. */
function refusedWords(status, method, path) {
  if (status === 401) {
    return token()
      ? 'The API refused the token (401 Unauthorized) for ' + method + ' ' + path + ': it may have expired, or be for another issuer '
        + 'or audience than the API\'s JWT authorizer accepts. Paste a fresh one into Token, at the top.'
      : 'The API wants a token (401 Unauthorized) for ' + method + ' ' + path + ': it is behind a JWT authorizer. Paste a JWT from its '
        + 'identity provider into Token, at the top; the page sends it as a bearer token and keeps it for this tab only.';
  }
  return 'The API refused ' + method + ' ' + path + ' (403 Forbidden). Behind IAM auth every request must be signed (SigV4), which '
    + 'a page cannot do: open the explorer through a signing proxy (docs/decisions/event-explorer.md says how). Behind a JWT '
    + 'authorizer, the token lacks a scope the route asks for.';
}

async function api(path, options) {
  let response;
  const headers = { accept: 'application/json' };
  if (token()) headers.authorization = 'Bearer ' + token();
  const method = options && options.method || 'GET';
  try {
    response = await fetch(path, Object.assign({}, options, { headers }));
  } catch (failure) {
    throw new ApiError('The API at ' + location.origin + ' did not answer ' + path + ' (' + failure.message
      + '). Is it still running? Locally, is the local pipeline still running?', 0, null);
  }
  if ((response.status === 401 || response.status === 403) && !(response.headers.get('content-type') || '').includes('problem')) {
    throw new ApiError(refusedWords(response.status, method, path), response.status, null);
  }
  const type = response.headers.get('content-type') || '';
  let body = null;
  if (type.includes('json')) {
    try {
      body = await response.json();
    } catch (notJson) {
      throw new ApiError('The API answered ' + path + ' with ' + response.status + ' and a body that is not the JSON it said it was.',
        response.status, null);
    }
  }
  if (!response.ok) {
    if (body && body.detail) {
      throw new ApiError((body.title ? body.title + ': ' : '') + body.detail, response.status, body);
    }
    const message = body && body.message ? body.message : response.statusText;
    throw new ApiError('The API answered ' + response.status + ' (' + message + ') to ' + method + ' '
      + path + '.', response.status, body);
  }
  if (body === null) {
    throw new ApiError('The API answered ' + path + ' with ' + (type || 'no content type') + ', not JSON.', response.status, null);
  }
  return body;
}

async function streamResources() {
  if (!resources) {
    resources = (await api('/streams?limit=1')).resources;
  }
  return resources;
}

// ---- routing: #/streams, #/stream/<type>/<id>?version=&at=, #/lag, #/parked ----------------------

function route() {
  const hash = location.hash || '#/streams';
  const question = hash.indexOf('?');
  const path = (question < 0 ? hash : hash.slice(0, question)).slice(1);
  const query = new URLSearchParams(question < 0 ? '' : hash.slice(question + 1));
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query };
}

async function render() {
  stopScreen();
  stopScreen = () => {};
  const token = ++renderToken;
  const { parts, query } = route();
  document.querySelectorAll('nav a').forEach(link => link.classList.toggle('current',
    link.dataset.screen === (parts[0] === 'stream' ? 'streams' : parts[0])));
  try {
    if (parts[0] === 'streams' && parts.length === 1) await streamsScreen(query, token);
    else if (parts[0] === 'stream' && parts.length === 3) await historyScreen(parts[1], parts[2], query, token);
    else if (parts[0] === 'lag' && parts.length === 1) lagScreen();
    else if (parts[0] === 'parked' && parts.length === 1) await parkedScreen(token);
    else show(h('h2', {}, 'No such screen'), problemBox('The address ' + location.hash + ' names no screen of the explorer. '
      + 'Its screens are Streams, Projections and Parked records, in the bar above.'));
  } catch (failure) {
    if (token === renderToken) show(h('h2', {}, 'Something went wrong'), problemBox(failure.message));
  }
}

// ---- 1. streams: by type and id prefix, most recently changed first ------------------------------

async function streamsScreen(query, token) {
  const type = query.get('type') || '';
  const prefix = query.get('prefix') || '';
  const ask = params => '/streams?' + new URLSearchParams(Object.entries(params).filter(([, value]) => value)).toString();
  const page = await api(ask({ type, prefix, limit: 50 }));
  if (token !== renderToken) return;
  resources = page.resources;
  const tabs = h('div', { class: 'tabs' }, Object.entries(page.counts).map(([each, count]) =>
    h('a', { href: '#/streams?' + new URLSearchParams(Object.entries({ type: each, prefix }).filter(([, v]) => v)),
      class: each === page.type ? 'current' : null, 'data-type': each }, each + ' (' + count + ')')));
  const input = h('input', { id: 'prefix', name: 'prefix', value: prefix, placeholder: 'id or its start, e.g. a-1', autocomplete: 'off' });
  const form = h('form', { class: 'search', onsubmit: event => {
    event.preventDefault();
    location.hash = '#/streams?' + new URLSearchParams(Object.entries({ type: page.type, prefix: input.value.trim() })
      .filter(([, v]) => v));
  } }, h('label', { for: 'prefix' }, 'Stream id starts with'), input, h('button', { type: 'submit', id: 'search' }, 'Search'));
  const body = h('tbody', {});
  const table = h('table', { id: 'streams' }, h('thead', {}, h('tr', {}, ['Stream', 'Version', 'Last event', 'Started', 'Last change']
    .map(title => h('th', {}, title)))), body);
  const more = h('p', {});
  const add = listed => {
    for (const entry of listed.streams) {
      body.append(h('tr', {}, h('td', {}, h('a', { href: '#/stream/' + encodeURIComponent(page.type) + '/' + encodeURIComponent(entry.id),
        class: 'stream' }, entry.streamId)), h('td', {}, entry.version), h('td', {}, entry.lastEventType),
        h('td', { class: 'mono' }, time(entry.startedAt)), h('td', { class: 'mono' }, time(entry.updatedAt))));
    }
    more.replaceChildren(listed.next ? h('button', { id: 'more', onclick: async () => {
      try {
        add(await api(listed.next));
      } catch (failure) {
        more.replaceChildren(problemBox(failure.message));
      }
    } }, 'More') : '');
  };
  add(page);
  const matching = page.counts[page.type];
  show(h('h2', {}, 'Streams'), tabs, form,
    h('p', { class: 'note', id: 'count' }, matching + ' ' + page.type + ' stream' + (matching === 1 ? '' : 's')
      + (prefix ? ' with an id starting ' + prefix : '') + ', most recently changed first. The catalogue is a read model: '
      + 'a stream written a moment ago may take a moment to show.'),
    matching ? table : h('p', { class: 'note' }, 'Nothing to list.'), more);
}

// ---- 2. and 3. a stream's history, and time travel over it --------------------------------------

async function loadHistory(type, id) {
  const base = (await streamResources())[type];
  if (!base) {
    throw new ApiError('There is no stream type \'' + type + '\': the API hosts ' + Object.keys(resources).join(', ') + '.', 404, null);
  }
  const events = [];
  let next = base + '/' + encodeURIComponent(id) + '/events?limit=100';
  while (next && events.length < HISTORY_CAP) {
    const page = await api(next);
    events.push(...page.events);
    next = page.next;
  }
  return { base, events, truncated: Boolean(next) };
}

const histories = new Map(); // "<type>/<id>" -> promise of its history, for causation links

function cachedHistory(type, id) {
  const key = type + '/' + id;
  if (!histories.has(key)) histories.set(key, loadHistory(type, id).catch(failure => {
    histories.delete(key);
    throw failure;
  }));
  return histories.get(key);
}

function versionAsked(text, last, stream) {
  if (text === null) return { version: last };
  if (!/^[0-9]{1,15}$/.test(text) || Number(text) < 1) {
    return { version: last, problem: 'The address asks for version \'' + text + '\', which is not a version: versions are whole numbers from 1. '
      + 'Showing the latest, ' + last + '.' };
  }
  if (Number(text) > last) {
    return { version: last, problem: stream + ' has ' + last + ' version' + (last === 1 ? '' : 's') + ', so there is no version ' + text
      + '. Showing the latest, ' + last + '.' };
  }
  return { version: Number(text) };
}

async function historyScreen(type, id, query, token) {
  histories.delete(type + '/' + id);
  let loaded;
  try {
    loaded = await cachedHistory(type, id);
  } catch (failure) {
    if (token !== renderToken) return;
    const words = failure.status === 404 || failure.status === 400 ? failure.message : 'The history of ' + type + ' ' + id
      + ' could not be read: ' + failure.message;
    show(h('h2', {}, type + ' ' + id), problemBox(words, 'history-problem'),
      h('p', {}, h('a', { href: '#/streams?type=' + encodeURIComponent(type) + '&prefix=' + encodeURIComponent(id) }, 'Search for streams like it')));
    return;
  }
  if (token !== renderToken) return;
  const { base, events, truncated } = loaded;
  const stream = type + '#' + id;
  const last = events[events.length - 1].version;
  const asked = versionAsked(query.get('version'), last, stream);
  const viewPath = base + '/' + encodeURIComponent(id);

  const slider = h('input', { type: 'range', id: 'version', min: 1, max: last, step: 1, value: asked.version, 'aria-label': 'version' });
  const label = h('output', { id: 'version-label', for: 'version' });
  const picker = h('input', { type: 'datetime-local', id: 'as-of', step: 1 });
  const pickerProblem = h('div', {});
  const viewPanel = h('div', { class: 'panel', id: 'view' });
  const changePanel = h('div', { class: 'panel', id: 'change' });
  const rows = new Map();
  const views = new Map(); // version -> promise of the view at it

  const viewAt = version => {
    if (!views.has(version)) views.set(version, api(viewPath + '?atVersion=' + version));
    return views.get(version);
  };

  let showing = 0;
  const travel = async version => {
    showing = version;
    slider.value = version;
    label.value = 'version ' + version + ' of ' + last;
    const event = events[version - 1];
    rows.forEach((row, at) => row.classList.toggle('selected', at === version));
    history.replaceState(null, '', '#/stream/' + encodeURIComponent(type) + '/' + encodeURIComponent(id) + '?version=' + version);
    try {
      const [now, before] = await Promise.all([viewAt(version), version > 1 ? viewAt(version - 1) : Promise.resolve(null)]);
      if (showing !== version) return;
      const changes = difference(before, now);
      viewPanel.replaceChildren(h('h3', {}, 'The view as of version ' + version),
        h('pre', { id: 'view-json', 'data-version': version }, viewLines(now, changes)));
      changePanel.replaceChildren(h('h3', {}, 'What ' + event.type + ' (version ' + version + ') changed'),
        changes.length ? h('table', { id: 'changes' }, h('thead', {}, h('tr', {}, h('th', {}, 'Field'), h('th', {}, 'Before'), h('th', {}, 'After'))),
          h('tbody', {}, changes.map(change => h('tr', {}, h('td', { class: 'mono' }, change.path),
            h('td', { class: 'mono removed' }, change.before === undefined ? '—' : change.before),
            h('td', { class: 'mono changed' }, change.after === undefined ? '—' : change.after)))))
          : h('p', { class: 'note' }, 'Nothing in the view changed.'),
        h('h3', {}, 'The event'), h('pre', {}, pretty(event.data)));
    } catch (failure) {
      if (showing !== version) return;
      viewPanel.replaceChildren(problemBox('The view at version ' + version + ' could not be read: ' + failure.message));
      changePanel.replaceChildren();
    }
  };

  slider.addEventListener('input', () => travel(Number(slider.value)));
  const goTo = async () => {
    pickerProblem.replaceChildren();
    if (!picker.value) {
      pickerProblem.replaceChildren(problemBox('Pick a date and a time first.'));
      return;
    }
    const instant = new Date(picker.value + 'Z');
    if (Number.isNaN(instant.getTime())) {
      pickerProblem.replaceChildren(problemBox('\'' + picker.value + '\' is not a date and time the explorer can read.'));
      return;
    }
    try {
      const view = await api(viewPath + '?asOf=' + encodeURIComponent(instant.toISOString()));
      travel(view.version);
    } catch (failure) {
      pickerProblem.replaceChildren(problemBox('As of ' + instant.toISOString() + ': ' + failure.message));
    }
  };

  const body = h('tbody', {});
  for (const event of events) {
    const causation = h('td', { class: 'mono cause' }, event.metadata.causationId ? '…' : '—');
    const row = h('tr', { 'data-version': event.version },
      h('td', {}, h('a', { href: '#/stream/' + encodeURIComponent(type) + '/' + encodeURIComponent(id) + '?version=' + event.version,
        onclick: click => { click.preventDefault(); travel(event.version); } }, event.version)),
      h('td', {}, event.type),
      h('td', {}, event.schemaVersion === event.storedSchemaVersion ? 'v' + event.schemaVersion
        : 'v' + event.schemaVersion + ' (stored v' + event.storedSchemaVersion + ')'),
      h('td', { class: 'mono' }, time(event.occurredAt)),
      h('td', { class: 'mono' }, event.metadata.correlationId),
      causation,
      h('td', {}, h('pre', {}, pretty(event.data))));
    rows.set(event.version, row);
    body.append(row);
    if (event.metadata.causationId) linkCause(causation, event, type, id);
  }

  show(h('h2', {}, stream),
    h('p', { class: 'note', id: 'summary' }, events.length + ' event' + (events.length === 1 ? '' : 's') + ', versions 1 to ' + last
      + (truncated ? ' (the first ' + HISTORY_CAP + ' shown)' : '') + '. '),
    asked.problem ? problemBox(asked.problem, 'version-problem') : '',
    h('div', { class: 'travel' },
      h('div', { class: 'controls' }, h('label', { for: 'version' }, 'Time travel'), slider, label,
        h('label', { for: 'as-of' }, 'or as of (UTC)'), picker, h('button', { id: 'go', onclick: goTo }, 'Go')),
      h('div', { class: 'controls' }, pickerProblem), viewPanel, changePanel),
    h('h3', {}, 'History'),
    h('table', { id: 'history' }, h('thead', {}, h('tr', {}, ['Version', 'Type', 'Schema', 'Occurred at', 'Correlation id', 'Caused by', 'Payload']
      .map(title => h('th', {}, title)))), body));
  await travel(asked.version);
}

/** The view as lines, the lines of changed fields marked. */
function viewLines(view, changes) {
  const changed = new Set(changes.map(change => change.path.split('.')[0].split('[')[0]));
  return pretty(view).split('\n').map(line => {
    const field = /^ {2}"([^"]+)":/.exec(line);
    return h('span', { class: field && changed.has(field[1]) ? 'changed' : null }, line + '\n');
  });
}

/** Each leaf that differs between two JSON values: its path, before and after (as JSON text). */
function difference(before, after) {
  const flat = (value, path, into) => {
    if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((item, index) => [path + '[' + index + ']', item])
        : Object.entries(value).map(([key, item]) => [path ? path + '.' + key : key, item]);
      if (!entries.length) into.set(path, JSON.stringify(value));
      entries.forEach(([at, item]) => flat(item, at, into));
    } else {
      into.set(path, JSON.stringify(value));
    }
    return into;
  };
  const old = before === null ? new Map() : flat(before, '', new Map());
  const now = flat(after, '', new Map());
  const paths = [...new Set([...old.keys(), ...now.keys()])];
  return paths.filter(path => old.get(path) !== now.get(path)).map(path => ({ path, before: old.get(path), after: now.get(path) }));
}

/**
 * A causation id is the id of the event a command reacted to (a saga's). The event names the streams
 * it concerns in its payload (orderId, accountId): the cause is looked for in their histories.
 */
async function linkCause(cell, event, ownType, ownId) {
  const cause = event.metadata.causationId;
  const types = await streamResources();
  const candidates = Object.entries(event.data || {})
    .filter(([field, value]) => field.endsWith('Id') && typeof value === 'string' && types[field.slice(0, -2)])
    .map(([field, value]) => [field.slice(0, -2), value])
    .filter(([type, value]) => !(type === ownType && value === ownId));
  for (const [type, value] of candidates) {
    try {
      const found = (await cachedHistory(type, value)).events.find(candidate => candidate.eventId === cause);
      if (found) {
        cell.replaceChildren(h('a', { href: '#/stream/' + encodeURIComponent(type) + '/' + encodeURIComponent(value) + '?version=' + found.version,
          class: 'cause-link', title: 'event ' + cause }, found.type + ' of ' + type + '#' + value + ' (version ' + found.version + ')'));
        return;
      }
    } catch (unreadable) {
      // another candidate may hold it
    }
  }
  cell.replaceChildren(h('span', { title: 'not found in the streams the event names' }, cause));
}

// ---- 4. projections: each trigger's lag, live ---------------------------------------------------

const COLOURS = ['#2456a6', '#c2571a', '#2e7d32', '#7b3fa0'];

function lagScreen() {
  const rebuilds = rebuildsPanel();
  const samples = new Map(); // function -> [{at, behind, age}]
  const behindChart = h('canvas', { class: 'chart', id: 'lag-chart', width: 1100, height: 220, 'data-samples': 0, 'data-max-behind': 0 });
  const ageChart = h('canvas', { class: 'chart', id: 'age-chart', width: 1100, height: 220 });
  const legend = h('p', { class: 'legend' });
  const table = h('div', {});
  const status = h('div', {});
  show(h('h2', {}, 'Projections'), rebuilds.panel,
    h('h3', {}, 'Lag'),
    h('p', { class: 'note' }, 'Each stream trigger of the local pipeline: the records it has read and not finished (the events it is behind), '
      + 'and the age of the oldest of them, sampled every ' + LAG_POLL_MS + ' ms. The projector keeps every read model in one batch, '
      + 'so they share its lag. Record times are DynamoDB Streams\' approximate creation times, in whole seconds.'),
    status, legend, h('h3', {}, 'Events behind'), behindChart, h('h3', {}, 'Oldest unfinished record (ms)'), ageChart, h('h3', {}, 'Last batches'), table);
  let maxBehind = 0;
  let count = 0;
  let timer = null;
  const poll = async () => {
    let lag;
    try {
      lag = await api('/_local/lag');
    } catch (failure) {
      if (failure.status === 404) {
        // Not the local pipeline: no route of the API says how far behind a trigger is, so the page stops asking.
        clearInterval(timer);
        status.replaceChildren(h('p', { class: 'note', id: 'lag-elsewhere' }, 'This API has no /_local/lag: the events each trigger is '
          + 'behind are measured by the local pipeline only. On AWS a trigger\'s lag is its IteratorAge metric, on the service '
          + 'stack\'s dashboard and its iterator-age alarms (docs/infra.md); the API has no route that reads CloudWatch, and the page '
          + 'does not guess a figure.'));
      } else {
        status.replaceChildren(problemBox('The lag could not be read: ' + failure.message));
      }
      return;
    }
    status.replaceChildren();
    count++;
    lag.triggers.forEach(trigger => {
      const series = samples.get(trigger.function) || [];
      series.push({ behind: trigger.recordsBehind, age: trigger.oldestAgeMillis });
      if (series.length > LAG_SAMPLES) series.shift();
      samples.set(trigger.function, series);
      maxBehind = Math.max(maxBehind, trigger.recordsBehind);
    });
    behindChart.dataset.samples = count;
    behindChart.dataset.maxBehind = maxBehind;
    draw(behindChart, samples, 'behind');
    draw(ageChart, samples, 'age');
    legend.replaceChildren(...[...samples.keys()].map((name, index) =>
      h('span', {}, swatch(COLOURS[index % COLOURS.length]), name)));
    table.replaceChildren(h('table', { id: 'lag' }, h('thead', {}, h('tr', {}, ['Trigger', 'Read models', 'Shards', 'Events behind',
      'Oldest (ms)', 'Last batch: records', 'took (ms)', 'iterator age (ms)', 'ended at'].map(title => h('th', {}, title)))),
    h('tbody', {}, lag.triggers.map(trigger => h('tr', { 'data-function': trigger.function },
      h('td', {}, trigger.function), h('td', { class: 'mono' }, trigger.readModels.join(', ') || '—'), h('td', {}, trigger.shards),
      h('td', { class: 'behind' }, trigger.recordsBehind), h('td', {}, trigger.oldestAgeMillis),
      h('td', { class: 'batch-records' }, trigger.lastBatch ? trigger.lastBatch.records : '—'),
      h('td', {}, trigger.lastBatch ? trigger.lastBatch.durationMillis : '—'),
      h('td', {}, trigger.lastBatch ? trigger.lastBatch.iteratorAgeMillis : '—'),
      h('td', { class: 'mono batch-ended', 'data-ended': trigger.lastBatch ? trigger.lastBatch.endedAt : null },
        trigger.lastBatch ? time(trigger.lastBatch.endedAt) : '—'))))));
  };
  timer = setInterval(poll, LAG_POLL_MS);
  poll();
  stopScreen = () => {
    clearInterval(timer);
    rebuilds.stop();
  };
}

/**
 * The rebuilds of every hosted read model, from GET /rebuilds, polled: a running one with its progress (segments done, items
 * read and events folded so far, per segment, and the events per second between two polls), a finished one with when.
 */
function rebuildsPanel() {
  const panel = h('section', { id: 'rebuilds-panel' }, h('h3', {}, 'Rebuilds'), h('p', { class: 'note' }, 'Loading…'));
  const before = new Map(); // space -> {at, events}
  let stopped = false;
  const poll = async () => {
    let page;
    try {
      page = await api('/rebuilds');
    } catch (failure) {
      if (!stopped) panel.replaceChildren(h('h3', {}, 'Rebuilds'), problemBox('The rebuilds could not be read: ' + failure.message,
        'rebuilds-problem'));
      return;
    }
    if (stopped) return;
    const rows = [];
    const served = [];
    for (const model of page.readModels) {
      served.push(model.name + ' v' + model.served);
      for (const version of model.versions) {
        if (version.rebuild) rows.push(rebuildRow(model, version, before));
      }
    }
    panel.replaceChildren(h('h3', {}, 'Rebuilds'),
      h('p', { class: 'note', id: 'rebuilds-summary' }, (page.running === 0 ? 'No rebuild is running. '
        : page.running + ' rebuild' + (page.running === 1 ? ' is' : 's are') + ' running. ')
        + 'Queries serve ' + served.join(', ') + '. How many items a running rebuild has left is not known to the API (the replay '
        + 'tool\'s estimate is DescribeTable\'s item count): its progress is its segments done and what it has read so far.'),
      rows.length ? h('table', { id: 'rebuilds' }, h('thead', {}, h('tr', {}, ['Read model', 'State', 'Progress', 'Items read',
        'Events', 'Events/s', 'Rows written', 'Problems', 'Started', 'Completed or held until'].map(title => h('th', {}, title)))),
      h('tbody', {}, rows)) : h('p', { class: 'note' }, 'No read model of this API has been rebuilt.'));
  };
  poll();
  const timer = setInterval(poll, REBUILDS_POLL_MS);
  return { panel, stop: () => { stopped = true; clearInterval(timer); } };
}

function rebuildRow(model, version, before) {
  const run = version.rebuild;
  const space = version.space;
  const running = run.state === 'running';
  const lapsed = running && Date.parse(run.leaseUntil) < Date.now();
  let rate = '—';
  if (running) {
    const last = before.get(space);
    const now = { at: Date.now(), events: run.events };
    if (last && now.at > last.at) rate = Math.round((now.events - last.events) * 1000 / (now.at - last.at));
    before.set(space, now);
  }
  const state = !running ? 'complete' : lapsed ? 'stopped: its lease lapsed at ' + time(run.leaseUntil) + '; run the same '
    + 'rebuild again to resume it' : 'running (' + run.owner + ')';
  const progress = running ? [h('progress', { max: run.segments, value: run.segmentsDone }),
    run.segmentsDone + ' of ' + run.segments + ' segments done',
    h('span', { class: 'segments' }, run.checkpoints.map(point => 'segment ' + point.segment + ': ' + point.itemsRead + ' items'
      + (point.done ? ', done' : '')).join('; '))] : run.segments + ' segments';
  return h('tr', { 'data-space': space, 'data-state': lapsed ? 'stopped' : run.state },
    h('td', {}, model.name + ' v' + version.version + (model.served === version.version ? ' (served)' : '')),
    h('td', { class: 'state' }, state), h('td', { class: 'progress' }, progress),
    h('td', { class: 'items' }, running ? run.itemsRead : '—'), h('td', { class: 'events' }, running ? run.events : '—'),
    h('td', {}, rate), h('td', {}, running ? run.rowsWritten : '—'), h('td', {}, running ? run.problems : '—'),
    h('td', { class: 'mono' }, time(run.startedAt)),
    h('td', { class: 'mono' }, running ? time(run.leaseUntil) : time(run.completedAt)));
}

/** A legend's colour: set through the CSSOM, which the page's content security policy allows (a style attribute it does not). */
function swatch(colour) {
  const mark = h('i', {});
  mark.style.background = colour;
  return mark;
}

function draw(canvas, samples, field) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  const pad = 34;
  context.clearRect(0, 0, width, height);
  let top = 1;
  samples.forEach(series => series.forEach(sample => { top = Math.max(top, sample[field]); }));
  context.strokeStyle = '#d9dee6';
  context.fillStyle = '#5b6575';
  context.font = '11px sans-serif';
  for (let step = 0; step <= 4; step++) {
    const y = height - pad / 2 - (height - pad) * step / 4;
    context.beginPath();
    context.moveTo(pad, y);
    context.lineTo(width - 4, y);
    context.stroke();
    context.fillText(String(Math.round(top * step / 4)), 2, y + 4);
  }
  [...samples.values()].forEach((series, index) => {
    context.strokeStyle = COLOURS[index % COLOURS.length];
    context.lineWidth = 2;
    context.beginPath();
    series.forEach((sample, at) => {
      const x = pad + (width - pad - 4) * (at + LAG_SAMPLES - series.length) / (LAG_SAMPLES - 1);
      const y = height - pad / 2 - (height - pad) * sample[field] / top;
      if (at === 0) context.moveTo(x, y); else context.lineTo(x, y);
    });
    context.stroke();
  });
}

// ---- 5. parked records, and the re-drive -------------------------------------------------------

const CONDITIONS = {
  RetryAttemptsExhausted: attempts => 'the function failed on them ' + attempts + ' time' + (attempts === 1 ? '' : 's') + ' in a row',
  RecordAgeExceeded: () => 'they were older than the trigger\'s maximum record age before they could be delivered',
};

function confirmed(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
  });
}

async function parkedScreen(token) {
  let parked;
  try {
    parked = await api('/_local/parked');
  } catch (failure) {
    if (token !== renderToken) return;
    show(h('h2', {}, 'Parked records'), problemBox(failure.status === 404
      ? 'This API has no /_local/parked: parked records are the local pipeline\'s on-failure destination (on AWS, the triggers\' queue).'
      : 'The parked records could not be read: ' + failure.message));
    return;
  }
  if (token !== renderToken) return;
  const outcome = h('div', { id: 'redrive-outcome' });
  const button = h('button', { id: 'redrive', class: 'danger', disabled: parked.length === 0, onclick: async () => {
    if (!await confirmed('Deliver the ' + (parked.length === 1 ? 'parked batch again to its function? ' : parked.length
      + ' parked batches again to their functions? ')
      + 'A batch its function takes leaves the list; one it still fails on stays.')) {
      outcome.replaceChildren(h('p', { class: 'note' }, 'Nothing was re-driven.'));
      return;
    }
    button.disabled = true;
    try {
      const report = await api('/_local/parked/redrive', { method: 'POST' });
      await parkedScreen(renderToken);
      document.getElementById('redrive-outcome').replaceChildren(h('div', { class: report.redriven.every(each => each.applied) ? 'ok' : 'problem',
        id: 'redrive-report' }, 'Re-drove ' + report.redriven.length + ' batch' + (report.redriven.length === 1 ? '' : 'es') + ': ',
      report.redriven.map(each => each.function + ' ' + each.batchSize + ' record(s): ' + each.outcome).join('; ') + '. '
        + report.stillParked + ' still parked.'));
    } catch (failure) {
      outcome.replaceChildren(problemBox('The re-drive failed: ' + failure.message));
      button.disabled = false;
    }
  } }, 'Re-drive all…');
  const rows = parked.map(batch => {
    const info = batch.DDBStreamBatchInfo;
    const context = batch.requestContext;
    const why = CONDITIONS[context.condition];
    const streams = [...new Set(batch.records.map(record => {
      const key = record.dynamodb && record.dynamodb.Keys && record.dynamodb.Keys.pk;
      return key ? key.S : '?';
    }))];
    return h('tr', { class: 'parked' }, h('td', {}, context.functionArn.split(':').pop()),
      h('td', {}, context.condition, h('br', {}), h('span', { class: 'note' }, why ? why(context.approximateInvokeCount) : '')),
      h('td', {}, info.batchSize), h('td', { class: 'mono' }, streams.map(stream => {
        const [type, id] = stream.split('#');
        return id ? [h('a', { href: '#/stream/' + encodeURIComponent(type) + '/' + encodeURIComponent(id) }, stream), ' '] : stream;
      })), h('td', { class: 'mono' }, info.shardId + ' ' + info.startSequenceNumber + '…' + info.endSequenceNumber),
      h('td', { class: 'mono' }, time(batch.timestamp)));
  });
  show(h('h2', {}, 'Parked records'),
    h('p', { class: 'note', id: 'parked-count' }, parked.length + ' parked batch' + (parked.length === 1 ? '' : 'es')
      + ': records a stream trigger gave up on, kept by the local pipeline until they are delivered again.'),
    parked.length ? h('table', { id: 'parked' }, h('thead', {}, h('tr', {}, ['Function', 'Why', 'Records', 'Streams', 'Shard and sequence numbers',
      'Parked at'].map(title => h('th', {}, title)))), h('tbody', {}, rows)) : h('p', { class: 'note' }, 'Nothing is parked.'),
    h('p', {}, button), outcome);
}

// ---- the token: for an API behind a JWT authorizer -----------------------------------------------

function showToken() {
  document.getElementById('token').value = '';
  document.getElementById('token-state').textContent = token() ? 'a token is set for this tab' : 'no token';
  document.getElementById('token-forget').disabled = !token();
}

function tokenControls() {
  const field = document.getElementById('token');
  const problem = document.getElementById('token-problem');
  document.getElementById('token-form').addEventListener('submit', event => {
    event.preventDefault();
    const typed = field.value.trim().replace(/^Bearer\s+/i, '');
    if (!JWT.test(typed)) {
      problem.replaceChildren(problemBox(typed === '' ? 'Paste a token first: a JWT from the identity provider the API\'s authorizer trusts.'
        : 'That is not a JWT: a JWT is three parts of letters, digits, \'-\' and \'_\' joined by two dots (header.payload.signature). '
        + 'Nothing was changed.', 'token-refused'));
      return;
    }
    problem.replaceChildren();
    sessionStorage.setItem(TOKEN_KEY, typed);
    showToken();
    resources = null;
    histories.clear();
    render();
  });
  document.getElementById('token-forget').addEventListener('click', () => {
    problem.replaceChildren();
    sessionStorage.removeItem(TOKEN_KEY);
    showToken();
    resources = null;
    histories.clear();
    render();
  });
  showToken();
}

// ---- start ------------------------------------------------------------------------------------

window.addEventListener('hashchange', render);
window.addEventListener('error', event => show(h('h2', {}, 'Something went wrong'),
  problemBox('The explorer hit an error of its own: ' + event.message + '. Reloading the page may help.')));
window.addEventListener('unhandledrejection', event => show(h('h2', {}, 'Something went wrong'),
  problemBox('The explorer hit an error of its own: ' + (event.reason && event.reason.message || event.reason) + '.')));
tokenControls();
render();
