// The kiosk page in a real browser (Debian's chromium through playwright-core)
// against a real daemon and database: setup, registration with receipt, QR
// and matches, offline queueing delivered exactly once, status and decline,
// each person's data gone from the screen after a tab change or an idle
// spell, the regency picker when the service area holds several regencies,
// layout on a 1080x1920 portrait kiosk and on a phone.  Screenshots of each
// step go to KD_BROWSER_ARTIFACTS (meson: build dir/meson-logs/browser).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startDaemon } from './daemon.mjs';

const require = createRequire(import.meta.url);
const qrcode = require('/usr/share/nodejs/qrcode-generator/qrcode.js');
const artifacts = process.env.KD_BROWSER_ARTIFACTS || mkdtempSync(path.join(os.tmpdir(), 'kd-browser-'));
mkdirSync(artifacts, { recursive: true });

const KIOSK = { width: 1080, height: 1920 };
const PHONE = { width: 390, height: 844 };
const DESA = '64.02.06.1001';
const SAMARINDA_DESA = '64.72.01.1001';

let daemon, context, page, profile;
const pageErrors = [];
const shot = (name, opts = {}) => page.screenshot({ path: path.join(artifacts, `${name}.png`), ...opts });

before(async () => {
  daemon = await startDaemon();
  profile = mkdtempSync(path.join(os.tmpdir(), 'kd-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KD_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: KIOSK,
    locale: 'id-ID',
    timezoneId: 'Asia/Makassar',
  });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
});

after(async () => {
  if (context) await context.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (daemon) await daemon.stop();
});

async function seekerCount(where = 'true', ...params) {
  const [[n]] = await daemon.sql(`SELECT count(*) FROM seekers WHERE ${where}`, ...params);
  return Number(n);
}

async function fillForm(person, { offline = false } = {}) {
  await page.fill('#f-nik', person.nik);
  await page.fill('#f-name', person.full_name);
  await page.fill('#f-birth', person.birth_date);
  await page.check(`input[name="gender"][value="${person.gender}"]`);
  await page.fill('#f-phone', person.phone);
  if (await page.isVisible('[data-field="regency"]'))
    await page.selectOption('#f-reg', person.desa_code.split('.').slice(0, 2).join('.'));
  await page.selectOption('#f-kec', person.desa_code.split('.').slice(0, 3).join('.'));
  await page.waitForSelector(`#f-desa:not([disabled]) option[value="${person.desa_code}"]`, { state: 'attached' });
  await page.selectOption('#f-desa', person.desa_code);
  await page.selectOption('#f-edu', person.education);
  await page.fill('#f-skill', 'las');
  if (offline) await page.click('#skill-add');   // no autocompletion offline: free text
  else await page.click('#skill-suggest li[data-code="welding"]');
  await page.fill('#f-exp', String(person.experience_years));
  await page.check('#f-consent');
}

test('the page is served from the binary with strict headers', async () => {
  for (const [url, type] of [['/', 'text/html'], ['/kiosk/kiosk.js', 'text/javascript'],
    ['/kiosk/kiosk.css', 'text/css'], ['/kiosk/qrcode.js', 'text/javascript']]) {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(daemon.base + url, { method });
      assert.equal(res.status, 200, `${method} ${url}`);
      assert.ok(res.headers.get('content-type').startsWith(type), `${url}: ${res.headers.get('content-type')}`);
      const csp = res.headers.get('content-security-policy');
      assert.match(csp, /default-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('cache-control'), /max-age=\d+/);
      assert.match(res.headers.get('etag'), /^"[0-9a-f]{16}"$/);
      const body = await res.text();
      if (method === 'HEAD') assert.equal(body, '');
      else assert.ok(body.length > 0);
    }
  }
  assert.equal((await fetch(daemon.base + '/kiosk/nothing.js')).status, 404);
  assert.equal((await fetch(daemon.base + '/kiosk/../README.md')).status, 404);
});

let first;       // the person registered online
let firstCode;

