// The built book, read as a reader reads it: Debian's headless Chromium, driven by
// playwright-core, loads every page from a static server on 127.0.0.1 and checks what a person
// would see. Run by .ci/run after `mdbook build`:
//
//     (cd tests/browser && npm ci) && node tests/browser/pdf.mjs && node --test tests/browser/
//
// Environment (and see support.mjs: BOOK_HTML_DIR, CHROMIUM, SCREENSHOT_DIR):
//   BOOK_EXPECT_CAPTIONS   1/0: whether listing captions must be there (default: yes when
//                          book.toml has [preprocessor.listings] or preprocessor/ is the
//                          mdbook-listings crate)
//   BOOK_EDIT_URL_TEMPLATE the edit-url-template the book was built with (.ci/run sets it when
//                          it knows the repository); unset means the pages must have no edit link
//
// The book must load nothing from another host. One request is allowed and answered here
// without touching the network: mdBook's book.js asks the Rust playground for its crate list
// (POST https://play.rust-lang.org/meta/crates) on every page with a runnable listing, and shows
// the Run buttons only when that answers. It is not a page resource; it is what the Run button
// is for. Any other request off 127.0.0.1 fails the test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
    ACTION_TIMEOUT,
    HTML_DIR,
    NAVIGATION_TIMEOUT,
    REPO,
    TEST_TIMEOUT,
    launchBrowser,
    screenshotPath,
    startServer,
    stopServer,
    summaryChapters,
    tables,
} from './support.mjs';

const PLAYGROUND_CRATES = 'https://play.rust-lang.org/meta/crates';
const PLAYGROUND_EVALUATE = 'https://play.rust-lang.org/evaluate.json';

const HAS_QUIZ = tables.includes('preprocessor.quiz');
const HAS_LISTINGS_PREPROCESSOR = tables.includes('preprocessor.listings');
const LISTINGS_CRATE = (() => {
    try {
        return /^name\s*=\s*"mdbook-listings"/m.test(
            fs.readFileSync(path.join(REPO, 'preprocessor', 'Cargo.toml'), 'utf8'),
        );
    } catch {
        return false;
    }
})();
const CAPTIONS_REQUIRED =
    process.env.BOOK_EXPECT_CAPTIONS !== undefined
        ? process.env.BOOK_EXPECT_CAPTIONS === '1'
        : HAS_LISTINGS_PREPROCESSOR || LISTINGS_CRATE;

// ---------------------------------------------------------------------------------------------
// Shared state: one server and one browser for the whole file, always closed in `after`.

let server;
let origin;
let context;
let closeBrowser;
const externalRequests = []; // "METHOD url (page)" for every request off 127.0.0.1 that was refused
const playgroundRequests = []; // pages that asked the playground for its crate list
let evaluateHandler = null; // answers the playground's evaluate.json while a test expects it
const visited = new Map(); // page path -> { ids: Set, links: [{ href, text }] }

before(async () => {
    assert.ok(
        fs.existsSync(path.join(HTML_DIR, 'index.html')),
        `no built book in ${HTML_DIR}: run \`mdbook build\` first`,
    );
    server = await startServer(HTML_DIR);
    origin = `http://127.0.0.1:${server.address().port}`;
    ({ context, close: closeBrowser } = await launchBrowser());

    await context.route('**/*', async (route) => {
        const request = route.request();
        const url = request.url();
        if (url.startsWith(origin + '/')) return route.continue();
        const from = request.frame()?.url() ?? '?';
        if (url === PLAYGROUND_CRATES && request.method() === 'POST') {
            playgroundRequests.push(from);
            return route.fulfill({
                status: 200,
                contentType: 'application/json',
                headers: { 'access-control-allow-origin': '*' },
                body: JSON.stringify({ crates: [] }),
            });
        }
        if (url === PLAYGROUND_EVALUATE && request.method() === 'POST' && evaluateHandler) {
            // The Run button of an edited exercise: answered here, as the playground would.
            return route.fulfill({
                status: 200,
                contentType: 'application/json',
                headers: { 'access-control-allow-origin': '*' },
                body: JSON.stringify(evaluateHandler(JSON.parse(request.postData() ?? '{}'))),
            });
        }
        externalRequests.push(`${request.method()} ${url} (from ${from})`);
        return route.abort('blockedbyclient');
    });
});

after(async () => {
    // Each step on its own, so that one failing still lets the others run.
    if (closeBrowser) await closeBrowser();
    await stopServer(server);
});

