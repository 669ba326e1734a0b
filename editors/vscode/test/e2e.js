// The VS Code end-to-end test: code-server (real VS Code 1.100) in headless Chromium, driven by
// playwright-core, with the platform .vsix installed (the server inside it, none on PATH, no
// `borrowlens.server.path`). It looks at the page as a person would (Problems panel, inlay hints,
// hover, region highlights, the light bulb) and asks the probe extension for exact values; then it
// opens SHOWCASE for the screenshot, and breaks the server's lookup on purpose for its error
// messages. Run by run.sh; prints one line per check, `N passed, N failed`, and exits 1 on any
// failure. Environment: PLAYWRIGHT (path to playwright-core), CHROMIUM, URL, WS, FILE, OUT, PROBE
// (the probe's base URL), EXTENSIONS (code-server's extensions directory), SHOWCASE (a Rust file).

const fs = require('fs');
const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT);

const { URL: base, WS: ws, FILE: file, OUT: out, PROBE: probe, EXTENSIONS: extensions, SHOWCASE: showcase } = process.env;
const uri = `file://${path.join(ws, file)}`;
const TIMEOUT = 30000;

let passed = 0;
let failed = 0;
let skipped = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${detail === undefined ? '' : `: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
  }
  return ok;
}
function skip(name, why) {
  skipped++;
  const bar = '!'.repeat(72);
  console.log(`${bar}\nSKIP - ${name}: ${why}\n${bar}`);
}

async function ask(op, params = {}) {
  const query = new URLSearchParams(params).toString();
  const res = await fetch(`${probe}/${op}?${query}`);
  if (!res.ok) {
    throw new Error(`probe ${op}: ${res.status} ${await res.text()}`);
  }
  return res.json();
}

/** Polls `f` until it returns something truthy; returns that, or the last value after the timeout. */
async function until(f, timeout = TIMEOUT) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await f();
      if (last) {
        return last;
      }
    } catch (err) {
      last = undefined;
      if (Date.now() > end) {
        throw err;
      }
    }
    if (Date.now() > end) {
      return last;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Text of the page's elements matching `selector`, with inlay hints' &nbsp; as spaces. */
async function textOf(page, selector) {
  const texts = await page.locator(selector).allInnerTexts();
  return texts.join('\n').replace(/\u00a0/g, ' ');
}

async function goTo(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: TIMEOUT });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await until(async () => {
    const c = await ask('cursor');
    return c && c.position[0] === line - 1 && c.position[1] === column - 1;
  });
}

/** Runs a command from the Command Palette, by its title. */
async function command(page, title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function main() {
  fs.mkdirSync(out, { recursive: true });
  const context = await chromium.launchPersistentContext(path.join(out, 'profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 640 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  try {
    await run(page);
  } catch (err) {
    check('the test ran to its end', false, String(err && err.stack ? err.stack : err));
    await page.screenshot({ path: path.join(out, 'failure.png') }).catch(() => {});
  } finally {
    await context.close();
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

async function run(page) {
  await page.goto(`${base}/?folder=${encodeURIComponent(ws)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });

  // Open the seed from the Explorer.
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file });
  await row.waitFor({ timeout: 60000 });
  await row.click();
  await page.locator(`.tab[data-resource-name="${file}"]`).waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();

  const state = await until(async () => {
    const s = await ask('state');
    return s.running && s;
  }, 60000);
  check('the extension is active and its server running', !!(state && state.running), state);
  if (!state || !state.running) {
    return;
  }
  checkBundled(state);

  // 1. The E0502 in the Problems panel.
  await page.locator('.monaco-editor .squiggly-error').first().waitFor();
  check('a squiggle under the error', true);
  await page.keyboard.press('Control+Shift+M');
  const problems = await until(async () => {
    const text = await textOf(page, '.markers-panel');
    return text.includes('cannot borrow `local` as mutable because it is also borrowed as immutable') && text;
  });
  check('the E0502 in the Problems panel', !!problems, problems);
  check('with its code and position', !!problems && problems.includes('E0502') && problems.includes('Ln 6, Col 13'), problems);
  const diagnostics = await ask('diagnostics', { uri });
  check('one diagnostic from borrowlens', diagnostics.length === 1 && diagnostics[0].source === 'borrowlens' &&
    diagnostics[0].code === 'E0502', diagnostics);

  // 2. Inlay hints in the editor.
  const lines = await until(async () => {
    const text = await textOf(page, '.monaco-editor .view-lines');
    return text.includes('y: &mut local ends') && text;
  });
  check('the inlay hint where `y` ends, in the editor', !!lines, lines);
  const hints = await ask('inlayHints', { uri });
  check('inlay hints from the provider', hints.some((h) => h.label.includes('x: &local ends') && h.position[0] === 7), hints);

  // 3. Region highlights at `y.push_str(...)` on line 7, with the colours of the test's theme.
  await page.locator('.monaco-editor .view-lines').first().click();
  await goTo(page, 7, 5);
  const highlight = await until(async () => {
    const h = await ask('highlight');
    return h && h.position[0] === 6 && h.regions.length > 0 && h;
  });
  const kinds = highlight ? highlight.regions.map((r) => `${r.kind} ${r.place}${r.conflicting ? ' !' : ''}`).sort() : [];
  check('regions of the borrows live at the cursor', JSON.stringify(kinds) === JSON.stringify(['mutable local !', 'shared local !']), highlight);
  const colours = await until(async () => page.evaluate(() => {
    const seen = new Set();
    for (const el of document.querySelectorAll('.monaco-editor .view-overlays div, .monaco-editor .view-lines span')) {
      const bg = getComputedStyle(el).backgroundColor;
      if (bg === 'rgba(209, 134, 22, 0.4)') seen.add('mutable borrow');
      if (bg === 'rgba(55, 148, 255, 0.25)') seen.add('shared borrow');
      if (bg === 'rgba(209, 134, 22, 0.12)') seen.add('mutable region');
      if (bg === 'rgba(55, 148, 255, 0.1)') seen.add('shared region');
    }
    return seen.size === 4 ? [...seen].sort() : null;
  }));
  check('highlights drawn in the themed colours', !!colours, colours);

  // 4. Hover at the cursor (Ctrl+K Ctrl+I), as the mouse would show it.
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = await until(async () => {
    const text = await textOf(page, '.monaco-hover');
    return text.includes('holds a mutable borrow') && text;
  });
  check('the hover in the editor', !!hover && hover.includes('reborrow chain: local ← y'), hover);
  const hoverText = (await ask('hover', { uri, line: 6, character: 4 })).join('\n');
  check('the hover from the provider', hoverText.includes('`y` holds a mutable borrow `&mut local`'), hoverText);

  // The status bar item.
  const status = await textOf(page, '.statusbar');
  check('the status bar shows borrowlens', status.includes('borrowlens'), status);

  // The command that lists the borrows at the cursor.
  await command(page, 'borrowlens: Show Borrow Regions at Cursor');
  const picked = await until(async () => {
    const text = await textOf(page, '.quick-input-widget');
    return text.includes('mutable borrow of `local`') && text.includes('shared borrow of `local`') && text;
  });
  check('Show Borrow Regions at Cursor lists both borrows', !!picked, picked);
  await page.keyboard.press('Escape');

  // Toggle Insights: the inlay hints go (the server asks VS Code to fetch them again) and return.
  const hinted = async () => (await textOf(page, '.monaco-editor .view-lines')).includes('y: &mut local ends');
  await command(page, 'borrowlens: Toggle Insights');
  check('Toggle Insights hides the inlay hints', !!(await until(async () => !(await hinted()))));
  await command(page, 'borrowlens: Toggle Insights');
  check('Toggle Insights shows them again', !!(await until(hinted)));

  await quickFix(page, state);
  await screenshot(page);
  await lookupErrors(page);
}

