'use strict';
// The live view's page: plain DOM, text only through textContent, everything from /_emulate/api/.

const api = (path, options) =>
  fetch(`api/${path}`, options).then(async (response) => {
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || response.statusText);
    return body;
  });
const post = (path, body) =>
  api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') node.textContent = value;
    // Through the CSSOM: the page's policy refuses style attributes.
    else if (name === 'style') node.style.cssText = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children.filter((child) => child !== undefined && child !== null));
  return node;
}
const marks = (list) => list.map((mark) => el('span', { class: `mark ${mark.split(' ')[0]}`, text: mark }));
const time = (ms) => new Date(ms).toISOString().slice(11, 23);
const pretty = (text) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

const view = { tab: 'topology', journey: undefined, invocation: undefined, oldest: undefined };

// Tabs
for (const button of document.querySelectorAll('nav button')) {
  button.addEventListener('click', () => show(button.dataset.tab));
}
function show(tab) {
  view.tab = tab;
  for (const button of document.querySelectorAll('nav button'))
    button.classList.toggle('active', button.dataset.tab === tab);
  for (const section of document.querySelectorAll('.tab'))
    section.classList.toggle('active', section.id === tab);
  if (tab === 'journeys') loadJourneys();
  if (tab === 'state') loadState();
}

// Topology: the report's graph, drawn by the emulator.
async function loadTopology() {
  const { svg } = await api('topology');
  const graph = document.getElementById('graph');
  graph.replaceChildren(new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement);
}

// Journeys
async function loadJourneys() {
  const { journeys } = await api('journeys');
  const list = document.getElementById('journey-list');
  list.replaceChildren(...journeys.map(journeyItem));
  view.oldest = journeys.length ? journeys[journeys.length - 1].lastAt : undefined;
  document.getElementById('older').hidden = journeys.length < 50;
  if (view.journey !== undefined) loadJourney(view.journey);
}
document.getElementById('older').addEventListener('click', async () => {
  const { journeys } = await api(`journeys?before=${view.oldest}`);
  document.getElementById('journey-list').append(...journeys.map(journeyItem));
  if (journeys.length) view.oldest = journeys[journeys.length - 1].lastAt;
  document.getElementById('older').hidden = journeys.length < 50;
});
function journeyItem(journey) {
  return el(
    'li',
    {
      'data-journey': journey.id,
      class: journey.id === view.journey ? 'selected' : '',
      onclick: () => loadJourney(journey.id),
    },
    el('div', { text: journey.title }),
    el('div', {
      class: 'meta',
      text: `${time(journey.startedAt)} · ${journey.invocations} invocations · ${journey.functions.join(' → ')}`,
    }),
    el('div', {}, ...marks(journey.marks)),
  );
}
async function loadJourney(id) {
  view.journey = id;
  for (const item of document.querySelectorAll('#journey-list li'))
    item.classList.toggle('selected', Number(item.dataset.journey) === id);
  const { journey, invocations } = await api(`journeys/${id}`);
  const start = Math.min(...invocations.map((i) => i.startedAt));
  const end = Math.max(...invocations.map((i) => i.endedAt), start + 1);
  const depth = new Map();
  const hops = invocations.map((invocation) => {
    const level =
      invocation.causedBy && depth.has(invocation.causedBy) ? depth.get(invocation.causedBy) + 1 : 0;
    depth.set(invocation.requestId, level);
    const left = ((invocation.startedAt - start) / (end - start)) * 100;
    const width = Math.max(((invocation.endedAt - invocation.startedAt) / (end - start)) * 100, 0.4);
    const failed = invocation.status !== 'ok';
    return el(
      'div',
      {
        class: `hop${invocation.id === view.invocation ? ' selected' : ''}`,
        'data-id': invocation.id,
        'data-request-id': invocation.requestId,
        'data-function': invocation.functionKey,
        onclick: () => showInvocation(invocation.id),
      },
      el(
        'div',
        {
          class: 'name',
          style: `padding-left: ${level * 14}px`,
          title: `${invocation.functionKey} ← ${invocation.source}`,
        },
        el('span', { text: `λ ${invocation.functionKey} ← ${invocation.source} ` }),
        ...marks(invocation.marks),
      ),
      el(
        'div',
        { class: 'track' },
        el('div', {
          class: `bar${failed ? ' failed' : invocation.type === 'Event' ? ' async' : ''}`,
          style: `left: ${left}%; width: ${width}%`,
          title: `${invocation.status} in ${invocation.durationMs.toFixed(1)} ms`,
        }),
      ),
    );
  });
  document.getElementById('journey').replaceChildren(
    el('h2', { text: `Journey ${journey.id}: ${journey.title}` }),
    el('p', {
      class: 'meta',
      text: `${time(start)} – ${time(end)} (${(end - start).toFixed(0)} ms), ${journey.invocations} invocations`,
    }),
    el('div', { class: 'timeline' }, ...hops),
  );
}
async function showInvocation(id) {
  view.invocation = id;
  for (const hop of document.querySelectorAll('.hop'))
    hop.classList.toggle('selected', hop.dataset.id === id);
  const invocation = await api(`invocations/${id}`);
  const outcome = invocation.error
    ? JSON.stringify(invocation.error, null, 2)
    : pretty(invocation.result ?? '');
  document.getElementById('invocation').replaceChildren(
    el('h2', { text: `λ ${invocation.functionKey} ${invocation.requestId}` }),
    el(
      'p',
      {},
      el('span', {
        text: `${invocation.source} (${invocation.model}/${invocation.type === 'Event' ? 'async' : 'sync'}) · ${invocation.status} in ${invocation.durationMs.toFixed(1)} ms · ${time(invocation.startedAt)}${invocation.attempt ? ` · attempt ${invocation.attempt}` : ''} `,
      }),
      ...marks(invocation.marks),
      el('button', { text: 'Replay', class: 'replay', onclick: () => replay(invocation.id) }),
    ),
    el('h2', { text: 'Event' }),
    el('pre', { class: 'event', text: pretty(invocation.event) }),
    el('h2', { text: invocation.error ? 'Error' : 'Result' }),
    el('pre', { class: 'outcome', text: outcome }),
    el('h2', { text: 'Log' }),
    el('pre', { class: 'log', text: invocation.lines.join('\n') }),
  );
}
async function replay(id) {
  const outcome = await post('replay', { id });
  document.getElementById('action').textContent = `replayed: ${outcome.requestId} (${outcome.statusCode})`;
}