test('staff set up the kiosk token', async () => {
  await page.goto(daemon.base + '/');
  await page.waitForSelector('#screen-setup:not([hidden])');
  assert.equal(await page.getAttribute('html', 'lang'), 'id');
  await shot('01-setup');
  await page.fill('#setup-token', 'kd_00_wrong');
  await page.click('#setup-form button[type="submit"]');
  await page.waitForSelector('[data-error-for="token"]:not(:empty)');
  assert.equal(await page.evaluate(() => localStorage.getItem('kd.token')), null);
  await page.fill('#setup-token', daemon.kioskToken);
  await page.click('#setup-form button[type="submit"]');
  await page.waitForSelector('#screen-register:not([hidden])');
  assert.equal(await page.evaluate(() => localStorage.getItem('kd.token')), daemon.kioskToken);
  assert.ok(!page.url().includes(daemon.kioskToken));
});

test('the form checks fields before sending', async () => {
  const before = await seekerCount();
  await page.click('#reg-submit');
  await page.waitForSelector('[data-field="nik"].invalid');
  for (const field of ['nik', 'full_name', 'birth_date', 'gender', 'desa_code', 'skills', 'consent'])
    assert.ok(await page.isVisible(`[data-field="${field}"] .field-error`), field);
  await page.fill('#f-birth', new Date(Date.now() - 16 * 365.25 * 864e5).toISOString().slice(0, 10));
  await page.waitForSelector('#guardian:not([hidden])');
  await page.fill('#f-birth', '1990-01-01');
  await page.waitForSelector('#guardian[hidden]', { state: 'attached' });
  assert.equal(await seekerCount(), before);
});

test('a registration shows the code, its QR code and nearby matches', async () => {
  first = await daemon.person({ desa_code: DESA, skills: ['las'], education: 'SMA' });
  await page.reload();
  // One regency in the service area: no regency to choose, every kecamatan offered.
  await page.waitForSelector('#f-kec option[value="64.02.06"]', { state: 'attached' });
  assert.equal(await page.isHidden('[data-field="regency"]'), true);
  assert.equal(await page.locator('#f-kec option[value^="64.02."]').count(), 20);
  await fillForm(first);
  await shot('02-form', { fullPage: true });
  await page.click('#reg-submit');
  await page.waitForSelector('#screen-receipt:not([hidden])');
  firstCode = (await page.textContent('#rc-code')).trim();
  assert.match(firstCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  assert.equal(await seekerCount('registration_code = $1 AND full_name = $2', firstCode, first.full_name), 1);

  // The canvas shows the QR code of the registration code, module by module.
  const qr = qrcode(0, 'M');
  qr.addData(firstCode);
  qr.make();
  const n = qr.getModuleCount();
  const drawn = await page.evaluate((n) => {
    const c = document.getElementById('rc-qr');
    const ctx = c.getContext('2d');
    const cell = Math.floor(c.width / (n + 8));
    const off = Math.floor((c.width - cell * n) / 2);
    const rows = [];
    for (let r = 0; r < n; r++) {
      let row = '';
      for (let k = 0; k < n; k++) {
        const px = ctx.getImageData(off + k * cell + (cell >> 1), off + r * cell + (cell >> 1), 1, 1).data;
        row += px[0] < 128 ? '1' : '0';
      }
      rows.push(row);
    }
    return rows;
  }, n);
  const want = [];
  for (let r = 0; r < n; r++) {
    let row = '';
    for (let k = 0; k < n; k++) row += qr.isDark(r, k) ? '1' : '0';
    want.push(row);
  }
  assert.deepEqual(drawn, want);

  const match = page.locator('#rc-matches li', { hasText: 'Juru Las Uji' });
  await match.waitFor();
  const text = await match.textContent();
  assert.match(text, /Tenggarong/);
  assert.match(text, /Kecamatan yang sama/);
  assert.match(text, /Pengelasan/);
  assert.match(text, /0\.0 km/);
  await shot('03-receipt', { fullPage: true });
  await page.setViewportSize({ width: 720, height: 1100 });
  await shot('kiosk-docs');
  await page.setViewportSize(KIOSK);
});

test('the server refusal is shown next to its field', async () => {
  await page.click('#rc-next');
  await page.waitForSelector('#screen-register:not([hidden])');
  const again = await daemon.person({ desa_code: DESA, skills: ['las'], education: 'SMA' });
  again.nik = first.nik; again.birth_date = first.birth_date; again.gender = first.gender;
  await fillForm(again);
  await page.click('#reg-submit');
  await page.waitForSelector('[data-field="nik"].invalid');
  assert.match(await page.textContent('[data-field="nik"] .field-error'), /already registered/);
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('kd.queue')).length), 0);
  await shot('04-server-error', { fullPage: true });
});