/** The server is the one inside the .vsix: the extension says so, and so does the process. */
function checkBundled(state) {
  const server = state.server || {};
  const inVsix = typeof server.path === 'string' && server.path.startsWith(extensions + path.sep) &&
    server.path.endsWith(path.join('server', 'borrowlens'));
  check('no `borrowlens` on the extension host\'s PATH', state.onPath.length === 0, state.onPath);
  check('the extension uses the server bundled in the .vsix', server.source === 'bundled' && inVsix, server);
  const exes = [];
  for (const pid of fs.readdirSync('/proc').filter((it) => /^\d+$/.test(it))) {
    try {
      exes.push(fs.readlinkSync(`/proc/${pid}/exe`));
    } catch {
      // Gone, or not ours to read.
    }
  }
  check('a server process runs from that file', inVsix && exes.includes(server.path),
    exes.filter((it) => it.includes('borrowlens')));
}

// 5. The preferred quick fix from the light bulb removes the E0502.
async function quickFix(page, state) {
  if (!state.capabilities || !state.capabilities.codeActionProvider) {
    skip('quick fix', 'the server does not advertise codeActionProvider (code actions have not landed)');
    return;
  }
  await goTo(page, 6, 13);
  const actions = await until(async () => {
    const all = await ask('serverCodeActions', { uri, line: 5, character: 12 });
    return all.length > 0 && all;
  });
  const linked = (a) => (a.diagnostics || []).some((d) => d.code === 'E0502');
  const preferred = (actions || []).find((a) => a.kind === 'quickfix' && a.isPreferred && linked(a));
  check('the server offers a preferred quickfix linked to the E0502', !!preferred, actions);
  if (!preferred) {
    return;
  }
  const offered = await ask('codeActions', { uri, line: 5, character: 12 });
  check('VS Code sees it as the preferred quick fix', offered.some((a) => a.title === preferred.title && a.isPreferred), offered);
  // The light bulb: a content widget drawn in the gutter (or a glyph of the glyph margin in newer
  // versions), blue (auto-fix) when a preferred fix is on offer.
  const bulb = page.locator('.monaco-editor .lightBulbWidget, .monaco-editor .lightbulb-glyph');
  await bulb.first().waitFor({ state: 'visible' });
  await bulb.first().click();
  const item = page.locator('.action-widget .monaco-list-row', { hasText: preferred.title });
  await item.first().waitFor({ state: 'visible' });
  check('the light bulb offers the preferred fix', true);
  // The menu blocks the pointer while it opens: choose with the keyboard, as people do.
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  for (let i = 0; i < 20 && !(await focused.innerText().catch(() => '')).includes(preferred.title); i++) {
    await page.keyboard.press('ArrowDown');
  }
  check('the preferred fix chosen in the menu', (await focused.innerText()).includes(preferred.title));
  await page.keyboard.press('Enter');
  const fixed = await until(async () => (await ask('diagnostics', { uri })).length === 0);
  check('the E0502 is gone after the fix', !!fixed, await ask('diagnostics', { uri }));
  const after = await ask('text', { uri });
  check('the fix edited the document', !!after && after.dirty, after);
  const panel = await until(async () => {
    const text = await textOf(page, '.markers-panel');
    return text.includes('E0502') ? null : { text };
  });
  check('the Problems panel has no E0502 left', !!panel, await textOf(page, '.markers-panel'));
}

