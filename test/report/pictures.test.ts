import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Report } from '../../src/report/build';
import { topologyOf } from '../../src/report/topology';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser';
import { EXAMPLE_SERVICE, ROOT, serverless } from '../helpers/cli';

// Mermaid's own bundle (a devDependency): its parser and renderer, run in a real browser.
const MERMAID = path.join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

declare const mermaid: {
  initialize(config: object): void;
  parse(text: string): Promise<unknown>;
  render(id: string, text: string): Promise<{ svg: string }>;
};

const reportOf = async (format: string) => {
  const result = await serverless(EXAMPLE_SERVICE, ['invocation-report', '--format', format]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
};

describe('sls invocation-report as a picture: --format mermaid and --format html, in Chromium', function () {
  this.timeout(60_000);
  let json: Report;
  let mermaidText: string;
  let html: string;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);
      this.skip();
    }
    const [jsonText, mermaidOut, htmlOut] = await Promise.all(['json', 'mermaid', 'html'].map(reportOf));
    json = JSON.parse(jsonText) as Report;
    mermaidText = mermaidOut;
    html = htmlOut;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  beforeEach(async () => {
    page = await (browser as Browser).newPage();
  });
  afterEach(() => page?.close());
  after(() => browser?.close());

  it("draws example-service's topology: sources, functions and destinations, push/pull and sync/async, the findings on their nodes", () => {
    const topology = topologyOf(json);
    const label = (id: string) => topology.nodes.find((n) => n.id === id)?.label;
    const edges = topology.edges.map((e) => `${label(e.from)} ${e.label} ${label(e.to)}`);
    assert.ok(edges.includes('sqs queue orders-dev pull/sync processOrder'));
    assert.ok(edges.includes('sqs queue orders-dev redrive orders-dlq-dev'));
    assert.ok(edges.includes('httpApi POST /orders (payload 2.0) push/sync api'));
    assert.ok(edges.includes('schedule cron(0 2 * * ? *) push/async nightlyReport'));
    assert.ok(edges.includes('nightlyReport DLQ alarms-dev'));
    assert.ok(edges.includes('stream table orders-dev stream pull/sync auditTrail'));
    assert.ok(edges.includes('auditTrail on failure failed-events-dev'));
    const functions = topology.nodes.filter((n) => n.kind === 'function').map((n) => n.label);
    assert.deepEqual(
      functions,
      json.functions.map((f) => f.name),
    );
    // One node per destination, however many functions send to it.
    assert.equal(topology.nodes.filter((n) => n.label === 'failed-events-dev').length, 1);
    const marked = topology.nodes.filter((n) => n.level).map((n) => [n.label, n.level, n.findings.length]);
    assert.equal(
      marked.reduce((sum, [, , count]) => sum + Number(count), 0),
      json.findings.length,
    );
    assert.ok(marked.some(([name, level]) => name === 'notifyCustomer' && level === 'warning'));
  });

  it("prints a flowchart Mermaid's parser accepts and renders, with every function", async () => {
    assert.match(mermaidText, /^---\ntitle: "orders \(dev, eu-west-1\)"\n---\nflowchart LR\n/);
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: MERMAID });
    const svg = await page.evaluate(async (text) => {
      mermaid.initialize({ startOnLoad: false });
      await mermaid.parse(text);
      return (await mermaid.render('topology', text)).svg;
    }, mermaidText);
    for (const fn of json.functions) assert.ok(svg.includes(`λ ${fn.name}`), fn.name);
    // The parser is strict: the same text with a broken edge is refused.
    const broken = mermaidText.replace(/-\.->\|"pull\/sync"\|/, '-.->|"pull/sync');
    const refused = await page.evaluate(async (text) => {
      try {
        await mermaid.parse(text);
        return undefined;
      } catch (error) {
        return String(error);
      }
    }, broken);
    assert.match(refused ?? 'accepted', /Parse error/);
  });

  it('prints a standalone page: the same graph as SVG, no script, nothing fetched', async () => {
    assert.ok(!/<script/i.test(html));
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.setContent(html);
    assert.deepEqual(requests, []);
    const nodes = await page.$$eval('svg.topology g.node', (all) =>
      all.map((g) => [g.getAttribute('data-node'), g.getAttribute('class')]),
    );
    const topology = topologyOf(json);
    assert.deepEqual(
      nodes.map(([name]) => name),
      topology.nodes.map((n) => n.label),
    );
    assert.ok(nodes.some(([name, cls]) => name === 'notifyCustomer' && cls === 'node function warning'));
    assert.equal(await page.$$eval('svg.topology g.edge', (all) => all.length), topology.edges.length);
    assert.equal(
      await page.$$eval('svg.topology g.edge.pull-sync path[stroke-dasharray]', (all) => all.length),
      topology.edges.filter((e) => e.kind === 'pull/sync').length,
    );
    // Laid out: no two nodes overlap.
    const boxes = await page.$$eval('svg.topology g.node rect', (all) =>
      all.map((rect) => {
        const { left, right, top, bottom } = rect.getBoundingClientRect();
        return { left, right, top, bottom };
      }),
    );
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
        assert.ok(apart, `nodes overlap: ${JSON.stringify([a, b])}`);
      }
    }
    assert.match((await page.textContent('table')) ?? '', /notifyCustomer/);
  });
});