/**
 * Opens `pagePath` in a new tab and records everything that goes wrong while it is open:
 * console errors, uncaught exceptions, failed requests, HTTP errors.
 */
async function open(pagePath, viewport) {
    const page = await context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    const problems = [];
    page.on('console', (msg) => {
        if (msg.type() === 'error') {
            const loc = msg.location();
            problems.push(`console error: ${msg.text()} (${loc.url}:${loc.lineNumber})`);
        }
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => {
        problems.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`);
    });
    page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
    });
    try {
        const response = await page.goto(`${origin}/${pagePath}`, { waitUntil: 'load' });
        assert.equal(response?.status(), 200, `${pagePath}: HTTP ${response?.status()}`);
        // Scripts that fetch after load (the playground's crate list, the quiz) finish here.
        await page.waitForLoadState('networkidle', { timeout: NAVIGATION_TIMEOUT });
    } catch (e) {
        await page.close();
        throw e;
    }
    return { page, problems };
}

async function saveScreenshot(page, name, options = {}) {
    const file = screenshotPath(name);
    await page.screenshot({ path: file, timeout: ACTION_TIMEOUT, ...options });
    console.log(`screenshot: ${path.relative(REPO, file)}`);
    return file;
}

// ---------------------------------------------------------------------------------------------

test('the sidebar lists exactly the chapters of SUMMARY.md', { timeout: TEST_TIMEOUT }, async () => {
    const { page, problems } = await open('index.html');
    try {
        // mdBook 0.5 fills the sidebar from toc.js; wait for its first link.
        // (Only the chapter links: under the current chapter mdBook also lists its headings.)
        const chapterLinks = '#mdbook-sidebar .chapter-link-wrapper > a[href]:not(.header-in-summary)';
        await page.locator(chapterLinks).first().waitFor();
        const sidebar = await page.$$eval(chapterLinks, (links) =>
            links.map((a) => new URL(a.href).pathname.replace(/^\//, '')).filter((p) => p.endsWith('.html')),
        );
        assert.deepEqual([...new Set(sidebar)], summaryChapters());
        assert.deepEqual(problems, []);
    } finally {
        await page.close();
    }
});

test(
    'every page loads with no console error, page error, failed request or third-party request',
    { timeout: TEST_TIMEOUT * 2 },
    async (t) => {
        const pages = ['index.html', ...summaryChapters(), 'print.html'];
        assert.ok(pages.length > 3, `only ${pages.length} pages found`);
        for (const pagePath of pages) {
            await t.test(pagePath, { timeout: TEST_TIMEOUT }, async () => {
                const before = externalRequests.length;
                const { page, problems } = await open(pagePath);
                try {
                    const h1 = await page.locator('main h1').first().textContent();
                    assert.ok(h1?.trim(), `${pagePath}: no <h1> in <main>`);
                    visited.set(
                        pagePath,
                        await page.evaluate(() => ({
                            ids: [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.name),
                            links: [...document.querySelectorAll('a[href]')].map((a) => ({
                                href: a.href,
                                raw: a.getAttribute('href'),
                                text: a.textContent.trim().slice(0, 60),
                            })),
                        })),
                    );
                    assert.deepEqual(problems, [], `${pagePath}: problems while loading`);
                    assert.deepEqual(
                        externalRequests.slice(before),
                        [],
                        `${pagePath} asked another host for something (the book must be self-contained)`,
                    );
                } finally {
                    await page.close();
                }
            });
        }
        t.diagnostic(
            `playground crate-list requests answered locally: ${playgroundRequests.length} (${[
                ...new Set(playgroundRequests.map((u) => new URL(u).pathname)),
            ].join(', ')})`,
        );
    },
);

test('every internal link points at a page and an anchor that exist', { timeout: TEST_TIMEOUT }, async () => {
    const chapters = ['index.html', ...summaryChapters(), 'print.html'];
    const missing = chapters.filter((p) => !visited.has(p));
    assert.deepEqual(missing, [], 'pages not loaded by the previous test');

    const idsOf = new Map([...visited].map(([p, v]) => [p, new Set(v.ids)]));
    const status = new Map(); // target path -> HTTP status, for pages not visited
    const broken = [];
    let checked = 0;
    for (const [pagePath, { links }] of visited) {
        for (const { href, raw, text } of links) {
            const url = new URL(href);
            if (url.origin !== origin) continue; // web links: not followed, like linkcheck2
            const target = url.pathname.replace(/^\//, '') || 'index.html';
            checked++;
            if (!idsOf.has(target)) {
                if (!status.has(target)) {
                    const res = await fetch(`${origin}/${target}`, { signal: AbortSignal.timeout(ACTION_TIMEOUT) });
                    status.set(target, res.status);
                    if (res.ok && target.endsWith('.html')) {
                        const html = await res.text();
                        idsOf.set(target, new Set([...html.matchAll(/\s(?:id|name)="([^"]*)"/g)].map((m) => m[1])));
                    } else {
                        await res.arrayBuffer();
                    }
                }
                if (status.get(target) !== 200) {
                    broken.push(`${pagePath}: "${text}" -> ${raw}: HTTP ${status.get(target)}`);
                    continue;
                }
            }
            const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
            if (fragment && idsOf.has(target) && !idsOf.get(target).has(fragment)) {
                broken.push(`${pagePath}: "${text}" -> ${raw}: no element with id "${fragment}" in ${target}`);
            }
        }
    }
    assert.ok(checked > 50, `only ${checked} internal links found`);
    assert.deepEqual(broken, [], 'broken internal links or anchors');
});

test('the search finds the borrowing chapter', { timeout: TEST_TIMEOUT }, async () => {
    const { page, problems } = await open('introduction.html');
    try {
        const bar = page.locator('#mdbook-searchbar');
        await page.keyboard.press('s');
        if (!(await bar.isVisible())) await page.locator('#mdbook-search-toggle').click();
        await bar.waitFor({ state: 'visible' });
        await bar.pressSequentially('borrow', { delay: 20 });
        const results = page.locator('#mdbook-searchresults a[href]');
        await results.first().waitFor({ state: 'visible' });
        const hrefs = await results.evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
        assert.ok(
            hrefs.some((p) => p.endsWith('/borrowing.html')),
            `no search result links to borrowing.html; results: ${hrefs.join(', ')}`,
        );
        const header = await page.locator('#mdbook-searchresults-header').textContent();
        assert.match(header ?? '', /\d+ search results? for .borrow./);
        await saveScreenshot(page, 'search-borrow.png', { fullPage: true });
        assert.deepEqual(problems, []);
    } finally {
        await page.close();
    }
});

test('ownership: compile-fail listings have no Run button and show their error; runnable ones do', { timeout: TEST_TIMEOUT }, async (t) => {
    const { page, problems } = await open('ownership.html');
    try {
        const compileFail = page.locator('main pre:not(.playground):has(> code.does_not_compile)');
        const n = await compileFail.count();
        assert.ok(n >= 1, 'no compile-fail listing (pre > code.does_not_compile without .playground)');
        // Nothing marked does_not_compile may be a playground, except an exercise.
        assert.equal(await page.locator('main pre.playground:has(> code.does_not_compile:not(.exercise))').count(), 0);

        const first = compileFail.first();
        await first.scrollIntoViewIfNeeded();
        await first.hover(); // mdBook shows a listing's buttons on hover
        for (let i = 0; i < n; i++) {
            const pre = compileFail.nth(i);
            assert.equal(await pre.locator('.play-button').count(), 0, `compile-fail listing ${i + 1} has a Run button`);
            const next = await pre.evaluate((el) => {
                const all = [...document.querySelectorAll('main pre')];
                return all[all.indexOf(el) + 1]?.textContent ?? null;
            });
            assert.match(next ?? '', /error\[E\d{4}\]/, `compile-fail listing ${i + 1} is not followed by its error`);
        }
        const firstError = await first.evaluate((el) => {
            const all = [...document.querySelectorAll('main pre')];
            return all[all.indexOf(el) + 1].textContent;
        });
        assert.match(firstError, /error\[E0382\]/, 'the first compile-fail listing should be the use after move');

        const runnable = page.locator('main pre.playground');
        assert.ok((await runnable.count()) >= 1, 'no runnable listing (pre.playground)');
        await runnable.first().hover();
        await runnable.first().locator('.play-button').waitFor({ state: 'visible' });

        // Readable: the viewport at the first compile-fail listing. Whole: the full page.
        await first.hover();
        await page.evaluate(() => window.scrollBy(0, -120)); // leave the caption and prose above it in view
        await saveScreenshot(page, 'ownership-compile-fail.png');
        await saveScreenshot(page, 'ownership-full-page.png', { fullPage: true });

        await t.test('captions, badges and the "verified with" footer', async (t) => {
            const captions = page.locator('main .listing-caption');
            const present = (await captions.count()) > 0;
            if (!present && !CAPTIONS_REQUIRED) {
                t.skip(
                    'no .listing-caption on the page, and none expected (no [preprocessor.listings] in ' +
                        'book.toml, no mdbook-listings crate, or BOOK_EXPECT_CAPTIONS=0)',
                );
                return;
            }
            assert.ok(
                present,
                'no .listing-caption on ownership.html, but captions are required ' +
                    '([preprocessor.listings] in book.toml, or BOOK_EXPECT_CAPTIONS=1)',
            );
            for (const text of await captions.allTextContents()) {
                assert.match(text, /Listing \d+-\d+/, `caption without a number: "${text}"`);
            }
            // Each compile-fail listing is preceded by a caption (no other listing in between)
            // that carries the "does not compile" badge.
            const unbadged = await page.evaluate(() => {
                const seq = [...document.querySelectorAll('main .listing-caption, main pre')];
                const bad = [];
                seq.forEach((el, i) => {
                    if (el.matches('pre:not(.playground)') && el.querySelector(':scope > code.does_not_compile')) {
                        const caption = seq[i - 1];
                        if (!caption || !caption.matches('.listing-caption')) {
                            bad.push(`listing ${i}: no caption before it`);
                        } else if (!caption.querySelector('.listing-badge.does-not-compile')) {
                            bad.push(`"${caption.textContent.trim()}": no .listing-badge.does-not-compile`);
                        }
                    }
                });
                return bad;
            });
            assert.deepEqual(unbadged, []);
            const footer = page.locator('.verified-with');
            assert.equal(await footer.count(), 1, 'no .verified-with footer');
            assert.match((await footer.textContent()) ?? '', /rustc 1\./);
        });

        assert.deepEqual(problems, []);
    } finally {
        await page.close();
    }
});

test('ownership: the quiz at the end of the chapter can be answered', { timeout: TEST_TIMEOUT }, async (t) => {
    if (!HAS_QUIZ) {
        t.skip('no [preprocessor.quiz] in book.toml: the book has no quizzes');
        return;
    }
    const { page, problems } = await open('ownership.html');
    try {
        const placeholder = page.locator('main .quiz-placeholder').last();
        assert.equal(await placeholder.count(), 1, 'no quiz (.quiz-placeholder) on ownership.html');
        // The answers a reader would give, taken from the quiz as the page embeds it.
        const { questions } = JSON.parse(await placeholder.getAttribute('data-quiz-questions'));
        assert.ok(questions.length >= 1);

        const quiz = placeholder.locator('.mdbook-quiz-wrapper');
        await quiz.locator('button.start').click();
        for (let i = 0; i < questions.length; i++) {
            const q = questions[i];
            const counter = quiz.locator('.counter');
            assert.match((await counter.textContent()) ?? '', new RegExp(`Question ${i + 1} / ${questions.length}`));
            const form = quiz.locator('form.response');
            await form.waitFor();
            if (q.type === 'Tracing') {
                await form.locator(`input[name=doesCompile][value="${q.answer.doesCompile}"]`).check();
                if (q.answer.doesCompile) {
                    await form.locator('textarea[name=stdout]').fill(q.answer.stdout);
                } else if (await form.locator('input[name=lineNumber]').count()) {
                    await form.locator('input[name=lineNumber]').fill(String(q.answer.lineNumber));
                }
            } else if (q.type === 'MultipleChoice') {
                const wanted = [q.answer.answer].flat();
                const values = await form.locator('input[name=answer]').evaluateAll((inputs) => inputs.map((i) => i.value));
                for (const w of wanted) {
                    const index = values.indexOf(w);
                    assert.ok(index >= 0, `question ${i + 1}: no choice "${w}"`);
                    await form.locator('input[name=answer]').nth(index).check();
                }
            } else if (q.type === 'ShortAnswer') {
                await form.locator('input[type=text], textarea').first().fill(q.answer.answer);
            } else {
                assert.fail(`question ${i + 1}: this test cannot answer a ${q.type} question`);
            }
            await form.locator('input[type=submit]').click();
            if (i === 0) {
                // Answering the first question moves the quiz on.
                await page.waitForFunction(
                    (el) => !/Question 1 \//.test(el.querySelector('.counter')?.textContent ?? ''),
                    await quiz.elementHandle(),
                    { timeout: ACTION_TIMEOUT },
                );
            }
        }
        // The result: "You answered 5/5 questions correctly.", then each answer.
        const result = quiz.locator('section p').filter({ hasText: /You answered \d+\s*\/\s*\d+ questions/ });
        await result.waitFor();
        assert.match(
            (await result.textContent()) ?? '',
            new RegExp(`You answered ${questions.length}\\s*/\\s*${questions.length} questions correctly`),
        );
        assert.equal(await quiz.locator('.answer-wrapper').count(), questions.length);
        await result.scrollIntoViewIfNeeded();
        await saveScreenshot(page, 'ownership-quiz-result.png');
        assert.deepEqual(problems, []);
    } finally {
        await page.close();
    }
});

test('an exercise is edited in the page, run on the playground and reset', { timeout: TEST_TIMEOUT }, async () => {
    // The ownership chapter's exercise and its solution, as the repository has them.
    const exercise = fs.readFileSync(path.join(REPO, 'listings/ownership/exercise_print_twice.rs'), 'utf8');
    const solution = fs.readFileSync(path.join(REPO, 'listings/ownership/exercise_print_twice_solution.rs'), 'utf8');
    const solved = fs.readFileSync(path.join(REPO, 'listings/ownership/exercise_print_twice_solution.stdout'), 'utf8');
    const sent = [];
    evaluateHandler = (body) => {
        sent.push(body);
        return { result: body.code === solution ? solved : 'error[E0382]: borrow of moved value', error: null };
    };
    const { page, problems } = await open('ownership.html');
    try {
        const pre = page.locator('main pre.playground:has(> code.exercise)').first();
        assert.equal(await pre.count(), 1, 'no exercise (pre.playground > code.exercise) on ownership.html');
        await pre.scrollIntoViewIfNeeded();
        // mdBook turns `editable` code into its bundled Ace editor.
        const editor = pre.locator('code.ace_editor');
        await editor.waitFor();
        const value = () => pre.evaluate((el) => window.ace.edit(el.querySelector('code')).getValue());
        assert.equal((await value()).trim(), exercise.trim(), 'the editor does not start with the exercise');
        await pre.hover();
        const run = pre.locator('.play-button');
        const reset = pre.locator('.reset-button');
        await run.waitFor({ state: 'visible' });
        assert.equal(await reset.count(), 1, 'no undo (reset) button on the exercise');

        // Fix it as a reader would: replace the program with the solution, typed into the editor.
        await editor.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.insertText(solution);
        assert.equal(await value(), solution, 'the editor does not hold what was typed');
        await saveScreenshot(page, 'exercise-being-edited.png');

        await pre.hover();
        await run.click();
        const result = pre.locator('code.result');
        await page.waitForFunction((el) => el.textContent !== 'Running...' && el.textContent.trim() !== '', await result.elementHandle());
        assert.equal(sent.length, 1, 'Run did not ask the playground to evaluate the code');
        assert.equal(sent[0].code, solution, 'Run sent something else than the edited code');
        assert.equal(sent[0].edition, '2024', 'Run asked for another edition than the book uses');
        assert.equal((await result.innerText()).trim(), solved.trim());
        await saveScreenshot(page, 'exercise-run.png');

        await pre.hover();
        await reset.click();
        assert.equal((await value()).trim(), exercise.trim(), 'undo did not bring the exercise back');
        assert.deepEqual(problems, []);
    } finally {
        evaluateHandler = null;
        await page.close();
    }
});

test('a missing page gets the not-found page, which links home and to the search', { timeout: TEST_TIMEOUT }, async () => {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    try {
        const response = await page.goto(`${origin}/borrow-checker-tricks.html`, { waitUntil: 'load' });
        assert.equal(response?.status(), 404, 'a missing page should answer 404');
        const h1 = await page.locator('main h1').first().textContent();
        assert.match(h1 ?? '', /not found/i, 'the 404 page has no "not found" heading');
        const home = await page.locator('main a[href]').evaluateAll((as) => as.map((a) => new URL(a.href).pathname));
        assert.ok(home.includes('/index.html') || home.includes('/'), `no link home on the 404 page: ${home.join(', ')}`);
        const search = page.locator('main a#search-for-missing-page');
        assert.equal(await search.count(), 1, 'no search link on the 404 page');
        const href = new URL(await search.evaluate((a) => a.href));
        assert.equal(href.searchParams.get('search'), 'borrow checker tricks', 'the search link should look for the missing page\'s words');
        // Following it opens the search with those words and finds something.
        await page.goto(href.toString(), { waitUntil: 'load' });
        await page.locator('#mdbook-searchresults a[href]').first().waitFor({ state: 'visible' });
        assert.deepEqual(problems, []);
    } finally {
        await page.close();
    }
});

test('every chapter offers "Suggest an edit" for its own source file when the repository is known', { timeout: TEST_TIMEOUT }, async (t) => {
    // .ci/run sets BOOK_EDIT_URL_TEMPLATE when it built the book with edit links (it knows the
    // repository from GitHub's context or the origin remote); otherwise there must be none.
    const template = process.env.BOOK_EDIT_URL_TEMPLATE;
    const chapters = ['introduction.html', ...summaryChapters().filter((p) => p !== 'introduction.html')];
    const found = [];
    for (const pagePath of chapters) {
        const html = fs.readFileSync(path.join(HTML_DIR, pagePath), 'utf8');
        const edit = html.match(/<a href="([^"]*)"[^>]*rel="edit"/);
        found.push([pagePath, edit?.[1] ?? null]);
    }
    if (!template) {
        t.diagnostic('no repository known to this build (no GITHUB_REPOSITORY, no GitHub origin): checking that no page links to an edit URL');
        assert.deepEqual(found.filter(([, url]) => url), [], 'edit links in a build that was given no repository');
        return;
    }
    const wrong = found
        .map(([pagePath, url]) => [pagePath, url, template.replace('{path}', `src/${pagePath.replace(/\.html$/, '.md')}`)])
        .filter(([, url, want]) => url !== want)
        .map(([pagePath, url, want]) => `${pagePath}: ${url ?? 'no edit link'} (want ${want})`);
    assert.deepEqual(wrong, []);
});

// Permission tables (preprocessor/src/permissions.rs, theme/permissions.css): under their
// listing, a legend linking to the section that explains them, readable in every theme, and on a
// phone the table scrolls inside its box while the page does not scroll sideways.
const PERMISSION_PAGES = ['ownership.html', 'borrowing.html', 'lifetimes.html'];
const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];

/** WCAG contrast ratio between the text colour of `selector`'s elements and what is behind them. */
async function worstContrast(page, selector) {
    return page.evaluate((selector) => {
        const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => {
            const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const behind = (el) => {
            for (let e = el; e; e = e.parentElement) {
                const c = rgb(getComputedStyle(e).backgroundColor);
                if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
            }
            return [255, 255, 255];
        };
        let worst = Infinity;
        for (const el of document.querySelectorAll(selector)) {
            const style = getComputedStyle(el);
            // Faded marks ("-": no permission) are meant to recede; everything else must read.
            const [a, b] = [lum(rgb(style.color)), lum(behind(el))];
            worst = Math.min(worst, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
        }
        return worst;
    }, selector);
}

test('permission tables: under their listings, with a legend, in every theme', { timeout: TEST_TIMEOUT }, async () => {
    let total = 0;
    for (const pagePath of PERMISSION_PAGES) {
        const { page, problems } = await open(pagePath);
        try {
            const tables = page.locator('main .permission-tables');
            const n = await tables.count();
            total += n;
            // Each follows its listing: the element before it is the listing's <pre>.
            const misplaced = await page.evaluate(() =>
                [...document.querySelectorAll('main .permission-tables')]
                    .filter((t) => t.previousElementSibling?.tagName !== 'PRE')
                    .map((t) => t.id),
            );
            assert.deepEqual(misplaced, [], `${pagePath}: tables not right after their listing`);
            for (let i = 0; i < n; i++) {
                const table = tables.nth(i);
                const legend = table.locator('p', { hasText: 'Permissions after each line' });
                assert.equal(await legend.count(), 1, `${pagePath}: table ${i + 1} has no legend`);
                const href = await legend.locator('a').getAttribute('href');
                assert.match(href ?? '', /^(ownership\.html)?#permissions-what-the-borrow-checker-sees$/);
            }
            for (const theme of THEMES) {
                await page.evaluate((theme) => {
                    const html = document.documentElement;
                    html.classList.remove(...['light', 'rust', 'coal', 'navy', 'ayu']);
                    html.classList.add(theme);
                }, theme);
                for (const selector of ['.permission-tables .perm:not(.none)', '.permission-tables th', '.permission-tables .perm-rustc']) {
                    if ((await page.locator(selector).count()) === 0) continue;
                    const ratio = await worstContrast(page, selector);
                    assert.ok(ratio >= 3, `${pagePath}, theme ${theme}: ${selector} has contrast ${ratio.toFixed(2)} < 3`);
                }
            }
            assert.deepEqual(problems, []);
        } finally {
            await page.close();
        }
    }
    assert.ok(total >= 20, `only ${total} permission tables in Ownership, Borrowing and Lifetimes`);
});

test('permission tables: screenshots on a desktop and on a 390-px phone', { timeout: TEST_TIMEOUT }, async () => {
    // A compile-fail listing (its table ends at the error) and the widest table of the book.
    const shots = [
        ['borrowing.html', 'listing-read_while_exclusively_borrowed', 'permissions-read-while-exclusively-borrowed'],
        ['borrowing.html', 'listing-reborrow', 'permissions-reborrow'],
    ];
    for (const [viewport, suffix] of [
        [{ width: 1280, height: 900 }, 'desktop'],
        [{ width: 390, height: 844 }, 'phone'],
    ]) {
        for (const [pagePath, caption, name] of shots) {
            const { page, problems } = await open(pagePath, viewport);
            try {
                const table = page.locator(`#${caption}-permissions`);
                assert.equal(await table.count(), 1, `${pagePath}: no permission table for #${caption}`);
                // The table's end at the bottom of the screen: the listing above it, as far as it fits.
                await table.evaluate((el) => el.scrollIntoView({ block: 'end' }));
                await page.evaluate(() => window.scrollBy(0, 16));
                // The page itself never scrolls sideways; a wide table scrolls in its own box.
                const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
                assert.ok(overflow <= 0, `${pagePath} at ${viewport.width} px scrolls sideways by ${overflow} px`);
                const box = await table.boundingBox();
                assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width + 1, `${caption}: table box ${JSON.stringify(box)}`);
                await saveScreenshot(page, `${name}-${suffix}.png`);
                assert.deepEqual(problems, []);
            } finally {
                await page.close();
            }
        }
    }
});

