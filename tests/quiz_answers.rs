//! The quizzes at the end of the chapters: `quizzes/<chapter>.toml`, shown by mdbook-quiz where
//! the chapter says `{{#quiz ../quizzes/<chapter>.toml}}`.
//!
//! A `Tracing` question shows a whole program and asks whether it compiles and, if it does, what
//! it prints. Its answer is checked against the compiler, as the listings are:
//!
//! * `doesCompile` must be what rustc, edition 2024, does with the program;
//! * for a program that does not compile, `lineNumber` must be the line of the first error's
//!   primary span (read from rustc's JSON diagnostics), and the question's `context` must name
//!   that line: mdbook-quiz 0.5 never shows `lineNumber` to the reader, only the context;
//! * a program that compiles must run successfully and print exactly `stdout`.
//!
//! mdbook-quiz checks the programs too, during `mdbook build`, in its own way: it runs a plain
//! `rustc main.rs -A warnings` (so edition 2015), compares the output after trimming white space
//! and ignores `lineNumber`; a disagreement fails the build. One test here runs that check as well,
//! so that a program which behaves differently in edition 2015 fails `cargo test` with a clear
//! message rather than `mdbook build`.
//!
//! A `MultipleChoice` question that asks "Which permissions does `p` have right after `stmt`?" about
//! the program in its prompt is checked by the same computation as the permission tables
//! (`book_harness::permissions`): the answer must be the permissions rustc gives, and no
//! distractor may be.
//!
//! A `MultipleChoice` question whose answer is a fact a program can show has that program beside
//! its quiz, `quizzes/<chapter>/<question id>.rs`: it must run successfully, every line it prints
//! must be part of an answer and of no distractor, and every answer must contain one.
//!
//! The programs are compiled in parallel, and what rustc produced (a binary, or its diagnostics)
//! is cached under `CARGO_TARGET_TMPDIR`, keyed by compiler, flags and program, so a warm run only
//! runs the programs.

use book_harness::book::{self, slash};
use book_harness::markdown::{self, DirectiveKind};
use book_harness::permissions;
use book_harness::problem::indent;
use book_harness::toolchain;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// The chapters that end with a quiz; each one's quiz is `quizzes/<its file stem>.toml`.
const CHAPTERS_WITH_QUIZZES: [&str; 7] = [
    "src/ownership.md",
    "src/borrowing.md",
    "src/lifetimes.md",
    "src/smart-pointers.md",
    "src/threads.md",
    "src/case-study.md",
    "src/pitfalls.md",
];

const QUIZ_DIR: &str = "quizzes";

/// How many questions a quiz has: enough to test the chapter, few enough to finish.
const QUESTIONS_PER_QUIZ: RangeInclusive<usize> = 3..=6;

/// A program still running after this long is killed and reported.
const TIMEOUT: Duration = Duration::from_secs(10);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// The quiz files
// ---------------------------------------------------------------------------------------------

/// A quiz file as mdbook-quiz-schema 0.5 reads it (camelCase keys), restricted to the keys the
/// book uses. Unknown keys are refused: mdbook-quiz would silently ignore a misspelt
/// `answer.linenumber`, and the answer would go unchecked.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Quiz {
    questions: Vec<Question>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "type")]
