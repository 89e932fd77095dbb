// The built dashboard in real headless Chromium (Debian's `chromium`, driven
// by playwright-core) against a real service with the fake CLI: sign in, mint
// a token and read its plaintext once, change a policy, filter runs, open one,
// see the charts drawn from the seeded runs, check health, revoke. Each view
// is photographed into docs/screenshots for the README.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_CLAUDE } from '../../server/test/support/processes.js';
import { ADMIN_TOKEN, api, mintToken, startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { uploadFile } from '../../server/test/support/upload.js';

/** Debian's chromium (the wrapper script /usr/bin/chromium is not an executable Playwright can drive), or CHROMIUM_PATH. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'].find((path) => path && existsSync(path));
const BUILT = existsSync(fileURLToPath(new URL('../../server/admin-ui/index.html', import.meta.url)));
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

// Skipped only when the browser or the build is missing, saying which: .ci/run installs chromium, and npm test builds first.
if (!CHROMIUM) console.warn('dashboard browser tests skipped: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)');
if (!BUILT) console.warn('dashboard browser tests skipped: the dashboard is not built (npm run build)');

describe.skipIf(!CHROMIUM || !BUILT)('the admin dashboard in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ CLAUDE_BIN: FAKE_CLAUDE });
    // Seed the audit log: two apps, runs that answer and runs that fail.
    const kitchen = await mintToken(server.url, 'kitchen');
    const pantry = await mintToken(server.url, 'pantry');
    for (let i = 0; i < 4; i++) await api(server.url, 'POST', '/run', { token: kitchen, body: { prompt: `[[text:soup ${i}]] kitchen prompt ${i}` } });
    await api(server.url, 'POST', '/run', { token: kitchen, body: { prompt: '[[exit:1]] this one breaks' } });
    for (let i = 0; i < 2; i++) await api(server.url, 'POST', '/run', { token: pantry, body: { prompt: `[[text:rice]] pantry prompt ${i}` } });
    await uploadFile(server.url, kitchen, 'x'.repeat(3 * 1024), { filename: 'menu.txt' });
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    // A CSP violation or any script error shows up here: the page must run without either.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const open = async (view: string) => {
    await page.click(`nav a[href="#/${view}"]`);
    await page.waitForFunction((name) => location.hash === `#/${name}`, view);
  };

  it('signs in with the admin token into an HttpOnly session, keeping the token nowhere', async () => {
    await page.goto(`${server.url}/admin/ui`);
    await page.fill('[data-testid=signin] input[name=token]', 'not-the-admin-token-123');
    await page.click('[data-testid=signin] button');
    await expect.poll(() => page.textContent('[data-testid=signin-error]')).toContain('Wrong admin token');
    await page.fill('[data-testid=signin] input[name=token]', ADMIN_TOKEN);
    await page.click('[data-testid=signin] button');
    await page.waitForSelector('[data-testid=logout]');
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'cf_admin', httpOnly: true, sameSite: 'Strict', path: '/admin' });
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie + document.body.innerHTML);
    expect(stored).not.toContain(ADMIN_TOKEN);
  });

  it('mints a token, shows its plaintext once (it works), and never again', async () => {
    await open('tokens');
    await page.fill('[data-testid=mint-form] input[name=name]', 'browser-app');
    await page.fill('[data-testid=mint-form] input[name=runs_per_hour]', '100');
    await page.click('[data-testid=mint-form] button[type=submit]');
    const plaintext = (await page.waitForSelector('[data-testid=plaintext-value]')).textContent();
    const token = (await plaintext)!;
    expect(token).toMatch(/^cf_/);
    await shoot('tokens');
    const run = await api(server.url, 'POST', '/run', { token, body: { prompt: '[[text:from the browser token]] hello' } });
    expect(run.body.result).toBe('from the browser token');
    await page.click('[data-testid=plaintext] button.secondary');
    await page.reload();
    await page.waitForSelector('[data-testid=token-browser-app]');
    expect(await page.content()).not.toContain(token);
  });

  it('changes a policy, and the service applies it', async () => {
    await page.click('[data-testid=token-browser-app] button:has-text("Edit")');
    await page.fill('#edit-browser-app input[name=runs_per_day]', '7');
    await page.fill('#edit-browser-app input[name=models]', 'haiku');
    await page.click('#edit-browser-app button[type=submit]');
    await expect.poll(() => page.textContent('[data-testid=token-browser-app]')).toContain('100 / 7');
    const listed = await api(server.url, 'GET', '/admin/tokens', { token: ADMIN_TOKEN });
    expect(listed.body.tokens.find((token: { name: string }) => token.name === 'browser-app')).toMatchObject({ runs_per_day: 7, runs_per_hour: 100, models: ['haiku'] });
  });

  it('filters the runs, pages them, and opens one with its prompt and timings', async () => {
    await open('runs');
    await page.waitForSelector('[data-testid=run-row]');
    await page.fill('[data-testid=run-filters] input[name=app]', 'kitchen');
    await page.selectOption('[data-testid=run-filters] select[name=status]', 'error');
    await page.click('[data-testid=run-filters] button');
    await expect.poll(async () => (await page.$$eval('[data-testid=run-row]', (rows) => rows.map((row) => row.textContent ?? ''))).join('|')).toMatch(/^[^|]*kitchen[^|]*error[^|]*$/);
    await page.click('[data-testid=run-row]');
    const detail = await page.waitForSelector('[data-testid=run-prompt]');
    expect(await detail.textContent()).toContain('this one breaks');
    expect(await page.textContent('[data-testid=run-detail]')).toContain('claude_error');
    expect(await page.textContent('[data-testid=run-error]')).toMatch(/The Claude CLI exited with code 1/);
    await page.waitForSelector('[data-testid=live] h2');
    await shoot('runs');
  });

  it('draws the usage charts from the seeded runs', async () => {
    await open('usage');
    await page.waitForSelector('[data-testid=chart-runs-per-app] rect.bar');
    const perApp = await page.$$eval('[data-testid=chart-runs-per-app] text', (labels) => labels.map((label) => label.textContent));
    expect(perApp).toEqual(expect.arrayContaining(['kitchen', 'pantry']));
    // kitchen: 4 ok and 1 failed, as two stacked bars of the right proportions.
    const heights = await page.$$eval('[data-testid=chart-runs-per-app] g rect.bar', (bars) => bars.map((bar) => `${bar.getAttribute('class')}:${Number(bar.getAttribute('height')).toFixed(1)}`));
    expect(heights.filter((bar) => bar.startsWith('bar ok') || bar.startsWith('bar errors')).length).toBeGreaterThanOrEqual(4);
    expect(await page.textContent('[data-testid=usage-table]')).toMatch(/kitchen\s*5\s*4\s*claude_error 1/);
    await shoot('usage');
  });

  it('shows health and each app\'s uploads', async () => {
    await open('health');
    await page.waitForSelector('[data-testid=ready]');
    expect(await page.textContent('[data-testid=health]')).toContain('Claude CLI');
    await shoot('health');
    await open('uploads');
    await page.waitForSelector('[data-testid=uploads] table');
    expect(await page.textContent('[data-testid=uploads]')).toMatch(/kitchen\s*3\.0 KiB\s*none\s*1/);
    await shoot('uploads');
  });

  it('revokes a token after a confirmation, and its next request gets 401', async () => {
    const token = await mintToken(server.url, 'doomed');
    await open('tokens');
    await page.reload();
    await page.click('[data-testid=token-doomed] button.danger');
    await page.click('button:has-text("Yes, revoke doomed")');
    await expect.poll(async () => page.$('[data-testid=token-doomed]')).toBeNull();
    expect((await api(server.url, 'POST', '/run', { token, body: { prompt: 'hi' } })).status).toBe(401);
  });

  it('logs out: the session is gone, and the page asks to sign in again', async () => {
    const [cookie] = await page.context().cookies();
    await page.click('[data-testid=logout]');
    await page.waitForSelector('[data-testid=signin]');
    const after = await api(server.url, 'GET', '/admin/tokens', { headers: { cookie: `cf_admin=${cookie!.value}` } });
    expect(after.status).toBe(401);
  });

  it('ran without a script error or a Content-Security-Policy violation', () => {
    expect(pageErrors.filter((message) => !message.includes('401'))).toEqual([]);
  });
});
