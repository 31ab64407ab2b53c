// What the browser test (book.test.mjs), the PDF build (pdf.mjs) and the PDF test
// (pdf.test.mjs) share: where the built book is, a static server for it on 127.0.0.1, and
// Debian's headless Chromium (never downloaded).
//
// Environment:
//   BOOK_HTML_DIR   the built HTML (default: book/html when book.toml has more than one
//                   [output.*] table, else book/)
//   CHROMIUM        the browser (default /usr/bin/chromium)
//   SCREENSHOT_DIR  where screenshots go (default target/screenshots)

import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(REPO, process.env.SCREENSHOT_DIR || 'target/screenshots');

// Every wait is bounded by one of these.
export const ACTION_TIMEOUT = 10_000;
export const NAVIGATION_TIMEOUT = 20_000;
export const LAUNCH_TIMEOUT = 30_000;
export const TEST_TIMEOUT = 120_000;

// ---------------------------------------------------------------------------------------------
// What the book is: read from book.toml and src/SUMMARY.md, not assumed.

export const bookToml = fs.readFileSync(path.join(REPO, 'book.toml'), 'utf8');
export const tables = [...bookToml.matchAll(/^[ \t]*\[([A-Za-z0-9_.-]+)\][ \t]*(?:#.*)?$/gm)].map((m) => m[1]);
const outputs = tables.filter((t) => /^output\.[^.]+$/.test(t));

// With more than one renderer, mdBook gives each its own directory under book/.
export const HTML_DIR = path.resolve(
    REPO,
    process.env.BOOK_HTML_DIR || (outputs.length > 1 ? 'book/html' : 'book'),
);

/** The file name of the offline copy, built into the HTML directory by pdf.mjs. */
export const PDF_NAME = 'rust-memory-verified.pdf';

/** SUMMARY.md's entries, in order: `{ title, html }` (`ownership.html`, ...). */
export function summaryEntries() {
    const summary = fs.readFileSync(path.join(REPO, 'src', 'SUMMARY.md'), 'utf8');
    const entries = [];
    for (const m of summary.matchAll(/\[([^\]]*)\]\(([^)\s]+\.md)\)/g)) {
        const html = m[2].replace(/^\.\//, '').replace(/(^|\/)README\.md$/, '$1index.md');
        entries.push({ title: m[1], html: html.replace(/\.md$/, '.html') });
    }
    return entries;
}

/** The chapters, in order, as SUMMARY.md lists them: `ownership.html`, ... */
export function summaryChapters() {
    return summaryEntries().map((e) => e.html);
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
    '.pdf': 'application/pdf',
};

/** Serves `root`; a missing file gets mdBook's 404.html (as GitHub Pages does) with status 404. */
export function startServer(root) {
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
            const notFound = path.join(root, '404.html');
            if (fs.existsSync(notFound)) {
                res.writeHead(404, { 'content-type': CONTENT_TYPES['.html'] }).end(fs.readFileSync(notFound));
            } else {
                res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
            }
        }
    });
    // A browser keeps connections open; never let one hold the test up at the end.
    server.keepAliveTimeout = 1000;
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}

export async function stopServer(server) {
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
}

// ---------------------------------------------------------------------------------------------
// The browser.

/**
 * Starts Chromium with a fresh profile and the flags this machine needs (no background
 * networking: the sandbox refuses it). Returns `{ context, close }`.
 */
export async function launchBrowser(options = {}) {
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(`${CHROMIUM} not found: apt-get install chromium (or set CHROMIUM)`);
    }
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'book-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
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
        ...options,
    });
    context.setDefaultTimeout(ACTION_TIMEOUT);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
    const close = async () => {
        // Bounded: if the browser does not close in time, Playwright kills it when this process
        // exits.
        await Promise.race([
            context.close().catch((e) => console.error('closing the browser:', e)),
            new Promise((resolve) => setTimeout(resolve, ACTION_TIMEOUT).unref()),
        ]);
        fs.rmSync(userDataDir, { recursive: true, force: true });
    };
    return { context, close };
}

export function screenshotPath(name) {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    return path.join(SCREENSHOT_DIR, name);
}