test('offline registrations are queued and delivered exactly once', async () => {
  const second = await daemon.person({ desa_code: DESA, skills: ['las'], education: 'SMA' });
  await page.reload();
  await context.setOffline(true);
  let entry;
  try {
  await page.waitForSelector('#network:not([hidden])');
  await fillForm(second, { offline: true });
  await page.click('#reg-submit');
  await page.waitForSelector('#queue-list li');
  assert.equal(await page.locator('#queue-list li').count(), 1);
  assert.match(await page.textContent('#form-error'), /disimpan/);
  [entry] = await page.evaluate(() => JSON.parse(localStorage.getItem('kd.queue')));
  assert.match(entry.key, /^kiosk-[0-9a-f-]{32,36}$/);
  assert.equal(await seekerCount('full_name = $1', second.full_name), 0);
  await shot('05-queued', { fullPage: true });
  } catch (error) {
    await context.setOffline(false);
    throw error;
  }

  // The first answer is lost on its way back: the request reached the
  // daemon, the page saw no answer, so it keeps the entry and sends it again.
  let lost = 0;
  await page.route('**/v1/seekers', async (route) => {
    if (lost++ === 0) {
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await context.setOffline(false);
  // (no waitForFunction: the page's CSP rightly forbids its eval)
  await page.waitForSelector('#queue-errors li.delivered');
  await page.locator('#queue-list li').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('kd.queue')).length), 0);
  assert.ok(lost >= 2, `sent ${lost} times`);
  await page.unroute('**/v1/seekers');
  await page.evaluate(() => KD.queue.flush());
  assert.equal(await seekerCount('full_name = $1', second.full_name), 1);
  const [[keys]] = await daemon.sql('SELECT count(*) FROM idempotency_keys WHERE key = $1', entry.key);
  assert.equal(Number(keys), 1);
  const [[code]] = await daemon.sql('SELECT registration_code FROM seekers WHERE full_name = $1', second.full_name);
  assert.match(await page.textContent('#queue-errors li.delivered'), new RegExp(code));
  await shot('06-delivered', { fullPage: true });
});

test('the status page shows offers and declines one', async () => {
  const run = await daemon.match();
  assert.equal(run.state, 'done');
  await page.click('.tabs button[data-screen="status"]');
  await page.fill('#st-code', firstCode);
  await page.fill('#st-birth', '1990-02-03' === first.birth_date ? '1990-02-04' : '1990-02-03');
  await page.click('#st-form button[type="submit"]');
  await page.waitForSelector('#st-error:not(:empty)');
  assert.match(await page.textContent('#st-error'), /tidak cocok/);

  await page.fill('#st-birth', first.birth_date);
  await page.click('#st-form button[type="submit"]');
  const item = page.locator('#st-list li', { hasText: 'Juru Las Uji' });
  await item.waitFor();
  assert.match(await item.textContent(), /Menunggu jawaban/);
  await shot('07-status', { fullPage: true });
  await item.locator('select').selectOption('too_far');
  await item.locator('button.danger').click();
  await page.waitForSelector('#st-list li.state-declined');
  const id = await page.getAttribute('#st-list li.state-declined', 'data-id');
  assert.deepEqual(await daemon.sql('SELECT state, reason_code FROM placements WHERE id = $1', id),
    [['declined', 'too_far']]);
  await shot('08-declined', { fullPage: true });
});

// The person who leaves the kiosk; their receipt code and an offer to them.
let leaving;
let leavingCode;

async function registrationIsEmpty() {
  for (const id of ['#f-nik', '#f-name', '#f-birth', '#f-phone', '#f-kec', '#f-desa', '#f-edu', '#f-skill'])
    assert.equal(await page.inputValue(id), '', id);
  assert.equal(await page.locator('input[name="gender"]:checked').count(), 0);
  assert.equal(await page.isChecked('#f-consent'), false);
  assert.equal(await page.locator('#skill-chips li').count(), 0);
  assert.equal(await page.textContent('#form-error'), '');
}