// ---------------------------------------------------------------------------------------------
// Diagrams in the dark themes. A diagram is an <img> of an SVG: whatever the theme, it is drawn
// on what it paints itself, and where it paints nothing the page shows through. So for every
// text of every diagram the colour behind it is composed from the shapes the SVG paints under
// it (with their opacity, patterns read as their base colour), over the page's background in
// each dark theme; the contrast of the text (WCAG 2 formula) must be at least 4.5.

const DARK_THEMES = ['coal', 'navy', 'ayu'];
const MIN_CONTRAST = 4.5;
const DIAGRAM_PAGE = 'stack-and-heap.html'; // its first diagram is the one photographed

/** Every SVG under the built book's img/, as URL paths. */
function diagrams(dir = path.join(HTML_DIR, 'img'), rel = 'img') {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
            ? diagrams(path.join(dir, e.name), `${rel}/${e.name}`)
            : e.name.endsWith('.svg')
              ? [`${rel}/${e.name}`]
              : [],
    );
}

/** "rgb(1, 2, 3)" or "rgba(1, 2, 3, 0.5)" to [r, g, b, a]; null for anything else. */
function parseColour(css) {
    const m = /^rgba?\(([^)]+)\)$/.exec((css ?? '').trim());
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
}

/** `top` with alpha `alpha` over the opaque colour `under`. */
function over(top, alpha, under) {
    return under.map((u, i) => (i < 3 ? alpha * top[i] + (1 - alpha) * u : 1));
}

