import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser';
import { EXAMPLE_SERVICE } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';

const DLQ = 'orders-dlq-dev';

describe('the live view (sls emulate on example-service, in Chromium)', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'live-view-'));
  let emulator: RunningEmulator | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let live: string;
  let sqs: SQSClient;
  let otherSite: Server | undefined;

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: ${CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)`);
      this.skip();
    }
    emulator = await startEmulator(EXAMPLE_SERVICE, ['--state-dir', path.join(dir, 'state')]);
    live = /Live view: (\S+)/.exec(emulator.output())?.[1] ?? '';
    assert.match(live, /^http:\/\/127\.0\.0\.1:\d+\/_emulate\/$/);
    sqs = new SQSClient({ ...clientConfig(emulator.aws), region: 'eu-west-1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(live);
    await page.waitForSelector('#status:has-text("live")');
  });

  after(async () => {
    await browser?.close();
    sqs?.destroy();
    await emulator?.stop();
    await new Promise((resolve) => (otherSite ? otherSite.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  const queueDepth = async (name: string) => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages);
  };

  /** Opens the journey titled `title` once it reaches `last`, and answers its hops' functions, in order. */
  const hopsOfJourney = async (title: string, last: string) => {
    await page.click('nav button[data-tab="journeys"]');
    const journey = page.locator('#journey-list li', { hasText: title }).filter({ hasText: last });
    await journey.waitFor({ timeout: 60_000 });
    await journey.click();
    await page.waitForSelector(`.hop[data-function="${last}"]`);
    return page
      .locator('.hop')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-function')));
  };

  it("shows the service's topology: its sources, functions and destinations", async () => {
    await page.waitForSelector('#graph svg text');
    const labels = await page.locator('#graph svg text').allTextContents();
    for (const text of ['λ api', 'λ processOrder', 'λ onUpload', 'λ auditTrail', 'sqs queue orders-dev']) {
      assert.ok(
        labels.some((label) => label.includes(text)),
        `${text} in ${labels.join(' | ')}`,
      );
    }
    assert.ok((await page.locator('#graph svg path').count()) > 10);
  });

  it('shows a POST /orders as one journey through every hop, as it happens', async () => {
    const response = await fetch(`${emulator?.http}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'live-1', item: 'lamp' }),
    });
    assert.equal(response.status, 201);
    // The page learns of each hop from its server-sent events: no reload.
    assert.deepEqual(await hopsOfJourney('POST /orders', 'onUpload'), [
      'api',
      'auditTrail',
      'processOrder',
      'onUpload',
    ]);

    await page.click('.hop[data-function="processOrder"]');
    const detail = page.locator('#invocation');
    await detail.locator('text=processed order live-1').waitFor();
    const text = await detail.textContent();
    assert.match(text ?? '', /"eventSource": "aws:sqs"/);
    assert.match(text ?? '', /batchItemFailures/);

    // Replay: the same event to the same function, a new invocation.
    const before = emulator?.output().split('processed order live-1').length ?? 0;
    await page.click('#invocation .replay');
    await page.waitForSelector('#action:has-text("replayed: ")');
    assert.match((await page.textContent('#action')) ?? '', /\(200\)/);
    await emulator?.waitForOutput(new RegExp(`(processed order live-1[^]*){${before}}`));
  });

  it("follows a Kinesis put into the stream's consumer: GET /orders/{id} then clickAnalytics", async () => {
    assert.equal((await fetch(`${emulator?.http}/orders/live-1`)).status, 200);
    assert.deepEqual(await hopsOfJourney('GET /orders', 'clickAnalytics'), ['api', 'clickAnalytics']);
  });

  it("invokes a function with its source's sample event, or an edited one", async () => {
    await page.click('nav button[data-tab="invoke"]');
    await page.selectOption('#invoke-function', 'health');
    await page.waitForSelector('#invoke-source option:has-text("GET /health")', { state: 'attached' });
    await page.selectOption('#invoke-source', {
      label: (await page.textContent('#invoke-source option')) ?? '',
    });
    assert.match(await page.inputValue('#invoke-event'), /"httpMethod": "GET"/);
    await page.click('#invoke-form button[type="submit"]');
    await page.waitForSelector('#invoke-result:has-text(": 200")');
    assert.match((await page.textContent('#invoke-result')) ?? '', /"statusCode": 200/);

    await page.selectOption('#invoke-source', '');
    await page.fill('#invoke-event', '{"edited": true}');
    await page.$eval('#invoke-result', (node) => (node.textContent = ''));
    await page.click('#invoke-form button[type="submit"]');
    await page.waitForSelector('#invoke-result:has-text(": 200")');
    await page.click('nav button[data-tab="journeys"]');
    const invoked = page.locator('#journey-list li', { hasText: 'health ← Invoke API' }).first();
    await invoked.waitFor();
    await invoked.click();
    await page.click('.hop[data-function="health"]');
    await page.locator('#invocation pre.event', { hasText: '"edited": true' }).waitFor();
  });

  it('answers a malformed call with a 400 (or 404) that says what is wrong, and stays up', async () => {
    const post = (call: string, body: string, type = 'application/json') =>
      fetch(`${live}api/${call}`, { method: 'POST', headers: { 'content-type': type }, body });
    const answers = await Promise.all([
      post('invoke', '{"function": "health", "event": "{not json"}'),
      post('invoke', '{"function": "nope", "event": "{}"}'),
      post('invoke', '{broken'),
      post('invoke', '{}', 'text/plain'),
      fetch(`${live}api/journeys/999999`),
    ]);
    const messages = await Promise.all(
      answers.map(
        async (answer) => `${answer.status} ${((await answer.json()) as { message: string }).message}`,
      ),
    );
    assert.match(messages[0], /^400 event is not JSON/);
    assert.equal(messages[1], '404 No function nope');
    assert.equal(messages[2], '400 The body is not a JSON object');
    assert.match(messages[3], /^400 The live view takes application\/json/);
    assert.equal(messages[4], '404 No journey 999999');
    assert.equal((await fetch(`${live}api/service`)).status, 200);
  });

  it('purges a queue after a confirmation', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'failed-events-dev' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'stale' }));
    assert.equal(await queueDepth('failed-events-dev'), 1);
    await page.click('nav button[data-tab="state"]');
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.click('.purge[data-queue="failed-events-dev"]');
    assert.equal(await queueDepth('failed-events-dev'), 1);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('.purge[data-queue="failed-events-dev"]');
    await page.waitForSelector('#action:has-text("failed-events-dev purged")');
    assert.equal(await queueDepth('failed-events-dev'), 0);
  });

  it('redrives a DLQ from the page; another site cannot', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: DLQ }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ id: 'redriven-1' }) }));
    assert.equal(await queueDepth(DLQ), 1);

    // A page of another origin posts to the same action: refused, the message stays.
    otherSite = createServer((_req, res) => res.end('<!doctype html><title>other</title>'));
    await new Promise<void>((resolve) => otherSite?.listen(0, '127.0.0.1', resolve));
    const other = await (browser as Browser).newPage();
    await other.goto(`http://localhost:${(otherSite.address() as AddressInfo).port}/`);
    const seen = await other.evaluate(async (url) => {
      const posted = await fetch(url, { method: 'POST', mode: 'no-cors', body: '{}' }).then(
        (r) => r.type,
        (error: Error) => error.message,
      );
      const read = await fetch(url.replace(/queues\/.*/, 'journeys')).then(
        (r) => String(r.status),
        (error: Error) => error.message,
      );
      return { posted, read };
    }, `${live}api/queues/${DLQ}/redrive`);
    await other.close();
    assert.equal(seen.posted, 'opaque');
    assert.match(seen.read, /Failed to fetch/);
    assert.equal(await queueDepth(DLQ), 1);

    await page.click('nav button[data-tab="state"]');
    // The stream mapping of the order's journey: its checkpoint and iterator age, as Lambda reports it.
    const checkpoint = page.locator('#state-view tr', { hasText: 'auditTrail' });
    await checkpoint.first().waitFor();
    assert.match((await checkpoint.first().textContent()) ?? '', /after \d+.*\d+\.\d s/);
    await page.click(`.redrive[data-queue="${DLQ}"]`);
    await page.waitForSelector(`#action:has-text("${DLQ}: 1 messages redriven")`);
    assert.equal(await queueDepth(DLQ), 0);
    // The message went back to orders-dev, whose consumer ran it, marked as redriven.
    await page.click('nav button[data-tab="journeys"]');
    const redriven = page.locator('#journey-list li', { hasText: 'redriven from the DLQ' });
    await redriven.waitFor({ timeout: 30_000 });
    await redriven.click();
    await page.click('.hop[data-function="processOrder"]');
    await page.locator('#invocation', { hasText: 'processed order redriven-1' }).waitFor();
  });
});