// State
document.getElementById('refresh-state').addEventListener('click', () => loadState());
function table(headings, rows) {
  return el(
    'table',
    {},
    el('tr', {}, ...headings.map((h) => el('th', { text: h }))),
    ...rows.map((cells) =>
      el(
        'tr',
        {},
        ...cells.map((c) => (c instanceof Node ? el('td', {}, c) : el('td', { text: String(c) }))),
      ),
    ),
  );
}
async function queueAction(queue, action) {
  if (action === 'purge' && !window.confirm(`Purge ${queue}? Its messages are deleted.`)) return;
  const result = await post(`queues/${encodeURIComponent(queue)}/${action}`, {});
  document.getElementById('action').textContent =
    action === 'redrive' ? `${queue}: ${result.moved} messages redriven` : `${queue} purged`;
  loadState();
}
async function peek(queue, cell) {
  const messages = await api(`queues/${encodeURIComponent(queue)}/messages`);
  cell.replaceChildren(
    el('pre', {
      text:
        messages.map((m) => `${m.id} (received ${m.receiveCount}): ${m.body}`).join('\n') || '(none visible)',
    }),
  );
}
async function pageOf(kind, name, next, cell) {
  const page = await api(
    `${kind}/${encodeURIComponent(name)}${next ? `?next=${encodeURIComponent(next)}` : ''}`,
  );
  const text =
    kind === 'tables'
      ? page.items.map((item) => JSON.stringify(item)).join('\n')
      : page.objects.map((o) => `${o.key}  ${o.size} B  ${o.lastModified}`).join('\n');
  cell.replaceChildren(
    el('pre', { text: text || '(empty)' }),
    page.next
      ? el('button', { text: 'Next page', onclick: () => pageOf(kind, name, page.next, cell) })
      : undefined,
  );
}
async function loadState() {
  const state = await api('state');
  const sections = [];
  sections.push(el('h2', { text: 'Queues' }));
  sections.push(
    table(
      ['Queue', 'Visible', 'In flight', 'Delayed', 'Dead-letter queue', 'Actions', 'Messages'],
      state.queues.map((q) => {
        const cell = el('div');
        return [
          q.name,
          q.visible,
          q.inFlight,
          q.delayed,
          q.deadLetterQueue
            ? `${q.deadLetterQueue.name} after ${q.deadLetterQueue.maxReceiveCount} receives`
            : q.deadLetterOf.length
              ? `DLQ of ${q.deadLetterOf.join(', ')}`
              : '',
          el(
            'span',
            {},
            q.deadLetterOf.length
              ? el('button', {
                  text: 'Redrive',
                  class: 'redrive',
                  'data-queue': q.name,
                  onclick: () => queueAction(q.name, 'redrive'),
                })
              : undefined,
            el('button', {
              text: 'Purge',
              class: 'purge',
              'data-queue': q.name,
              onclick: () => queueAction(q.name, 'purge'),
            }),
            el('button', { text: 'Peek', onclick: () => peek(q.name, cell) }),
          ),
          cell,
        ];
      }),
    ),
  );
  sections.push(el('h2', { text: "Lambda's async queue" }));
  sections.push(
    state.asyncQueue.length
      ? table(
          ['Function', 'Source', 'Accepted', 'Attempts', 'Next attempt', 'Last error'],
          state.asyncQueue.map((e) => [
            e.functionKey,
            e.source,
            time(e.acceptedAt),
            e.attempts,
            e.delivering ? 'delivering to destinations' : time(e.nextAttemptAt),
            e.lastError ?? '',
          ]),
        )
      : el('p', { class: 'hint', text: 'No events waiting.' }),
  );
  sections.push(el('h2', { text: 'Streams' }));
  sections.push(
    table(
      ['Kinesis stream', 'Shards'],
      state.streams.map((s) => [
        s.name,
        s.shards.map((shard) => `${shard.id}${shard.open ? '' : ' (closed)'}`).join(', '),
      ]),
    ),
  );
  sections.push(
    table(
      ['Mapping', 'Shard', 'Checkpoint', 'Iterator age'],
      state.checkpoints.map((c) => [
        c.mapping,
        c.shard,
        c.position,
        c.iteratorAgeMs === undefined ? '' : `${(c.iteratorAgeMs / 1000).toFixed(1)} s`,
      ]),
    ),
  );
  sections.push(el('h2', { text: 'Tables' }));
  sections.push(
    table(
      ['Table', 'Items', 'Stream', 'Items'],
      state.tables.map((t) => {
        const cell = el('div');
        return [
          t.name,
          t.items,
          t.streamArn ?? '',
          el(
            'span',
            {},
            el('button', { text: 'Show', onclick: () => pageOf('tables', t.name, undefined, cell) }),
            cell,
          ),
        ];
      }),
    ),
  );
  sections.push(el('h2', { text: 'Buckets' }));
  sections.push(
    table(
      ['Bucket', 'Objects', 'Objects'],
      state.buckets.map((b) => {
        const cell = el('div');
        return [
          b.name,
          `${b.objects}${b.truncated ? '+' : ''}`,
          el(
            'span',
            {},
            el('button', { text: 'Show', onclick: () => pageOf('buckets', b.name, undefined, cell) }),
            cell,
          ),
        ];
      }),
    ),
  );
  document.getElementById('state-view').replaceChildren(...sections);
}