function contrast(a, b) {
    const lum = ([r, g, b]) => {
        const lin = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
}

/** Opens `pagePath` in `theme` (mdBook keeps the choice in localStorage). */
async function openInTheme(pagePath, theme) {
    const opened = await open(pagePath);
    await opened.page.evaluate((t) => localStorage.setItem('mdbook-theme', t), theme);
    await opened.page.reload({ waitUntil: 'load' });
    const classes = await opened.page.evaluate(() => document.documentElement.className);
    assert.ok(classes.split(/\s+/).includes(theme), `${pagePath} is not in ${theme} (html class "${classes}")`);
    return opened;
}

/** For each text of the SVG open in `page`: its colour and the layers painted under its middle. */
function textsAndWhatIsUnder(page) {
    return page.evaluate(() => {
        const opacityOf = (el) => {
            let o = 1;
            for (let e = el; e && e instanceof SVGElement; e = e.parentElement) {
                o *= Number(getComputedStyle(e).opacity);
            }
            return o;
        };
        const paint = (el, css) => {
            const url = /url\("?#([^")]+)"?\)/.exec(css);
            if (!url) return css;
            // A pattern: its first filled shape stands for it.
            const shape = document.getElementById(url[1])?.querySelector('rect, path, circle');
            return shape ? getComputedStyle(shape).fill : 'none';
        };
        const out = [];
        for (const text of document.querySelectorAll('text')) {
            const box = text.getBoundingClientRect();
            if (box.width === 0 || !text.textContent.trim()) continue;
            const x = box.left + box.width / 2;
            const y = box.top + box.height / 2;
            const point = new DOMPoint(x, y);
            const layers = []; // top first
            for (const el of document.elementsFromPoint(x, y)) {
                if (el === text || text.contains(el) || el.closest('text')) continue;
                if (!(el instanceof SVGGeometryElement)) continue;
                const local = point.matrixTransform(el.getScreenCTM().inverse());
                const style = getComputedStyle(el);
                let colour = null;
                let alpha = opacityOf(el);
                if (el.isPointInFill(local) && style.fill !== 'none') {
                    colour = paint(el, style.fill);
                    alpha *= Number(style.fillOpacity);
                } else if (el.isPointInStroke(local) && style.stroke !== 'none') {
                    colour = paint(el, style.stroke);
                    alpha *= Number(style.strokeOpacity);
                }
                if (colour && colour !== 'none') layers.push({ colour, alpha, tag: el.tagName });
            }
            const style = getComputedStyle(text);
            out.push({
                text: text.textContent.trim().slice(0, 60),
                colour: paint(text, style.fill),
                alpha: opacityOf(text) * Number(style.fillOpacity),
                layers,
            });
        }
        return out;
    });
}