async function receiptIsEmpty() {
  assert.equal(await page.textContent('#rc-code'), '');
  assert.equal(await page.locator('#rc-matches li').count(), 0);
  assert.equal(await page.getAttribute('#rc-qr', 'data-qr'), null);
  const painted = await page.evaluate(() => {
    const c = document.getElementById('rc-qr');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
    return n;
  });
  assert.equal(painted, 0, 'the QR code is still drawn');
}

async function statusIsEmpty() {
  assert.equal(await page.inputValue('#st-code'), '');
  assert.equal(await page.inputValue('#st-birth'), '');
  assert.equal(await page.locator('#st-list li').count(), 0);
  assert.equal(await page.locator('#st-list button').count(), 0);
  assert.equal(await page.textContent('#st-error'), '');
}

async function showStatus(code, birthDate) {
  await page.fill('#st-code', code);
  await page.fill('#st-birth', birthDate);
  await page.click('#st-form button[type="submit"]');
  await page.locator('#st-list li.state-pending button.danger').waitFor();
}

// The wait of the page's idle watch starts over, this many seconds long.
async function idleAfter(seconds) {
  await page.evaluate((s) => { document.body.dataset.idleSeconds = String(s); }, seconds);
  await page.keyboard.press('Shift');
}

test('a tab change takes the last person off the screen', async () => {
  leaving = await daemon.person({ desa_code: DESA, skills: ['las'], education: 'SMA' });
  await page.click('.tabs button[data-screen="register"]');
  await fillForm(leaving);
  await page.click('.tabs button[data-screen="status"]');
  await page.click('.tabs button[data-screen="register"]');
  await registrationIsEmpty();

  await fillForm(leaving);
  await page.click('#reg-submit');
  await page.waitForSelector('#screen-receipt:not([hidden])');
  await page.locator('#rc-matches li').first().waitFor();
  leavingCode = (await page.textContent('#rc-code')).trim();
  await page.click('.tabs button[data-screen="status"]');
  await receiptIsEmpty();

  await daemon.sql(`INSERT INTO placements (run_id, seeker_id, vacancy_id, decide_by, score,
      distance_km, same_kecamatan, matched_skills)
    SELECT (SELECT max(id) FROM match_runs), s.id, $2, now() + interval '7 days', 1, 0, true,
      '{welding}' FROM seekers s WHERE s.registration_code = $1`, leavingCode, daemon.vacancyId);
  await showStatus(leavingCode, leaving.birth_date);
  await shot('10-status-before-tab-change', { fullPage: true });
  await page.click('.tabs button[data-screen="register"]');
  await page.click('.tabs button[data-screen="status"]');
  await statusIsEmpty();
  // Switching to the screen already shown keeps what is on it.
  await page.fill('#st-code', leavingCode);
  await page.click('.tabs button[data-screen="status"]');
  assert.equal(await page.inputValue('#st-code'), leavingCode);
  await page.fill('#st-code', '');
});

test('an idle kiosk takes the last person off the screen', async () => {
  try {
    await showStatus(leavingCode, leaving.birth_date);
    await idleAfter(0.3);
    await page.locator('#st-list li').first().waitFor({ state: 'detached' });
    await statusIsEmpty();
    assert.deepEqual(await daemon.sql(
      `SELECT p.state FROM placements p JOIN seekers s ON s.id = p.seeker_id
       WHERE s.registration_code = $1`, leavingCode), [['pending']]);

    await idleAfter(120);
    await page.click('.tabs button[data-screen="register"]');
    const next = await daemon.person({ desa_code: DESA, skills: ['las'], education: 'SMA' });
    await fillForm(next);
    await idleAfter(0.3);
    await page.locator('#skill-chips li').first().waitFor({ state: 'detached' });
    await registrationIsEmpty();

    await idleAfter(120);
    await fillForm(next);
    await page.click('#reg-submit');
    await page.waitForSelector('#screen-receipt:not([hidden])');
    await page.locator('#rc-matches li').first().waitFor();
    await idleAfter(0.3);
    await page.waitForSelector('#screen-register:not([hidden])');
    await receiptIsEmpty();
    await registrationIsEmpty();
    await shot('11-idle-cleared', { fullPage: true });
  } finally {
    await idleAfter(120);
  }
});