enum Question {
    Tracing(Tracing),
    MultipleChoice(MultipleChoice),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Fields<Prompt, Answer> {
    /// mdbook-quiz writes a random one into the file when it is missing.
    id: Option<String>,
    prompt: Prompt,
    answer: Answer,
    /// Markdown shown once the reader has answered.
    context: Option<String>,
}

type Tracing = Fields<TracingPrompt, TracingAnswer>;
type MultipleChoice = Fields<ChoicePrompt, ChoiceAnswer>;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TracingPrompt {
    program: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TracingAnswer {
    does_compile: bool,
    stdout: Option<String>,
    line_number: Option<usize>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoicePrompt {
    prompt: String,
    distractors: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceAnswer {
    answer: OneOrMany,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn answers(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(answer) => vec![answer],
            OneOrMany::Many(answers) => answers.iter().map(String::as_str).collect(),
        }
    }
}

impl Question {
    fn id(&self) -> Option<&str> {
        match self {
            Question::Tracing(q) => q.id.as_deref(),
            Question::MultipleChoice(q) => q.id.as_deref(),
        }
    }

    fn context(&self) -> Option<&str> {
        match self {
            Question::Tracing(q) => q.context.as_deref(),
            Question::MultipleChoice(q) => q.context.as_deref(),
        }
    }

    fn as_tracing(&self) -> Option<&Tracing> {
        match self {
            Question::Tracing(q) => Some(q),
            Question::MultipleChoice(_) => None,
        }
    }
}

#[derive(Clone, Debug)]
struct QuizFile {
    /// Relative to the book's root, e.g. `quizzes/ownership.toml`.
    path: PathBuf,
    quiz: Quiz,
}

impl QuizFile {
    /// `quizzes/ownership.toml, question 2 (Tracing, id "ownership-drop-order")`: how every
    /// message names a question (numbered from 1, as the reader sees them).
    fn label(&self, number: usize) -> String {
        let what = match &self.quiz.questions[number - 1] {
            Question::Tracing(q) => format!("Tracing, id {:?}", q.id.as_deref().unwrap_or("")),
            Question::MultipleChoice(q) => format!("MultipleChoice: {:?}", q.prompt.prompt.trim()),
        };
        format!("{}, question {number} ({what})", slash(&self.path))
    }

    /// (number, question) for each `Tracing` question.
    fn tracing(&self) -> impl Iterator<Item = (usize, &Tracing)> {
        (1..)
            .zip(&self.quiz.questions)
            .filter_map(|(n, q)| Some((n, q.as_tracing()?)))
    }
}

/// Every `quizzes/*.toml`, parsed once. A file that does not parse stops every test, by name.
fn quizzes() -> &'static [QuizFile] {
    static QUIZZES: OnceLock<Vec<QuizFile>> = OnceLock::new();
    QUIZZES.get_or_init(|| {
        book::files_under(root(), Path::new(QUIZ_DIR))
            .into_iter()
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .map(|path| {
                let text = fs::read_to_string(root().join(&path))
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", slash(&path)));
                let quiz = toml::from_str(&text).unwrap_or_else(|e| {
                    panic!(
                        "{} is not a quiz mdbook-quiz 0.5 can read (or uses a key the book does \
                         not; see \"Add a quiz\" in README.md):\n{e}",
                        slash(&path)
                    )
                });
                QuizFile { path, quiz }
            })
            .collect()
    })
}

fn assert_no_problems(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "\n{} problem(s):\n\n{}\n",
        problems.len(),
        problems.join("\n\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Compiling and running a program
// ---------------------------------------------------------------------------------------------

/// Which compiler check a program goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Check {
    /// The book's own: edition 2024, the line of the first error, the exact output.
    Edition2024,
    /// mdbook-quiz 0.5's, run by `mdbook build`: `rustc main.rs -A warnings` (edition 2015),
    /// output compared after trimming, `lineNumber` ignored.
    MdbookQuiz,
}

impl Check {
    /// `-Cstrip=debuginfo` only keeps the cached binaries small (std's debug info is most of
    /// a binary's 4 MB); it changes nothing about what compiles or what a program prints.
    fn rustc_flags(self) -> &'static [&'static str] {
        match self {
            Check::Edition2024 => &[
                "--edition=2024",
                "--error-format=json",
                "--crate-type=bin",
                "--crate-name=quiz",
                "-Cstrip=debuginfo",
            ],
            Check::MdbookQuiz => &["-A", "warnings", "-Cstrip=debuginfo"],
        }
    }

    fn rustc(self) -> &'static str {
        match self {
            Check::Edition2024 => "rustc (edition 2024)",
            Check::MdbookQuiz => {
                "mdbook-quiz's own check at `mdbook build` (`rustc main.rs -A warnings`, which is \
                 edition 2015)"
            }
        }
    }
}

fn compiler() -> &'static toolchain::Compiler {
    static COMPILER: OnceLock<toolchain::Compiler> = OnceLock::new();
    COMPILER.get_or_init(|| toolchain::Compiler::running().unwrap_or_else(|e| panic!("{e}")))
}

/// Where the quiz programs' binaries (or rustc's refusals) are kept between runs.
fn program_cache() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("quiz-programs")
}

enum Compiled {
    Binary(PathBuf),
    /// rustc refused the program; what it printed on stderr.
    Rejected(String),
}

/// Compiles `program` as `main.rs` in a fresh folder, unless the same compile is cached.
fn compile(program: &str, check: Check) -> Result<Compiled, String> {
    let compiler = compiler();
    let mut hasher = DefaultHasher::new();
    (&compiler.version, check.rustc_flags(), program).hash(&mut hasher);
    let key = format!("{:016x}", hasher.finish());
    let cache = program_cache();
    let binary = cache.join(&key);
    let rejected = cache.join(format!("{key}.rejected"));
    if binary.is_file() {
        return Ok(Compiled::Binary(binary));
    }
    if let Ok(diagnostics) = fs::read_to_string(&rejected) {
        return Ok(Compiled::Rejected(diagnostics));
    }

    fs::create_dir_all(&cache).map_err(|e| format!("cannot create the cache: {e}"))?;
    // A folder of its own, inside the cache: rustc writes its object files next to its output,
    // named after the crate (`main` for every program), so parallel builds must not share one;
    // and the finished binary is renamed into the cache, on the same file system.
    let dir = tempfile::tempdir_in(&cache).map_err(|e| format!("cannot create a temp dir: {e}"))?;
    fs::write(dir.path().join("main.rs"), program).map_err(|e| e.to_string())?;
    let partial = dir.path().join("main");
    let output = Command::new(&compiler.rustc)
        .args(check.rustc_flags())
        .arg("main.rs")
        .arg("-o")
        .arg(&partial)
        .current_dir(dir.path())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", compiler.rustc))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        fs::rename(&partial, &binary).map_err(|e| format!("cannot store the build: {e}"))?;
        return Ok(Compiled::Binary(binary));
    }
    if output.status.code() != Some(1) {
        // Not "the program has errors" (exit status 1): a crash, a missing file. Not cached.
        return Err(format!(
            "{} failed ({}) without reporting errors in the program:\n{}",
            compiler.rustc,
            output.status,
            indent(&stderr)
        ));
    }
    fs::write(&partial, &stderr)
        .and_then(|()| fs::rename(&partial, &rejected))
        .map_err(|e| format!("cannot store rustc's diagnostics: {e}"))?;
    Ok(Compiled::Rejected(stderr))
}