test('diagrams read well in the dark themes: every text contrasts with what is behind it', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
    const svgs = diagrams();
    assert.ok(svgs.length >= 1, `no diagram (img/**/*.svg) in ${HTML_DIR}`);

    // The page's background in each dark theme, and a photograph of a diagram in coal.
    const backgrounds = {};
    for (const theme of DARK_THEMES) {
        const { page, problems } = await openInTheme(DIAGRAM_PAGE, theme);
        try {
            const img = page.locator('main img[src$=".svg"]').first();
            assert.equal(await img.count(), 1, `${DIAGRAM_PAGE} shows no diagram`);
            await img.evaluate((el) => el.decode());
            backgrounds[theme] = await img.evaluate((el) => {
                for (let e = el.parentElement; e; e = e.parentElement) {
                    const bg = getComputedStyle(e).backgroundColor;
                    if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
                }
                return getComputedStyle(document.documentElement).backgroundColor;
            });
            if (theme === 'coal') {
                await img.scrollIntoViewIfNeeded();
                await page.evaluate(() => window.scrollBy(0, -60));
                await saveScreenshot(page, 'diagram-coal.png');
            }
            assert.deepEqual(problems, []);
        } finally {
            await page.evaluate(() => localStorage.removeItem('mdbook-theme')).catch(() => {});
            await page.close();
        }
    }
    t.diagnostic(`page backgrounds: ${JSON.stringify(backgrounds)}`);

    const failures = [];
    let checked = 0;
    for (const svg of svgs) {
        const page = await context.newPage();
        try {
            const response = await page.goto(`${origin}/${svg}`, { waitUntil: 'load' });
            assert.equal(response?.status(), 200, `${svg}: HTTP ${response?.status()}`);
            for (const { text, colour, alpha, layers } of await textsAndWhatIsUnder(page)) {
                const fg = parseColour(colour);
                if (!fg) {
                    failures.push(`${svg}: "${text}" has a fill the test cannot read (${colour})`);
                    continue;
                }
                for (const theme of DARK_THEMES) {
                    let behind = parseColour(backgrounds[theme]);
                    for (const layer of [...layers].reverse()) {
                        const c = parseColour(layer.colour);
                        if (c) behind = over(c, layer.alpha * c[3], behind);
                    }
                    const seen = over(fg, alpha * fg[3], behind);
                    const ratio = contrast(seen, behind);
                    checked++;
                    if (ratio < MIN_CONTRAST) {
                        const rgb = (c) => `rgb(${c.slice(0, 3).map(Math.round).join(', ')})`;
                        failures.push(
                            `${svg} in ${theme}: "${text}" is ${rgb(seen)} on ${rgb(behind)}, contrast ${ratio.toFixed(2)} < ${MIN_CONTRAST}`,
                        );
                    }
                }
            }
        } finally {
            await page.close();
        }
    }
    t.diagnostic(`${svgs.length} diagrams, ${checked} text/theme pairs checked`);
    assert.deepEqual(failures, [], 'diagram text that does not read well in a dark theme');
});

test('no page asked another host for anything', () => {
    assert.deepEqual(externalRequests, []);
});