/**
 * The screenshot: SHOWCASE as src/main.rs, a borrow reborrowed through a reference and an error
 * in its region. Its E0502 squiggle and Problems entry, the inlay hints where the borrows end and
 * the reborrow chain, the regions live at the cursor, and the hover explaining the chain, in one
 * picture without the side bar.
 */
async function screenshot(page) {
  await ask('command', { id: 'workbench.action.files.saveAll' });
  await ask('command', { id: 'workbench.action.closeAllEditors' });
  await ask('command', { id: 'workbench.action.closeSidebar' });
  fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
  const main = path.join(ws, 'src', 'main.rs');
  fs.copyFileSync(showcase, main);
  const mainUri = `file://${main}`;
  await ask('open', { uri: mainUri });
  await page.locator('.tab[data-resource-name="main.rs"]').waitFor();

  const diagnostics = await until(async () => {
    const all = await ask('diagnostics', { uri: mainUri });
    return all.length > 0 && all;
  });
  check('showcase: its E0502', !!diagnostics && diagnostics.length === 1 && diagnostics[0].code === 'E0502' &&
    diagnostics[0].range[0] === 6, diagnostics);
  const chain = await until(async () => {
    const text = await textOf(page, '.monaco-editor .view-lines');
    return text.includes('player ← p ← score') && text.includes('score: &mut p.score ends') && text;
  });
  check('showcase: inlay hints of the reborrow chain and where it ends', !!chain, chain);
  await ask('command', { id: 'workbench.actions.view.problems' });
  const problems = await until(async () => {
    const text = await textOf(page, '.markers-panel');
    return text.includes('cannot borrow `player.name` as immutable') && !text.includes(file) && text;
  });
  check('showcase: the Problems panel holds its E0502 alone', !!problems, await textOf(page, '.markers-panel'));

  await goTo(page, 8, 6);
  const highlight = await until(async () => {
    const h = await ask('highlight');
    return h && h.uri.endsWith('/src/main.rs') && h.position[0] === 7 && h.regions.length >= 2 && h;
  });
  const regions = highlight ? highlight.regions.map((r) => `${r.kind} ${r.place}${r.conflicting ? ' !' : ''}`).sort() : [];
  check('showcase: the regions of the borrows live at `*score += 1`',
    JSON.stringify(regions) === JSON.stringify(['mutable p.score', 'mutable player !']), highlight);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = await until(async () => {
    const text = await textOf(page, '.monaco-hover');
    return text.includes('reborrow chain: player ← p ← score') && text;
  });
  check('showcase: the hover explains the reborrow chain', !!hover, await textOf(page, '.monaco-hover'));
  // Toggle Insights' status bar message lasts 3 s: not in the picture.
  await until(async () => !(await textOf(page, '.statusbar')).includes('borrowlens: insights'), 5000);
  await page.waitForTimeout(500);
  const shot = path.join(out, 'borrowlens-vscode.png');
  await page.screenshot({ path: shot });
  check(`screenshot saved to ${shot}`, fs.existsSync(shot));
  await page.keyboard.press('Escape');
}