struct Ran {
    success: bool,
    exit: String,
    stdout: String,
    stderr: String,
}

/// Runs a compiled program, killing it after [`TIMEOUT`].
fn run(binary: &Path) -> Result<Ran, String> {
    let ran = book_harness::run::execute(&program_cache(), binary, TIMEOUT).map_err(|why| {
        format!("the program {why}; quiz programs must end quickly and deterministically")
    })?;
    Ok(Ran {
        success: ran.status.success(),
        exit: book_harness::run::describe_exit(ran.status),
        stdout: ran.stdout,
        stderr: ran.stderr,
    })
}

/// One diagnostic of `rustc --error-format=json` (only the fields used here).
#[derive(Deserialize)]
struct Diagnostic {
    message: String,
    level: String,
    spans: Vec<Span>,
    rendered: Option<String>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    is_primary: bool,
    expansion: Option<Box<Expansion>>,
}

#[derive(Deserialize)]
struct Expansion {
    span: Span,
}

impl Span {
    /// The line in `main.rs`; for a span inside a macro's expansion, the line of the macro call.
    fn line_in_program(&self) -> Option<usize> {
        if self.file_name == "main.rs" {
            return Some(self.line_start);
        }
        self.expansion.as_ref()?.span.line_in_program()
    }
}

/// The first error rustc reported: the line of its primary span (if it is in the program), and
/// the error as rustc prints it.
fn first_error(json_lines: &str) -> Option<(Option<usize>, String)> {
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<Diagnostic>(line).ok())
        .find(|d| d.level == "error")
        .map(|d| {
            let line = d
                .spans
                .iter()
                .find(|s| s.is_primary)
                .and_then(Span::line_in_program);
            (line, d.rendered.unwrap_or(d.message))
        })
}

// ---------------------------------------------------------------------------------------------
// Checking an answer
// ---------------------------------------------------------------------------------------------

/// Checks question `number` of `file` against the compiler; `Err` says what is wrong, naming
/// the quiz file and the question. Multiple-choice questions have nothing to compile.
fn check_question(file: &QuizFile, number: usize, check: Check) -> Result<(), String> {
    let Some(question) = file.quiz.questions[number - 1].as_tracing() else {
        return Ok(());
    };
    let program = &question.prompt.program;
    let answer = &question.answer;
    let said = describe_answer(answer);
    let fail = |what_rustc_did: String| -> String {
        format!(
            "{}:\n    the answer says: {said}\n    {}: {what_rustc_did}\n    the program, numbered \
             as the reader sees it:\n{}",
            file.label(number),
            check.rustc(),
            numbered(program)
        )
    };
    let ran = match compile(program, check)? {
        Compiled::Rejected(diagnostics) => {
            if check == Check::MdbookQuiz {
                return if answer.does_compile {
                    Err(fail(format!(
                        "the program does not compile there, so `mdbook build` will fail. Make the \
                         program behave the same in every edition.\n{}",
                        indent(&diagnostics)
                    )))
                } else {
                    Ok(())
                };
            }
            let Some((line, error)) = first_error(&diagnostics) else {
                return Err(fail(format!(
                    "rustc failed without a JSON error:\n{}",
                    indent(&diagnostics)
                )));
            };
            let Some(line) = line else {
                return Err(fail(format!(
                    "the first error has no primary span in the program, so it has no line to \
                     ask about; change the program:\n{}",
                    indent(&error)
                )));
            };
            if answer.does_compile || answer.line_number != Some(line) {
                return Err(fail(format!(
                    "does not compile; the first error is on line {line}:\n{}",
                    indent(&error)
                )));
            }
            return Ok(());
        }
        Compiled::Binary(binary) => run(&binary).map_err(fail)?,
    };
    let printed = format!("it prints:\n{}", indent(&ran.stdout));
    if !answer.does_compile {
        return Err(fail(format!("it compiles, and {printed}")));
    }
    if !ran.success {
        return Err(fail(format!(
            "it compiles, but {} (a quiz program must end successfully; mdbook-quiz refuses \
             one that does not):\n{}",
            ran.exit,
            indent(&ran.stderr)
        )));
    }
    let expected = answer.stdout.as_deref().unwrap_or_default();
    let same = match check {
        Check::Edition2024 => ran.stdout == expected,
        Check::MdbookQuiz => ran.stdout.trim() == expected.trim(),
    };
    if same {
        return Ok(());
    }
    let hint = if ran.stdout.trim() == expected.trim() {
        "\n    (only white space differs: `stdout` must be exact, final newline included; write \
         it as a '''...''' string that ends on a line of its own)"
    } else {
        ""
    };
    Err(fail(format!("it compiles, and {printed}{hint}")))
}

