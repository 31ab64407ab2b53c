// Builds the offline copy of the book, rust-memory-verified.pdf, from mdBook's print page
// (print.html: every chapter on one page), printed by headless Chromium. Run after
// `mdbook build` by .ci/run and by CI's Pages jobs, which publish it next to the HTML:
//
//     node tests/browser/pdf.mjs            # writes <HTML_DIR>/rust-memory-verified.pdf
//
// Page size: A4, with margins wide enough that the text block (170 x 247 mm) also fits on US
// Letter (216 x 279 mm) when a reader prints it there, so one file serves both. Long compiler
// lines wrap instead of running off the page, and a listing is kept with its caption and error
// where the page allows; see the @media print rules in theme/print.css.
//
// Nothing is fetched from another host: the print page is served from 127.0.0.1, and the
// playground's crate-list request (Run buttons, which print hides anyway) is answered locally.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
    HTML_DIR,
    NAVIGATION_TIMEOUT,
    PDF_NAME,
    REPO,
    bookToml,
    launchBrowser,
    startServer,
    stopServer,
} from './support.mjs';

const PLAYGROUND_CRATES = 'https://play.rust-lang.org/meta/crates';

/** What the title page says: the book, what verified it, and which version of the source. */
function titlePage(title) {
    const description = (bookToml.match(/^description\s*=\s*"([^"]*)"/m) || [])[1] || '';
    let verified = '';
    try {
        verified = fs.readFileSync(path.join(REPO, 'listings', 'rustc-version.txt'), 'utf8').trim();
    } catch {
        // A book without compile-fail listings records no compiler; the page just says less.
    }
    let commit = process.env.GITHUB_SHA || '';
    if (!commit) {
        try {
            commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
        } catch {
            // Not a git checkout (a tarball, say): the page omits the commit.
        }
    }
    return { title, description, verified, commit: commit.slice(0, 12), date: new Date().toISOString().slice(0, 10) };
}

/** Runs in the page: puts a title page before the first chapter. */
function addTitlePage({ title, description, verified, commit, date }) {
    const main = document.querySelector('main');
    const section = document.createElement('section');
    section.className = 'pdf-title-page';
    const line = (tag, text) => {
        const el = document.createElement(tag);
        el.textContent = text;
        section.append(el);
    };
    line('h1', title);
    if (description) line('p', description);
    if (verified) line("p", `Verified with ${verified}.`);
    line('p', `Printed ${date}${commit ? ` from commit ${commit}` : ''}.`);
    main.prepend(section);
}

export async function buildPdf(out = path.join(HTML_DIR, PDF_NAME)) {
    if (!fs.existsSync(path.join(HTML_DIR, 'print.html'))) {
        throw new Error(`no ${path.join(HTML_DIR, 'print.html')}: run \`mdbook build\` first`);
    }
    const server = await startServer(HTML_DIR);
    const origin = `http://127.0.0.1:${server.address().port}`;
    const { context, close } = await launchBrowser();
    try {
        const refused = [];
        await context.route('**/*', async (route) => {
            const request = route.request();
            const url = request.url();
            if (url.startsWith(origin + '/')) return route.continue();
            if (url === PLAYGROUND_CRATES && request.method() === 'POST') {
                return route.fulfill({
                    status: 200,
                    contentType: 'application/json',
                    headers: { 'access-control-allow-origin': '*' },
                    body: JSON.stringify({ crates: [] }),
                });
            }
            refused.push(url);
            return route.abort('blockedbyclient');
        });
        const page = await context.newPage();
        // The print page calls window.print() on load, which would hold Chromium's one print job.
        await page.addInitScript(() => {
            window.print = () => {};
        });
        await page.goto(`${origin}/print.html`, { waitUntil: 'load' });
        await page.waitForLoadState('networkidle', { timeout: NAVIGATION_TIMEOUT });
        // Images (the SVG diagrams) must be decoded before printing.
        await page.evaluate(() => Promise.all([...document.images].map((img) => img.decode().catch(() => {}))));
        // The exercises' solutions are in <details>, closed on the page; Chromium prints a closed
        // one as its summary alone. On paper there is nothing to click: print them open.
        await page.evaluate(() => {
            for (const details of document.querySelectorAll('details')) details.open = true;
        });
        await page.emulateMedia({ media: 'print' });
        const title = (await page.title()).replace(/\s+/g, ' ').trim();
        await page.evaluate(addTitlePage, titlePage(title));
        await page.pdf({
            path: out,
            format: 'A4',
            margin: { top: '22mm', bottom: '25mm', left: '20mm', right: '20mm' },
            printBackground: true,
            displayHeaderFooter: true,
            headerTemplate: '<span></span>',
            footerTemplate:
                '<div style="width:100%;font-size:8px;color:#666;text-align:center;">' +
                `${title.replace(/[<&]/g, '')} · <span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
            outline: true,
            tagged: true,
            timeout: 120_000,
        });
        if (refused.length) throw new Error(`the print page asked other hosts for: ${refused.join(', ')}`);
        return out;
    } finally {
        await close();
        await stopServer(server);
    }
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const started = Date.now();
    const out = await buildPdf(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
    const size = fs.statSync(out).size;
    console.log(
        `wrote ${path.relative(REPO, out)} (${(size / 1024 / 1024).toFixed(1)} MiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
}
