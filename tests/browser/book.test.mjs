// The built book, read as a reader reads it: Debian's headless Chromium, driven by
// playwright-core, loads every page from a static server on 127.0.0.1 and checks what a person
// would see. Run by .ci/run after `mdbook build`:
//
//     (cd tests/browser && npm ci) && node --test tests/browser/
//
// Environment:
//   BOOK_HTML_DIR          the built HTML (default: book/html when book.toml has more than one
//                          [output.*] table, else book/)
//   CHROMIUM               the browser (default /usr/bin/chromium); never downloaded
//   BOOK_EXPECT_CAPTIONS   1/0: whether listing captions must be there (default: yes when
//                          book.toml has [preprocessor.listings] or preprocessor/ is the
//                          mdbook-listings crate)
//   SCREENSHOT_DIR         where screenshots go (default target/screenshots)
//
// The book must load nothing from another host. One request is allowed and answered here
// without touching the network: mdBook's book.js asks the Rust playground for its crate list
// (POST https://play.rust-lang.org/meta/crates) on every page with a runnable listing, and shows
// the Run buttons only when that answers. It is not a page resource; it is what the Run button
// is for. Any other request off 127.0.0.1 fails the test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOT_DIR = path.resolve(REPO, process.env.SCREENSHOT_DIR || 'target/screenshots');
const PLAYGROUND_CRATES = 'https://play.rust-lang.org/meta/crates';

// Every wait is bounded by one of these.
const ACTION_TIMEOUT = 10_000;
const NAVIGATION_TIMEOUT = 20_000;
const LAUNCH_TIMEOUT = 30_000;
const TEST_TIMEOUT = 120_000;

// ---------------------------------------------------------------------------------------------
// What the book is: read from book.toml and src/SUMMARY.md, not assumed.

const bookToml = fs.readFileSync(path.join(REPO, 'book.toml'), 'utf8');
const tables = [...bookToml.matchAll(/^[ \t]*\[([A-Za-z0-9_.-]+)\][ \t]*(?:#.*)?$/gm)].map((m) => m[1]);
const outputs = tables.filter((t) => /^output\.[^.]+$/.test(t));
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

// With more than one renderer, mdBook gives each its own directory under book/.
const HTML_DIR = path.resolve(
    REPO,
    process.env.BOOK_HTML_DIR || (outputs.length > 1 ? 'book/html' : 'book'),
);

/** The chapters, in order, as SUMMARY.md lists them: `ownership.html`, ... */
function summaryChapters() {
    const summary = fs.readFileSync(path.join(REPO, 'src', 'SUMMARY.md'), 'utf8');
    const pages = [];
    for (const m of summary.matchAll(/\[[^\]]*\]\(([^)\s]+\.md)\)/g)) {
        const html = m[1].replace(/^\.\//, '').replace(/(^|\/)README\.md$/, '$1index.md');
        pages.push(html.replace(/\.md$/, '.html'));
    }
    return pages;
}

// ---------------------------------------------------------------------------------------------
// A static server on 127.0.0.1, port chosen by the kernel.

const CONTENT_TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.gif': 'image/gif',
    '.ico': 'image/x-icon',
    '.woff': 'font/woff',
    '.woff2': 'font/woff2',
    '.ttf': 'font/ttf',
    '.txt': 'text/plain; charset=utf-8',
    '.map': 'application/json',
};

function startServer(root) {
    const server = http.createServer((req, res) => {
        let pathname;
        try {
            pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
        } catch {
            res.writeHead(400).end();
            return;
        }
        let file = path.join(root, pathname);
        if (file !== root && !file.startsWith(root + path.sep)) {
            res.writeHead(403).end();
            return;
        }
        try {
            if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
            const body = fs.readFileSync(file);
            res.writeHead(200, {
                'content-type': CONTENT_TYPES[path.extname(file)] || 'application/octet-stream',
                'cache-control': 'no-store',
            });
            res.end(req.method === 'HEAD' ? undefined : body);
        } catch {
            res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        }
    });
    // A browser keeps connections open; never let one hold the test up at the end.
    server.keepAliveTimeout = 1000;
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}

// ---------------------------------------------------------------------------------------------
// Shared state: one server and one browser for the whole file, always closed in `after`.

let server;
let origin;
let context;
let userDataDir;
const externalRequests = []; // "METHOD url (page)" for every request off 127.0.0.1 that was refused
const playgroundRequests = []; // pages that asked the playground for its crate list
const visited = new Map(); // page path -> { ids: Set, links: [{ href, text }] }

before(async () => {
    assert.ok(
        fs.existsSync(path.join(HTML_DIR, 'index.html')),
        `no built book in ${HTML_DIR}: run \`mdbook build\` first`,
    );
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found: apt-get install chromium`);
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });

    server = await startServer(HTML_DIR);
    origin = `http://127.0.0.1:${server.address().port}`;

    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'book-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
        ],
        viewport: { width: 1280, height: 900 },
        timeout: LAUNCH_TIMEOUT,
        serviceWorkers: 'block',
    });
    context.setDefaultTimeout(ACTION_TIMEOUT);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);

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
        externalRequests.push(`${request.method()} ${url} (from ${from})`);
        return route.abort('blockedbyclient');
    });
});

after(async () => {
    // Each step on its own, so that one failing still lets the others run.
    if (context) {
        // Bounded too: if the browser does not close in time, Playwright kills it when this
        // process exits.
        await Promise.race([
            context.close().catch((e) => console.error('closing the browser:', e)),
            new Promise((resolve) => setTimeout(resolve, ACTION_TIMEOUT).unref()),
        ]);
    }
    if (server) {
        server.closeAllConnections?.();
        await new Promise((resolve) => server.close(resolve));
    }
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

/**
 * Opens `pagePath` in a new tab and records everything that goes wrong while it is open:
 * console errors, uncaught exceptions, failed requests, HTTP errors.
 */
async function open(pagePath) {
    const page = await context.newPage();
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

function screenshotPath(name) {
    return path.join(SCREENSHOT_DIR, name);
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
        // Nothing marked does_not_compile may be a playground.
        assert.equal(await page.locator('main pre.playground:has(> code.does_not_compile)').count(), 0);

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