fn describe_answer(answer: &TracingAnswer) -> String {
    match (answer.does_compile, answer.line_number, &answer.stdout) {
        (false, Some(line), _) => format!("does not compile, error on line {line}"),
        (false, None, _) => "does not compile (no lineNumber given)".to_owned(),
        (true, _, Some(stdout)) => format!("compiles and prints:\n{}", indent(stdout)),
        (true, _, None) => "compiles (no stdout given)".to_owned(),
    }
}

/// The program with line numbers, as mdbook-quiz shows it.
fn numbered(program: &str) -> String {
    program
        .lines()
        .zip(1..)
        .map(|(line, n)| format!("        {n:>3} | {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks every `Tracing` question of every quiz, in parallel; returns the problems found.
fn check_every_tracing_question(check: Check) -> (usize, Vec<String>) {
    let jobs: Vec<(&QuizFile, usize)> = quizzes()
        .iter()
        .flat_map(|file| file.tracing().map(move |(number, _)| (file, number)))
        .collect();
    let mut problems = book_harness::parallel::flat_map(&jobs, |&(file, number)| {
        check_question(file, number, check)
            .err()
            .into_iter()
            .collect()
    });
    problems.sort();
    (jobs.len(), problems)
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
fn tracing_answers_are_what_rustc_2024_does_with_the_program() {
    let (checked, problems) = check_every_tracing_question(Check::Edition2024);
    assert!(checked > 0, "no Tracing question found under {QUIZ_DIR}/");
    assert_no_problems(&problems);
}

#[test]
fn tracing_programs_pass_the_check_mdbook_quiz_runs_at_build_time() {
    let (checked, problems) = check_every_tracing_question(Check::MdbookQuiz);
    assert!(checked > 0, "no Tracing question found under {QUIZ_DIR}/");
    assert_no_problems(&problems);
}

/// The answer check can fail: a real question, with its answer changed in memory, is reported,
/// with the quiz file and the question's number.
#[test]
fn a_wrong_tracing_answer_is_reported_with_its_quiz_and_question() {
    let quiz = Path::new(QUIZ_DIR).join("ownership.toml");
    let file = quizzes()
        .iter()
        .find(|f| f.path == quiz)
        .unwrap_or_else(|| panic!("{} is missing", slash(&quiz)));
    let first = |compiles: bool| {
        file.tracing()
            .find(|(_, q)| q.answer.does_compile == compiles)
            .map(|(number, _)| number)
            .unwrap_or_else(|| {
                panic!(
                    "{} needs a Tracing question whose program {} for this test",
                    slash(&quiz),
                    if compiles {
                        "compiles"
                    } else {
                        "does not compile"
                    }
                )
            })
    };
    let (runs, fails) = (first(true), first(false));
    for number in [runs, fails] {
        if let Err(problem) = check_question(file, number, Check::Edition2024) {
            panic!("the unchanged answer must pass for this test to mean anything:\n{problem}");
        }
    }

    type Flip = fn(&mut TracingAnswer);
    let flips: [(&str, usize, Check, Flip, &str); 5] = [
        (
            "doesCompile of a program that compiles",
            runs,
            Check::Edition2024,
            |a| {
                a.does_compile = false;
                a.line_number = Some(1);
                a.stdout = None;
            },
            "it compiles",
        ),
        (
            "stdout of a program that compiles",
            runs,
            Check::Edition2024,
            |a| {
                a.stdout.get_or_insert_default().push_str("one more line\n");
            },
            "it prints",
        ),
        (
            "lineNumber of a program that does not compile",
            fails,
            Check::Edition2024,
            |a| {
                *a.line_number.as_mut().unwrap() += 1;
            },
            "the first error is on line",
        ),
        (
            "doesCompile of a program that does not compile",
            fails,
            Check::Edition2024,
            |a| {
                a.does_compile = true;
                a.line_number = None;
                a.stdout = Some(String::new());
            },
            "does not compile",
        ),
        (
            "doesCompile, checked as mdbook-quiz does",
            runs,
            Check::MdbookQuiz,
            |a| {
                a.does_compile = false;
                a.line_number = Some(1);
                a.stdout = None;
            },
            "it compiles",
        ),
    ];
    for (what, number, check, flip, says) in flips {
        let mut broken = file.clone();
        let Question::Tracing(question) = &mut broken.quiz.questions[number - 1] else {
            unreachable!("found as a Tracing question");
        };
        flip(&mut question.answer);
        let Err(report) = check_question(&broken, number, check) else {
            panic!("a wrong {what} ({}) was not reported", file.label(number));
        };
        let names = format!("{}, question {number} ", slash(&quiz));
        assert!(
            report.starts_with(&names) && report.contains(says),
            "a wrong {what} was reported without naming the quiz and question ({names:?}) or \
             without saying {says:?}:\n{report}"
        );
    }
}

#[test]
fn each_quiz_chapter_ends_with_its_quiz() {
    let mut problems = Vec::new();
    for chapter in CHAPTERS_WITH_QUIZZES {
        let stem = Path::new(chapter).file_stem().unwrap().to_string_lossy();
        let expected = format!("{{{{#quiz ../{QUIZ_DIR}/{stem}.toml}}}}");
        let text = match fs::read_to_string(root().join(chapter)) {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("{chapter}: cannot be read ({e})"));
                continue;
            }
        };
        let last = text.lines().rev().map(str::trim).find(|l| !l.is_empty());
        if last != Some(expected.as_str()) {
            problems.push(format!(
                "{chapter}: must end with its quiz, a `## Quiz` section whose last line is \
                 `{expected}`; its last non-blank line is `{}`",
                last.unwrap_or("")
            ));
        }
    }
    assert_no_problems(&problems);
}

#[test]
fn every_quiz_file_is_included_by_exactly_one_chapter() {
    let chapters = book::summary_entries(root()).expect("src/SUMMARY.md is readable");
    let mut included: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for chapter in &chapters {
        let Ok(source) = fs::read_to_string(root().join(chapter)) else {
            continue; // the integrity test reports a missing chapter
        };
        let parsed = markdown::parse(&source);
        let fenced = parsed.fences.iter().flat_map(|f| &f.directives);
        for directive in parsed.loose_directives.iter().chain(fenced) {
            if directive.kind == DirectiveKind::Quiz {
                included
                    .entry(book::resolve(chapter, &directive.path))
                    .or_default()
                    .push(format!("{}:{}", slash(chapter), directive.line));
            }
        }
    }
    let mut problems = Vec::new();
    for (target, by) in &included {
        if !target.starts_with(QUIZ_DIR) || !root().join(target).is_file() {
            problems.push(format!(
                "{} includes {}, which is not a file under {QUIZ_DIR}/",
                by.join(", "),
                slash(target)
            ));
        }
    }
    for file in book::files_under(root(), Path::new(QUIZ_DIR)) {
        let by = included.get(&file).map_or(&[][..], Vec::as_slice);
        // A program that computes an answer, in the folder named after its quiz (checked by
        // `multiple_choice_answers_are_what_their_programs_compute`).
        let answer_program = file.extension().is_some_and(|e| e == "rs")
            && file
                .parent()
                .is_some_and(|dir| root().join(dir).with_extension("toml").is_file());
        if answer_program {
            continue;
        }
        if file.extension().is_none_or(|e| e != "toml") {
            problems.push(format!(
                "{}: only quiz files (.toml), and the programs that compute an answer \
                 ({QUIZ_DIR}/<quiz>/<question id>.rs), belong in {QUIZ_DIR}/",
                slash(&file)
            ));
        } else if by.len() != 1 {
            problems.push(format!(
                "{}: must be included by exactly one chapter (with a `{{{{#quiz}}}}` line), but \
                 is included {} time(s){}",
                slash(&file),
                by.len(),
                if by.is_empty() {
                    String::new()
                } else {
                    format!(": {}", by.join(", "))
                }
            ));
        }
    }
    assert_no_problems(&problems);
}

#[test]
fn each_quiz_has_3_to_6_questions_at_least_half_of_them_tracing() {
    let mut problems = Vec::new();
    for file in quizzes() {
        let total = file.quiz.questions.len();
        let tracing = file.tracing().count();
        if !QUESTIONS_PER_QUIZ.contains(&total) {
            problems.push(format!(
                "{}: has {total} question(s); a quiz has {} to {}",
                slash(&file.path),
                QUESTIONS_PER_QUIZ.start(),
                QUESTIONS_PER_QUIZ.end()
            ));
        }
        if 2 * tracing < total {
            problems.push(format!(
                "{}: {tracing} of its {total} questions are Tracing; at least half must be, so \
                 that most answers are checked by the compiler",
                slash(&file.path)
            ));
        }
    }
    assert_no_problems(&problems);
}

#[test]
fn every_question_has_a_context_explaining_its_answer() {
    let mut problems = Vec::new();
    for file in quizzes() {
        for (number, question) in (1..).zip(&file.quiz.questions) {
            if question.context().is_none_or(|c| c.trim().is_empty()) {
                problems.push(format!(
                    "{}: has no `context`; say why the answer is right (the reader sees it after \
                     answering)",
                    file.label(number)
                ));
            }
        }
    }
    assert_no_problems(&problems);
}

/// mdbook-quiz gives a question without an `id` a random one by rewriting the quiz file during
/// `mdbook build`, and refuses the book if two questions share one.
#[test]
fn every_question_has_a_unique_id_so_mdbook_build_never_rewrites_a_quiz() {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, String> = HashMap::new();
    for file in quizzes() {
        for (number, question) in (1..).zip(&file.quiz.questions) {
            match question.id().map(str::trim) {
                None | Some("") => problems.push(format!(
                    "{}: has no `id`; give it one, e.g. `id = \"{}-{number}\"`",
                    file.label(number),
                    file.path.file_stem().unwrap().to_string_lossy()
                )),
                Some(id) => {
                    if let Some(other) = seen.insert(id, file.label(number)) {
                        problems.push(format!(
                            "{}: has the same id as {other}; ids must be unique in the book",
                            file.label(number)
                        ));
                    }
                }
            }
        }
    }
    assert_no_problems(&problems);
}

/// mdbook-quiz trims a program before numbering its lines, and never shows `lineNumber`; so a
/// program starts on its first line, and a compile error's line is named in the context.
#[test]
fn tracing_answers_are_complete_and_name_the_error_line_the_reader_sees() {
    let mut problems = Vec::new();
    for file in quizzes() {
        for (number, question) in file.tracing() {
            let label = file.label(number);
            let program = &question.prompt.program;
            let answer = &question.answer;
            if program.trim_start() != program {
                problems.push(format!(
                    "{label}: its program starts with white space, but mdbook-quiz trims it \
                     before numbering the lines, so rustc's line numbers would not be the ones \
                     shown; start the program on the line after `'''`"
                ));
            }
            if program.contains("`[") || program.contains("]`") {
                problems.push(format!(
                    "{label}: its program contains `[ or ]`, which mdbook-quiz turns into \
                     highlighting marks"
                ));
            }
            match (answer.does_compile, answer.line_number, &answer.stdout) {
                (true, None, Some(_)) => {}
                (true, _, _) => problems.push(format!(
                    "{label}: a program that compiles needs `answer.stdout` (what it prints) and \
                     no `answer.lineNumber`"
                )),
                (false, Some(line), None) => {
                    let context = question.context.as_deref().unwrap_or_default();
                    if !names_line(context, line) {
                        problems.push(format!(
                            "{label}: its context must say where the error is (\"line {line}\"): \
                             mdbook-quiz asks only whether the program compiles and never shows \
                             `lineNumber`"
                        ));
                    }
                }
                (false, _, _) => problems.push(format!(
                    "{label}: a program that does not compile needs `answer.lineNumber` (the line \
                     of the first error) and no `answer.stdout` (mdbook-quiz refuses one)"
                )),
            }
        }
    }
    assert_no_problems(&problems);
}

/// True when `text` says "line N" (any case), not as part of "line N0".
fn names_line(text: &str, line: usize) -> bool {
    let text = text.to_lowercase();
    let wanted = format!("line {line}");
    text.match_indices(&wanted).any(|(at, _)| {
        !text[at + wanted.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn multiple_choice_questions_have_answers_distinct_from_their_distractors() {
    let mut problems = Vec::new();
    for file in quizzes() {
        for (number, question) in (1..).zip(&file.quiz.questions) {
            let Question::MultipleChoice(q) = question else {
                continue;
            };
            let answers = q.answer.answer.answers();
            let label = file.label(number);
            if q.prompt.prompt.trim().is_empty() {
                problems.push(format!("{label}: has an empty prompt"));
            }
            if answers.is_empty() || answers.iter().any(|a| a.trim().is_empty()) {
                problems.push(format!("{label}: needs a non-empty answer"));
            }
            if q.prompt.distractors.is_empty() {
                problems.push(format!("{label}: needs at least one distractor"));
            }
            for distractor in &q.prompt.distractors {
                if answers.contains(&distractor.as_str()) {
                    problems.push(format!(
                        "{label}: {distractor:?} is both an answer and a distractor"
                    ));
                }
            }
        }
    }
    assert_no_problems(&problems);
}

// ---------------------------------------------------------------------------------------------
// Multiple-choice answers a program computes
// ---------------------------------------------------------------------------------------------

/// The program that computes a multiple-choice question's answer, if the question has one:
/// `quizzes/<quiz>/<question id>.rs`, beside the quiz.
fn answer_program(file: &QuizFile, id: &str) -> PathBuf {
    file.path.with_extension("").join(format!("{id}.rs"))
}

/// A multiple-choice question whose answer is a fact a program can show (a size, which types
/// are `Copy`, what is dropped and when) has a program beside the quiz that prints it. The
/// program is compiled as edition 2024 and must run successfully; each line it prints must be
/// part of an answer and of no distractor, and each answer must contain a line it printed, so
/// that the program, not the author, picks the answers among the choices.
fn check_answer_program(file: &QuizFile, number: usize, program: &Path) -> Result<(), String> {
    let label = file.label(number);
    let Question::MultipleChoice(q) = &file.quiz.questions[number - 1] else {
        return Err(format!(
            "{label}: {} computes the answer of a multiple-choice question, but this one is \
             not; rename it after a multiple-choice question's id, or delete it",
            slash(program)
        ));
    };
    let source = fs::read_to_string(root().join(program))
        .map_err(|e| format!("{label}: cannot read {}: {e}", slash(program)))?;
    let binary = match compile(&source, Check::Edition2024)? {
        Compiled::Binary(binary) => binary,
        Compiled::Rejected(diagnostics) => {
            let error = first_error(&diagnostics).map_or(diagnostics, |(_, e)| e);
            return Err(format!(
                "{label}: its answer's program {} does not compile:\n{}",
                slash(program),
                indent(&error)
            ));
        }
    };
    let ran = run(&binary).map_err(|why| format!("{label}: {}: {why}", slash(program)))?;
    if !ran.success {
        return Err(format!(
            "{label}: its answer's program {} {}:\n{}",
            slash(program),
            ran.exit,
            indent(&ran.stderr)
        ));
    }
    let printed: Vec<&str> = ran
        .stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let answers = q.answer.answer.answers();
    let mut wrong = Vec::new();
    if printed.is_empty() {
        wrong.push("it prints nothing".to_owned());
    }
    for line in &printed {
        if !answers.iter().any(|a| a.contains(line)) {
            wrong.push(format!("it prints {line:?}, which no answer says"));
        }
        if let Some(d) = q.prompt.distractors.iter().find(|d| d.contains(line)) {
            wrong.push(format!(
                "it prints {line:?}, which the distractor {d:?} says"
            ));
        }
    }
    for answer in &answers {
        if !printed.iter().any(|line| answer.contains(line)) {
            wrong.push(format!(
                "nothing it prints is part of the answer {answer:?}"
            ));
        }
    }
    if wrong.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{label}: the answer is not what its program {} computes: {}. Fix the answer (or the \
         program, if it asks the wrong question). It printed:\n{}",
        slash(program),
        wrong.join("; "),
        indent(&ran.stdout)
    ))
}

/// (programs checked, problems): every `.rs` beside a quiz, each checked against the question
/// it is named after.
fn answer_program_problems(quizzes: &[QuizFile]) -> (usize, Vec<String>) {
    let mut checked = 0;
    let mut problems = Vec::new();
    for file in quizzes {
        let dir = file.path.with_extension("");
        let programs = book::files_under(root(), &dir)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "rs"));
        for program in programs {
            let id = program.file_stem().unwrap_or_default().to_string_lossy();
            let Some(number) = (1..)
                .zip(&file.quiz.questions)
                .find(|(_, q)| q.id() == Some(&*id))
                .map(|(n, _)| n)
            else {
                problems.push(format!(
                    "{}: no question of {} has the id {id:?}; name the program after the \
                     question whose answer it computes, or delete it",
                    slash(&program),
                    slash(&file.path)
                ));
                continue;
            };
            checked += 1;
            if let Err(problem) = check_answer_program(file, number, &program) {
                problems.push(problem);
            }
        }
    }
    (checked, problems)
}

#[test]
fn multiple_choice_answers_are_what_their_programs_compute() {
    let (checked, problems) = answer_program_problems(quizzes());
    assert!(checked > 0, "no program beside a quiz computes an answer");
    assert_no_problems(&problems);
}

/// The check can fail: a question whose answer is changed to one of its distractors is
/// reported, with the quiz, the question and the program named.
#[test]
fn a_multiple_choice_answer_its_program_disagrees_with_is_reported() {
    let (file, number, program) = quizzes()
        .iter()
        .flat_map(|f| (1..).zip(&f.quiz.questions).map(move |(n, q)| (f, n, q)))
        .find_map(|(f, n, q)| {
            let program = answer_program(f, q.id()?);
            root().join(&program).is_file().then_some((f, n, program))
        })
        .expect("a question with a program beside its quiz");
    let mut broken = file.clone();
    let Question::MultipleChoice(q) = &mut broken.quiz.questions[number - 1] else {
        unreachable!()
    };
    let (answer, distractor) = (
        q.answer.answer.answers()[0].to_owned(),
        q.prompt.distractors[0].clone(),
    );
    q.answer.answer = OneOrMany::One(distractor.clone());
    q.prompt.distractors[0] = answer;
    let report = check_answer_program(&broken, number, &program).expect_err("a wrong answer");
    assert!(
        report.starts_with(&file.label(number))
            && report.contains(&slash(&program))
            && report.contains("is not what its program"),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------------
// Questions about permissions
// ---------------------------------------------------------------------------------------------

/// What a permission question asks: the program, the line whose statement it names, the path.
struct PermissionQuestion {
    program: String,
    line: usize,
    path: String,
}

/// Reads "Which permissions does `p` have right after `stmt`?" and the ```rust program out of a
/// prompt; None when the prompt asks no such thing, Err when it asks but cannot be read.
fn permission_question(prompt: &str) -> Option<Result<PermissionQuestion, String>> {
    let asks = prompt.find("Which permissions does `")?;
    Some((|| {
        let rest = &prompt[asks + "Which permissions does `".len()..];
        let (path, rest) = rest.split_once("` have right after `").ok_or(
            "write the question as \"Which permissions does `p` have right after `statement`?\"",
        )?;
        let statement = rest.split('`').next().unwrap_or_default();
        let program = prompt
            .split_once("```rust\n")
            .and_then(|(_, rest)| rest.split_once("```"))
            .map(|(program, _)| program.to_owned())
            .ok_or("the prompt needs the program in a ```rust fence")?;
        let lines: Vec<usize> = (1..)
            .zip(program.lines())
            .filter(|(_, l)| l.contains(statement))
            .map(|(n, _)| n)
            .collect();
        let [line] = lines[..] else {
            return Err(format!(
                "`{statement}` must be on exactly one line of the program, not {}",
                lines.len()
            ));
        };
        Ok(PermissionQuestion {
            program,
            line,
            path: path.to_owned(),
        })
    })())
}

/// The letters a choice names ("R and O" → R, O; "none" → nothing); None if it names none.
fn letters(choice: &str) -> Option<BTreeSet<char>> {
    let words: Vec<&str> = choice
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| w.eq_ignore_ascii_case("none")) {
        return Some(BTreeSet::new());
    }
    let found: BTreeSet<char> = words
        .iter()
        .filter_map(|w| match *w {
            "R" => Some('R'),
            "W" => Some('W'),
            "O" => Some('O'),
            _ => None,
        })
        .collect();
    (!found.is_empty()).then_some(found)
}

fn check_permission_question(file: &QuizFile, number: usize) -> Result<(), String> {
    let Question::MultipleChoice(q) = &file.quiz.questions[number - 1] else {
        return Ok(());
    };
    let label = file.label(number);
    let Some(asked) = permission_question(&q.prompt.prompt) else {
        return Ok(());
    };
    let asked = asked.map_err(|why| format!("{label}: {why}"))?;
    let options = permissions::Options {
        compiler: compiler().clone(),
        cache_dir: Path::new(env!("CARGO_TARGET_TMPDIR")).join("quiz-permission-tables"),
        bless: false,
    };
    let table = permissions::table(&asked.program, permissions::Mode::Batched, &options)
        .map_err(|e| format!("{label}: {e}"))?;
    let (function, row) = table.row_at(asked.line).ok_or(format!(
        "{label}: the table of its program has no row for line {} (no statement ends there, or \
         rustc rejects an earlier line)",
        asked.line
    ))?;
    let perms = function.cell(row, &asked.path).ok_or(format!(
        "{label}: `{}` is not in scope after line {}",
        asked.path, asked.line
    ))?;
    let truth: BTreeSet<char> = perms
        .letters()
        .iter()
        .filter(|l| l.1)
        .map(|l| l.0)
        .collect();
    let answers = q.answer.answer.answers();
    let [answer] = answers[..] else {
        return Err(format!(
            "{label}: a permission question has exactly one answer"
        ));
    };
    let said = letters(answer).ok_or(format!(
        "{label}: the answer {answer:?} names no permission"
    ))?;
    if said != truth {
        return Err(format!(
            "{label}: the answer says {answer:?}, but rustc gives `{}` {perms} after line {} (R: \
             `let _ = &p;` compiles there, W: `let _ = &mut p;`, O: `drop(p)`)",
            asked.path, asked.line
        ));
    }
    for distractor in &q.prompt.distractors {
        let named =
            letters(distractor).ok_or(format!("{label}: {distractor:?} names no permission"))?;
        if named == truth {
            return Err(format!(
                "{label}: the distractor {distractor:?} is right too"
            ));
        }
    }
    Ok(())
}

fn permission_problems() -> (usize, Vec<String>) {
    let mut asked = 0;
    let mut problems = Vec::new();
    for file in quizzes() {
        for (number, question) in (1..).zip(&file.quiz.questions) {
            if let Question::MultipleChoice(q) = question
                && permission_question(&q.prompt.prompt).is_some()
            {
                asked += 1;
                if let Err(problem) = check_permission_question(file, number) {
                    problems.push(problem);
                }
            }
        }
    }
    (asked, problems)
}

#[test]
fn permission_answers_are_what_rustc_computes() {
    let (asked, problems) = permission_problems();
    assert!(
        asked > 0,
        "no question asks \"Which permissions does `p` have right after ...\""
    );
    assert_no_problems(&problems);
}

/// The check can fail: the question with its answer changed to a distractor is reported.
#[test]
fn a_wrong_permission_answer_is_reported_with_its_quiz_and_question() {
    let (file, number) = quizzes()
        .iter()
        .flat_map(|f| (1..).zip(&f.quiz.questions).map(move |(n, q)| (f, n, q)))
        .find_map(|(f, n, q)| match q {
            Question::MultipleChoice(m) if permission_question(&m.prompt.prompt).is_some() => {
                Some((f, n))
            }
            _ => None,
        })
        .expect("a permission question");
    let mut broken = file.clone();
    let Question::MultipleChoice(q) = &mut broken.quiz.questions[number - 1] else {
        unreachable!()
    };
    let wrong = q.prompt.distractors[0].clone();
    q.answer.answer = OneOrMany::One(wrong);
    let report = check_permission_question(&broken, number).expect_err("a wrong answer");
    assert!(
        report.starts_with(&file.label(number)) && report.contains("but rustc gives"),
        "{report}"
    );
}