/* Sets the service area as `kerjadekat area set` does and waits until the
   daemon serves it. */
async function setArea(...codes) {
  await daemon.sql('SELECT service_area_set($1::text[])', `{${codes.join(',')}}`);
  for (;;) {
    const served = (await (await fetch(daemon.base + '/v1/regencies')).json()).regencies;
    if (served.map((r) => r.code).join() === codes.join()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('with several regencies the kiosk asks for the regency first', async () => {
  try {
    await setArea('64.02', '64.72');
    await page.reload();
    await page.waitForSelector('[data-field="regency"]:not([hidden]) #f-reg option[value="64.72"]', { state: 'attached' });
    assert.deepEqual(await page.$$eval('#f-reg option', (os) => os.map((o) => [o.value, o.textContent])),
      [['', '— pilih —'], ['64.02', 'Kabupaten Kutai Kartanegara'], ['64.72', 'Kota Samarinda']]);
    assert.equal(await page.isDisabled('#f-kec'), true);

    // Nothing chosen: the regency is asked for before anything is sent.
    const before = await seekerCount();
    await page.click('#reg-submit');
    await page.waitForSelector('[data-field="regency"].invalid');
    assert.equal(await seekerCount(), before);

    await page.selectOption('#f-reg', '64.72');
    const offered = await page.$$eval('#f-kec option', (os) => os.map((o) => o.value).filter(Boolean));
    const [[samarinda]] = await daemon.sql("SELECT count(*) FROM kecamatan WHERE regency_code = '64.72'");
    assert.equal(offered.length, Number(samarinda));
    assert.ok(offered.every((code) => code.startsWith('64.72.')), offered.join());
    await page.selectOption('#f-reg', '64.02');
    assert.equal(await page.locator('#f-kec option[value^="64.72."]').count(), 0);
    assert.equal(await page.locator('#f-kec option[value^="64.02."]').count(), 20);

    const person = await daemon.person({ desa_code: SAMARINDA_DESA, skills: ['las'], education: 'SMA' });
    await fillForm(person);
    await shot('12-regency-picker', { fullPage: true });
    await page.click('#reg-submit');
    await page.waitForSelector('#screen-receipt:not([hidden])');
    const code = (await page.textContent('#rc-code')).trim();
    assert.equal(await seekerCount('registration_code = $1 AND desa_code = $2', code, SAMARINDA_DESA), 1);
    await page.click('#rc-next');
    await page.waitForSelector('#screen-register:not([hidden])');
    assert.equal(await page.inputValue('#f-reg'), '');
    assert.equal(await page.isDisabled('#f-kec'), true);
  } finally {
    await setArea('64.02');
  }
  await page.reload();
  await page.waitForSelector('#f-kec option[value="64.02.06"]', { state: 'attached' });
  assert.equal(await page.isHidden('[data-field="regency"]'), true);
  assert.equal(await page.isDisabled('#f-kec'), false);
});

test('English toggle', async () => {
  await page.click('#lang');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal((await page.textContent('.tabs button[data-screen="register"]')).trim(), 'Register');
  await page.reload();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.click('#lang');
  assert.equal(await page.getAttribute('html', 'lang'), 'id');
});

test('the layout fits a portrait kiosk and a phone without sideways scrolling', async () => {
  for (const [name, size] of [['kiosk', KIOSK], ['phone', PHONE]]) {
    await page.setViewportSize(size);
    for (const screen of ['register', 'status']) {
      await page.click(`.tabs button[data-screen="${screen}"]`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(wide, 0, `${name} ${screen} scrolls sideways by ${wide}px`);
      const small = await page.evaluate(() => [...document.querySelectorAll(
        `#screen-${document.body.dataset.screen} button, #screen-${document.body.dataset.screen} input:not([type=radio]):not([type=checkbox]), #screen-${document.body.dataset.screen} select, .tabs button`)]
        .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 44).map((el) => el.id || el.outerHTML.slice(0, 60)));
      assert.deepEqual(small, [], `${name} ${screen}: touch targets under 44px`);
      await shot(`09-${name}-${screen}`, { fullPage: true });
    }
  }
  await page.setViewportSize(KIOSK);
});

test('no script errors and no CSP violations', () => {
  assert.deepEqual(pageErrors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
});
