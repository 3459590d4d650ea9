// Runs a notebook through the classic notebook UI in Debian's chromium (never a downloaded browser) and checks
// what the page shows: clears every output (Cell > All Output > Clear), runs all cells (Cell > Run All), waits
// for the kernel, then checks the outputs in the page and takes a screenshot.
//
//   node check_tour.mjs NOTEBOOK_URL SCREENSHOT.png
//
// NOTEBOOK_URL is the notebook's page on a running server, with its token. CHROMIUM overrides /usr/bin/chromium.
// Prints one line per check and exits with the number of failed checks.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node check_tour.mjs NOTEBOOK_URL SCREENSHOT.png');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const RUN_TIMEOUT_MS = Number(process.env.RUN_TIMEOUT_MS || 300000);

let failed = 0;
function report(ok, name, detail = '') {
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? '  ' + detail : ''}`);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-chromium-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1280, height: 900 },
});
try {
  const page = context.pages()[0] || await context.newPage();
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(String(e)));
  const t0 = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded
      && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(), null, { timeout: 120000 });
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: 120000 });
  const kernelName = await page.evaluate(() => Jupyter.notebook.kernel.name);
  report(kernelName === 'vectorgrad', 'notebook opened with its kernel', `${kernelName}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // Cell > All Output > Clear: what is checked below comes from this run, not from the saved notebook
  await page.click('#celllink');
  await page.hover('#all_outputs');
  await page.click('#clear_all_output > a');
  const left = await page.evaluate(() => Jupyter.notebook.get_cells()
      .filter(c => c.cell_type === 'code' && c.output_area.outputs.length > 0).length);
  report(left === 0, 'outputs cleared through the menu', `${left} cells with output left`);

  // Cell > Run All
  const t1 = Date.now();
  await page.click('#celllink');
  await page.click('#run_all_cells > a');
  await page.waitForFunction(() => {
    const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
    return cells.every(c => typeof c.input_prompt_number === 'number')
        && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
  }, null, { timeout: RUN_TIMEOUT_MS, polling: 500 });
  const cells = await page.evaluate(() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map(c => ({
    tags: (c.metadata.tags || []),
    errors: c.output_area.outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
    count: c.input_prompt_number,
  })));
  report(true, 'Run All finished', `${cells.length} code cells in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  const unexpected = cells.filter(c => c.errors.length > 0 && !c.tags.includes('raises-exception'));
  const expected = cells.filter(c => c.tags.includes('raises-exception'));
  report(unexpected.length === 0, 'no cell failed unexpectedly', unexpected.map(c => c.errors.join('; ')).join(' | '));
  report(expected.every(c => c.errors.length === 1), 'cells tagged raises-exception show their error',
      expected.map(c => c.errors[0] || '(none)').join(' | '));

  // what the page shows
  const shown = await page.evaluate(() => {
    const text = sel => Array.from(document.querySelectorAll(sel)).map(e => e.innerText).join('\n');
    return {
      pngs: document.querySelectorAll('.output_area img[src^="data:image/png"]').length,
      tensorTable: Array.from(document.querySelectorAll('.output_html .vg-tensor'))
          .some(e => e.innerText.includes('Tensor shape=(3,4)') && e.querySelector('table') !== null),
      truncated: Array.from(document.querySelectorAll('.output_html .vg-tensor')).some(e => e.innerText.includes('\u2026')),
      progress: text('.output_html .vg-progress'),
      summary: text('.output_html .vg-summary'),
      stdout: text('.output_stdout'),
      stderr: text('.output_stderr'),
      markdown: Array.from(document.querySelectorAll('.output_markdown strong')).map(e => e.innerText),
      html: Array.from(document.querySelectorAll('.output_html b')).map(e => e.innerText),
      caret: text('.output_error').includes('^'),
    };
  });
  report(shown.pngs >= 6, 'pictures and charts shown as PNG', `${shown.pngs} images`);
  report(shown.tensorTable && shown.truncated, 'tensors shown as tables, large ones truncated');
  report(shown.progress.includes('Epoch 40/40') && shown.progress.includes('Done'), 'one live training display, finished',
      shown.progress.split('\n')[0]);
  report(shown.summary.includes('61,706'), 'model summary as a table');
  report(shown.stdout.includes('step 3: loss = 0.333') && shown.stderr.includes('(stderr shows too)'), 'streams shown');
  report(shown.stdout.includes('ok   XOR learned') && !shown.stdout.includes('FAIL '), 'checks in cells passed');
  report(shown.markdown.includes('step 5 of 5'), 'display updated in place (markdown)', shown.markdown.join(', '));
  report(shown.html.includes('bold'), '%%html rendered');
  report(shown.stdout.includes('first call: ') && shown.stdout.includes('Wall time: '), '%timeit and %%time');
  report(shown.caret, 'compile error shown with a caret');
  report(pageErrors.length === 0, 'no errors in the page', pageErrors.slice(0, 3).join(' | '));

  // the whole notebook in one picture: let the page grow instead of scrolling inside #site
  await page.addStyleTag({ content: '#site { height: auto !important; overflow: visible !important; } '
      + 'body, html { height: auto !important; overflow: visible !important; }' });
  fs.mkdirSync(path.dirname(path.resolve(screenshot)), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  const size = fs.statSync(screenshot).size;
  report(size > 50000, 'screenshot', `${screenshot} (${Math.round(size / 1024)} KiB)`);
} catch (e) {
  report(false, 'browser run', String(e).split('\n')[0]);
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(`${failed} failed`);
process.exit(failed);