// Invoke
const samples = new Map();
async function loadService() {
  const service = await api('service');
  document.getElementById('title').textContent = `${service.service} (${service.stage}, ${service.region})`;
  document.title = `${service.service}: sls emulate live view`;
  const select = document.getElementById('invoke-function');
  select.replaceChildren(...service.functions.map((fn) => el('option', { value: fn.key, text: fn.key })));
  select.addEventListener('change', () => loadSamples(select.value));
  if (service.functions.length) loadSamples(service.functions[0].key);
}
async function loadSamples(functionKey) {
  const list = await api(`samples/${encodeURIComponent(functionKey)}`);
  samples.set(functionKey, list);
  const select = document.getElementById('invoke-source');
  select.replaceChildren(
    ...list.map((s) =>
      el('option', { value: s.index, text: `${s.text} (${s.type === 'Event' ? 'async' : 'sync'})` }),
    ),
    el('option', { value: '', text: 'none: an event of your own, sync' }),
  );
  select.onchange = () => fillSample();
  fillSample();
}
function fillSample() {
  const functionKey = document.getElementById('invoke-function').value;
  const index = document.getElementById('invoke-source').value;
  const sample = (samples.get(functionKey) || []).find((s) => String(s.index) === index);
  document.getElementById('invoke-event').value = JSON.stringify(sample ? sample.event : {}, null, 2);
}
document.getElementById('invoke-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const index = document.getElementById('invoke-source').value;
  const result = document.getElementById('invoke-result');
  try {
    const outcome = await post('invoke', {
      function: document.getElementById('invoke-function').value,
      ...(index === '' ? {} : { source: Number(index) }),
      event: document.getElementById('invoke-event').value,
    });
    result.textContent = `${outcome.requestId}: ${outcome.statusCode}${outcome.functionError ? ` (${outcome.functionError})` : ''}\n${pretty(outcome.payload)}`;
  } catch (error) {
    result.textContent = error.message;
  }
});

// Updates: one message per quarter second at most while invocations happen.
function listen() {
  const source = new EventSource('api/events');
  source.onmessage = (message) => {
    const update = JSON.parse(message.data);
    document.getElementById('status').textContent = `live · ${update.invocations} invocations recorded`;
    if (view.tab === 'journeys') {
      loadJourneys();
    }
  };
  source.onerror = () => {
    document.getElementById('status').textContent = 'disconnected: is sls emulate running?';
  };
}

loadService();
loadTopology();
listen();
