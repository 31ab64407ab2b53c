// The offline copy, rust-memory-verified.pdf, as a reader gets it: it opens, has a sane number
// of pages, and its text holds every chapter, the caption of a known listing, a compiler error
// and an exercise's solution (printed open). Two pages are rendered to PNG next to the browser test's screenshots, to look at.
// Run by .ci/run after `node tests/browser/pdf.mjs` (which builds the PDF):
//
//     node --test tests/browser/
//
// Needs poppler-utils (pdfinfo, pdftotext, pdftoppm): apt-get install poppler-utils.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HTML_DIR, PDF_NAME, REPO, screenshotPath, summaryEntries } from './support.mjs';

const PDF = path.join(HTML_DIR, PDF_NAME);

function poppler(tool, args) {
    try {
        return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    } catch (e) {
        if (e.code === 'ENOENT') {
            assert.fail(`${tool} not found: apt-get install poppler-utils`);
        }
        throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.message}`);
    }
}

/** The text of every page, whitespace folded (pdftotext breaks lines where the page did). */
function pages() {
    const raw = poppler('pdftotext', ['-enc', 'UTF-8', PDF, '-']);
    return raw.split('\f').map((p) => p.replace(/\s+/g, ' ').trim());
}

/** The first compile-fail listing's caption in the ownership chapter, as the HTML shows it. */
function knownCaption() {
    const html = fs.readFileSync(path.join(HTML_DIR, 'ownership.html'), 'utf8');
    const caption = [...html.matchAll(/<p class="listing-caption"[^>]*>([\s\S]*?)<\/p>/g)].find((m) =>
        m[1].includes('listing-badge does-not-compile'),
    );
    assert.ok(caption, 'ownership.html has no compile-fail listing caption to look for in the PDF');
    const text = caption[1]
        .replace(/<span class="listing-badge[\s\S]*?<\/span>/g, '')
        .replace(/<(code|a) class="listing-source[\s\S]*?<\/\1>/g, '')
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/\s+/g, ' ')
        .trim();
    assert.match(text, /^Listing \d+-\d+: \S/, `unexpected caption text "${text}"`);
    return text;
}

test('the PDF opens and has a sane number of pages', () => {
    assert.ok(fs.existsSync(PDF), `no ${path.relative(REPO, PDF)}: run \`node tests/browser/pdf.mjs\` after \`mdbook build\``);
    const info = poppler('pdfinfo', [PDF]);
    const count = Number(info.match(/^Pages:\s+(\d+)/m)?.[1]);
    const chapters = summaryEntries().length;
    // About 15-25 pages a chapter today; far fewer means chapters are missing, far more that
    // something is printed page by page (an image per page, a broken stylesheet).
    assert.ok(count >= 5 * chapters && count <= 80 * chapters, `${count} pages for ${chapters} chapters`);
    assert.match(info, /^Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)/m, 'the PDF is not A4');
    assert.match(info, /^Title:\s+\S/m, 'the PDF has no title');
});

test('its text has every chapter, a listing caption and a compiler error', () => {
    const text = pages().join(' ');
    const missing = summaryEntries()
        .map((e) => e.title.replace(/\s+/g, ' '))
        .filter((title) => !text.includes(title));
    assert.deepEqual(missing, [], 'chapter titles not found in the PDF text');
    const caption = knownCaption();
    assert.ok(text.includes(caption), `the PDF does not contain the caption "${caption}"`);
    assert.match(text, /error\[E0382\]/, 'the PDF shows no error[E0382]');
});

/** The opening words of the first solution's explanation in the ownership chapter (a <p> inside
 * its <details>), as text. */
function knownSolutionWords() {
    const html = fs.readFileSync(path.join(HTML_DIR, 'ownership.html'), 'utf8');
    const details = html.match(/<details>([\s\S]*?)<\/details>/);
    assert.ok(details, 'ownership.html has no <details> (an exercise solution) to look for in the PDF');
    const paragraph = details[1].match(/<p>([\s\S]*?)<\/p>/);
    assert.ok(paragraph, "the ownership chapter's first solution has no paragraph of explanation");
    const words = paragraph[1]
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/\s+/g, ' ')
        .trim()
        .split(' ')
        .slice(0, 8)
        .join(' ');
    assert.ok(words.length > 20, `too few words to look for: "${words}"`);
    return words;
}

test('the exercise solutions are printed, not folded away', () => {
    const words = knownSolutionWords();
    assert.ok(pages().join(' ').includes(words), `the PDF does not contain the solution text "${words}"`);
});

test('two pages rendered for a person to look at', () => {
    const all = pages();
    const caption = knownCaption();
    const captionPage = all.findIndex((p) => p.includes(caption)) + 1;
    assert.ok(captionPage > 1, `no page holds "${caption}"`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'book-pdf-'));
    try {
        for (const [page, name] of [
            [1, 'pdf-title-page.png'],
            [captionPage, 'pdf-compile-fail-listing.png'],
        ]) {
            const prefix = path.join(tmp, `p${page}`);
            poppler('pdftoppm', ['-png', '-r', '80', '-singlefile', '-f', String(page), '-l', String(page), PDF, prefix]);
            fs.copyFileSync(`${prefix}.png`, screenshotPath(name));
            console.log(`screenshot: ${path.relative(REPO, screenshotPath(name))} (PDF page ${page})`);
        }
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
});