/**
 * When the server cannot be found, one error message says what was tried and what to do: with a
 * `borrowlens.server.path` that names nothing, and with neither a bundled server nor one on PATH.
 * Then the server comes back from the bundled file, whose lost mode the extension restores.
 */
async function lookupErrors(page) {
  const toasts = () => textOf(page, '.notifications-toasts');
  const failed = async () => {
    const s = await ask('state');
    return !s.running && s.server && s.server.error && s;
  };
  const bundled = (await ask('state')).server.path;

  await ask('setSetting', { key: 'server.path', value: '/nonexistent/borrowlens' });
  let state = await until(failed);
  let shown = await until(async () => {
    const text = await toasts();
    return text.includes('/nonexistent/borrowlens') && text;
  });
  check('a bad borrowlens.server.path: one clear error', !!state && !!shown &&
    shown.includes('borrowlens.server.path') && shown.includes('clear it'), shown || state);
  const missing = page.locator('.statusbar-item:has(.codicon-error)', { hasText: 'borrowlens' });
  check('and the status bar shows it', !!(await until(async () => (await missing.count()) > 0)));
  await ask('command', { id: 'notifications.clearAll' });

  fs.renameSync(bundled, `${bundled}.away`);
  await ask('setSetting', { key: 'server.path' });
  state = await until(async () => {
    const s = await failed();
    return s && s.server.error.includes('bundles no server') && s;
  });
  shown = await until(async () => {
    const text = await toasts();
    return text.includes('no server found') && text;
  });
  check('no bundled server and none on PATH: one clear error', !!state && !!shown &&
    ['borrowlens.server.path', 'cargo install --path server', 'not on PATH'].every((it) => shown.includes(it)),
    shown || state);
  await ask('command', { id: 'notifications.clearAll' });

  fs.renameSync(`${bundled}.away`, bundled);
  fs.chmodSync(bundled, 0o644);
  await ask('command', { id: 'borrowlens.restartServer' });
  state = await until(async () => {
    const s = await ask('state');
    return s.running && s;
  });
  check('the bundled server again, its mode restored', !!state && state.server.source === 'bundled' &&
    (fs.statSync(bundled).mode & 0o111) !== 0, state);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
