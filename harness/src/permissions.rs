//! Permission tables: what the borrow checker allows for each path of a listing, after each
//! line, computed by asking rustc.
//!
//! For a point *k* between two statements of a function body (or the function's entry) and a
//! path *p* in scope there (a local, `*r` for a local of reference type, or a field `s.f` the
//! listing uses):
//!
//! * **R** iff inserting `let _ = &p;` at *k* adds no compile error anywhere in the program;
//! * **W** iff inserting `let _ = &mut p;` adds none;
//! * **O** iff inserting `::std::mem::drop(p);` adds none, except "use of moved value" errors
//!   whose move is the inserted one (the uses of *p* after the move, including the next
//!   iteration of a loop): they are the consequence of moving, not a missing permission.
//!
//! "Adds" compares the multiset of errors (code, place in the listing as written, message) with
//! the unprobed program's, so a probe that repeats an error on the same line counts. Each probe is
//! written on the line of the statement it follows, right after it, so no line moves. Which
//! locals are references is asked of rustc too: a type probe whose error message names the type.
//!
//! In a listing rustc rejects, a function's table stops at its first error: the last row is the
//! rejected statement, probed just before it, with the permission its error names marked `!W`
//! when the path lacked it there. A rejected row can have no mark: the conflict arises inside the
//! statement (two-phase borrows), or the error is about a point no row shows (E0597: a value
//! dropped at a closing brace) or names no path's R, W or O (E0515). Past an error the program means nothing, and rustc reports a use of a moved value once per
//! move, so it would leave a later probe's error unsaid.
//!
//! The probes are compiled with `rustc --emit=metadata` (type and borrow checking, no code
//! generation) in a scratch folder of their own. [`Mode::Batched`] puts every probe of a listing
//! into one file, each in a copy of its function (borrow checking is per function body), and
//! maps the errors back by byte offset; [`Mode::OneProbePerCompile`] is the definition applied
//! literally, one rustc per probe. The self-tests check that both give the same tables. Results
//! are cached by (compiler, mode, this file, listing source), like the listing builds.
//!
//! Tables cover the functions at the top of the file and the methods of inherent impls; closures
//! are not probed (a probe inside one would change what it captures), nor trait impls.
//!
//! The table is a snapshot beside the listing, `<name>.perms`, shown under the listing when its
//! fence carries the word `permissions`; `cargo test` recomputes it, `TRYBUILD=overwrite cargo
//! test` re-records it.

use crate::bless::{self, BLESS_COMMAND};
use crate::book::{Chapter, resolve, slash};
use crate::listing::Listings;
use crate::markdown::{DirectiveKind, Selector};
use crate::problem::indent;
use crate::toolchain::Compiler;
use crate::{Problem, Rule};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Block, Expr, FnArg, ImplItem, Item, Member, Pat, Signature, Stmt};

/// The snapshot's extension: `listings/<chapter>/<name>.perms`.
pub const EXTENSION: &str = "perms";

/// The fence word that shows a listing's table: ```` ```rust,ignore,mdbook-runnable,permissions ````.
pub const FENCE_WORD: &str = "permissions";

/// The id of the section that explains the tables (`## Permissions: what the borrow checker
/// sees`); every table links there, in whichever chapter has it.
pub const EXPLAINED_AT: &str = "permissions-what-the-borrow-checker-sees";

/// True when a chapter's Markdown has the section every table links to.
pub fn explains(markdown: &str) -> bool {
    let headings = markdown.lines().filter_map(|l| l.strip_prefix("## "));
    headings.map(heading_id).any(|id| id == EXPLAINED_AT)
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// The permissions of one path at one point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Perms {
    pub read: bool,
    pub write: bool,
    pub own: bool,
}

impl Perms {
    /// `[('R', true), ('W', false), ('O', true)]`.
    pub fn letters(self) -> [(char, bool); 3] {
        [('R', self.read), ('W', self.write), ('O', self.own)]
    }

    /// `"R W O"`, `"R - -"`, `"- - -"`.
    pub fn cell(self) -> String {
        self.letters()
            .iter()
            .map(|&(c, has)| if has { c } else { '-' })
            .map(String::from)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The cell with the letters a rejected statement needed and lacks marked: `R !W -`.
    pub fn cell_marking(self, missing: &[char]) -> String {
        self.letters()
            .iter()
            .map(|&(c, has)| match (has, missing.contains(&c)) {
                (true, _) => c.to_string(),
                (false, true) => format!("!{c}"),
                (false, false) => "-".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The inverse of [`Perms::cell_marking`]: the permissions, and the letters marked missing.
    pub fn parse(cell: &str) -> Option<(Perms, Vec<char>)> {
        let letters: Vec<&str> = cell.split(' ').collect();
        let [r, w, o] = letters.as_slice() else {
            return None;
        };
        let mut missing = Vec::new();
        let mut flag = |got: &str, want: char| match got {
            "-" => Some(false),
            g if g.len() == 1 && g.starts_with(want) => Some(true),
            g if g.len() == 2 && g.starts_with('!') && g.ends_with(want) => {
                missing.push(want);
                Some(false)
            }
            _ => None,
        };
        let perms = Perms {
            read: flag(r, 'R')?,
            write: flag(w, 'W')?,
            own: flag(o, 'O')?,
        };
        Some((perms, missing))
    }
}

impl fmt::Display for Perms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cell())
    }
}

/// A listing's permission table: one per function, plus the errors no row can carry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub functions: Vec<FunctionTable>,
    /// rustc's errors (code, line) after the last row of their function (in a final
    /// expression, where no probe can go) or outside every function.
    pub elsewhere: Vec<(String, usize)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunctionTable {
    /// `main`, or `Type::method`.
    pub name: String,
    /// The columns: `v`, `*r`, `s.field`, in the order they come into scope.
    pub paths: Vec<String>,
    pub rows: Vec<Row>,
}

/// The point after line `line` (for a function's first row: its entry, the line of its `{`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    /// One per path; `None` where the path is not in scope.
    pub cells: Vec<Option<Perms>>,
    /// The codes of rustc's errors on this row's line: then the row is the function's last, and
    /// its cells are what the rejected statement found, before it.
    pub errors: Vec<String>,
    /// (path, letter): the permission rustc's error says the statement needed and the path
    /// lacks before it, written `!W` in its cell. Empty on a rejected row whose error no cell
    /// shows (see [`Row::rejected_without_mark`]).
    pub missing: Vec<(String, char)>,
    /// The statement that ends on this line, on one line (`for x in v { … }`).
    pub code: String,
}

impl Table {
    /// The row after line `line` in any function, with that function.
    pub fn row_at(&self, line: usize) -> Option<(&FunctionTable, &Row)> {
        self.functions
            .iter()
            .find_map(|f| f.rows.iter().find(|r| r.line == line).map(|r| (f, r)))
    }
}

impl Row {
    /// True for a rejected row (one with rustc's error) that marks no permission missing: no
    /// path lacked, before the statement, what the error names. The conflict arises inside the
    /// statement (`Vec::push(&mut v, v.len())`), or the error is about a point no row shows (a
    /// value dropped at a closing brace while borrowed, E0597) or about no one path's R, W or O
    /// (a reference to a local returned, E0515).
    pub fn rejected_without_mark(&self) -> bool {
        !self.errors.is_empty() && self.missing.is_empty()
    }

    /// The letters this row marks missing for `path`.
    pub fn missing_of(&self, path: &str) -> Vec<char> {
        let of_path = self.missing.iter().filter(|(p, _)| p == path);
        of_path.map(|&(_, c)| c).collect()
    }
}

impl FunctionTable {
    /// The permissions of `path` in `row` (None: not in scope, or not a path of this table).
    pub fn cell(&self, row: &Row, path: &str) -> Option<Perms> {
        let i = self.paths.iter().position(|p| p == path)?;
        row.cells[i]
    }
}

const HEADER: &str = "\
# Permissions rustc gives each path after each line of the listing beside this file.
# R: `let _ = &p;` inserted there adds no error; W: `let _ = &mut p;` adds none; O: `drop(p)`
# adds none but use-after-move of p. Blank: p is not in scope. A row with rustc's error is
# the function's last: its cells are what that line found before it ran, `!W` a permission the
# error names that p lacked there (no mark: no cell shows what the error is about).
# `cargo test` recomputes this file; `TRYBUILD=overwrite cargo test` re-records it.
";
const ELSEWHERE: &str = "errors outside the rows:";

/// The snapshot text of a table.
pub fn format(table: &Table) -> String {
    let mut out = String::from(HEADER);
    for function in &table.functions {
        let texts: Vec<Vec<String>> = function
            .rows
            .iter()
            .map(|row| {
                (row.cells.iter().zip(&function.paths))
                    .map(|(cell, path)| cell.map(|c| c.cell_marking(&row.missing_of(path))))
                    .map(Option::unwrap_or_default)
                    .collect()
            })
            .collect();
        let width = |i: usize| {
            let cells = texts.iter().map(|t| t[i].chars().count());
            cells
                .chain([function.paths[i].chars().count(), 5])
                .max()
                .unwrap_or(5)
        };
        let errors: Vec<String> = function.rows.iter().map(|r| r.errors.join(" ")).collect();
        let rustc_width = errors.iter().map(String::len).max().unwrap_or(0).max(5);
        out.push_str(&format!("\nfn {}\nline |", function.name));
        for (i, path) in function.paths.iter().enumerate() {
            out.push_str(&format!(" {path:<w$} |", w = width(i)));
        }
        out.push_str(&format!(" {:<rustc_width$} | code\n", "rustc"));
        for ((row, errors), texts) in function.rows.iter().zip(&errors).zip(&texts) {
            out.push_str(&format!("{:>4} |", row.line));
            for (i, text) in texts.iter().enumerate() {
                out.push_str(&format!(" {text:<w$} |", w = width(i)));
            }
            out.push_str(&format!(" {errors:<rustc_width$} | {}", row.code));
            while out.ends_with(' ') {
                out.pop();
            }
            out.push('\n');
        }
    }
    if !table.elsewhere.is_empty() {
        let list: Vec<String> = table
            .elsewhere
            .iter()
            .map(|(code, line)| format!("{code} (line {line})"))
            .collect();
        out.push_str(&format!("\n{ELSEWHERE} {}\n", list.join(", ")));
    }
    out
}

/// Reads a snapshot back; the error names the line of the text that is wrong.
pub fn parse(text: &str) -> Result<Table, (usize, String)> {
    let mut table = Table::default();
    let mut lines = text.lines().zip(1..).peekable();
    while let Some((line, n)) = lines.next() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(list) = line.strip_prefix(ELSEWHERE) {
            for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let parsed = item.split_once(" (line ").and_then(|(code, rest)| {
                    let at = rest.strip_suffix(')')?.parse().ok()?;
                    Some((code.to_owned(), at))
                });
                let item = parsed.ok_or((n, format!("`{item}` is not `CODE (line N)`")))?;
                table.elsewhere.push(item);
            }
            continue;
        }
        let Some(name) = line.strip_prefix("fn ") else {
            return Err((n, "expected `fn NAME`, a table's first line".into()));
        };
        let (header, hn) = lines
            .next()
            .ok_or((n, "a table needs a header line after it".into()))?;
        let columns: Vec<&str> = header.split('|').map(str::trim).collect();
        let ok = columns.len() >= 3
            && columns[0] == "line"
            && columns[columns.len() - 2] == "rustc"
            && columns[columns.len() - 1] == "code";
        if !ok {
            return Err((hn, "expected `line | <paths> | rustc | code`".into()));
        }
        let paths: Vec<String> = columns[1..columns.len() - 2]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut function = FunctionTable {
            name: name.trim().to_owned(),
            paths,
            rows: Vec::new(),
        };
        while let Some(&(row, rn)) = lines.peek() {
            if row.trim().is_empty() {
                break;
            }
            lines.next();
            let parts: Vec<&str> = row.splitn(function.paths.len() + 3, '|').collect();
            if parts.len() != function.paths.len() + 3 {
                return Err((rn, format!("expected {} cells", function.paths.len() + 3)));
            }
            let line = parts[0]
                .trim()
                .parse()
                .map_err(|_| (rn, format!("`{}` is not a line number", parts[0].trim())))?;
            let mut cells = Vec::new();
            let mut missing = Vec::new();
            for (part, path) in parts[1..=function.paths.len()].iter().zip(&function.paths) {
                let part = part.trim();
                if part.is_empty() {
                    cells.push(None);
                } else {
                    let (perms, lacks) = Perms::parse(part).ok_or((
                        rn,
                        format!("`{part}` is not a cell (`R W O`, `R - -`, `R !W -`, ...)"),
                    ))?;
                    cells.push(Some(perms));
                    missing.extend(lacks.into_iter().map(|c| (path.clone(), c)));
                }
            }
            let errors = parts[function.paths.len() + 1]
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            let code = parts[function.paths.len() + 2].trim().to_owned();
            function.rows.push(Row {
                line,
                cells,
                errors,
                missing,
                code,
            });
        }
        table.functions.push(function);
    }
    Ok(table)
}

// ---------------------------------------------------------------------------------------------
// The points and paths of a listing, read with syn
// ---------------------------------------------------------------------------------------------

/// A function whose body is probed.
#[derive(Debug)]
struct Function {
    name: String,
    /// For a method: the `impl ... {` its copies are wrapped in.
    impl_head: Option<String>,
    /// From `fn` (or `const`, `async`, `unsafe`) to the body's `}`: what a copy copies.
    text: Range<usize>,
    /// The name, inside `text`, which a copy renames.
    ident: Range<usize>,
    ident_name: String,
    points: Vec<Point>,
    /// Every statement of the probed blocks, final expressions included, in source order.
    statements: Vec<Point>,
    bindings: Vec<Binding>,
    /// `(base, member)` for each `base.member` the function uses, in order of first use.
    fields: Vec<(String, String)>,
}

/// A place a probe can go: after a statement (or at the body's `{`); or, for a statement in
/// `statements`, before it, with what is in scope there.
#[derive(Clone, Debug)]
struct Point {
    /// Where a probe is inserted (for a statement: its first byte).
    offset: usize,
    /// For a statement: its bytes.
    range: Range<usize>,
    line: usize,
    code: String,
    /// Indices into `bindings`, declaration order, shadowed ones left out.
    visible: Vec<usize>,
}

#[derive(Debug)]
struct Binding {
    name: String,
    /// Where the type probe goes (right after the declaration); None where no statement can go.
    declared_at: Option<usize>,
}

/// Byte offsets to 1-based lines.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        Lines(
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
        )
    }

    fn of(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset)
    }
}

fn bytes(span: proc_macro2::Span) -> Range<usize> {
    span.byte_range()
}

fn analyse(source: &str) -> Result<Vec<Function>, String> {
    let file = syn::parse_file(source).map_err(|e| {
        let at = e.span().start();
        format!("cannot be parsed (line {}): {e}", at.line)
    })?;
    let lines = Lines::new(source);
    let mut functions = Vec::new();
    for item in &file.items {
        match item {
            Item::Fn(f) => functions.push(function(source, &lines, &f.sig, &f.block, None)),
            // Methods of the listing's own types; a trait impl's methods could not be copied
            // into an inherent impl (their associated types), so they get no table.
            Item::Impl(imp) if imp.trait_.is_none() => {
                let head = &source
                    [bytes(imp.impl_token.span).start..bytes(imp.brace_token.span.open()).start];
                let type_name = match &*imp.self_ty {
                    syn::Type::Path(p) => p
                        .path
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default(),
                    _ => "impl".into(),
                };
                for impl_item in &imp.items {
                    if let ImplItem::Fn(m) = impl_item {
                        let wrap = (format!("{}{{", head), type_name.clone());
                        functions.push(function(source, &lines, &m.sig, &m.block, Some(wrap)));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(functions)
}

fn function(
    source: &str,
    lines: &Lines,
    sig: &Signature,
    body: &Block,
    method_of: Option<(String, String)>,
) -> Function {
    let start = bytes(sig.span()).start;
    let open = bytes(body.brace_token.span.open()).end;
    let end = bytes(body.brace_token.span.close()).end;
    let mut walker = Walker {
        source,
        lines,
        scopes: vec![Vec::new()],
        bindings: Vec::new(),
        points: Vec::new(),
        statements: Vec::new(),
        fields: Vec::new(),
    };
    let params: Vec<String> = sig
        .inputs
        .iter()
        .flat_map(|input| match input {
            FnArg::Receiver(_) => vec!["self".to_owned()],
            FnArg::Typed(typed) => bindings(&typed.pat),
        })
        .collect();
    walker.declare(params, Some(open));
    walker.point(open, start..open);
    walker.block(body, Vec::new());
    let name = match &method_of {
        Some((_, type_name)) => format!("{type_name}::{}", sig.ident),
        None => sig.ident.to_string(),
    };
    Function {
        name,
        impl_head: method_of.map(|(head, _)| head),
        text: start..end,
        ident: bytes(sig.ident.span()),
        ident_name: sig.ident.to_string(),
        points: walker.points,
        statements: walker.statements,
        bindings: walker.bindings,
        fields: walker.fields,
    }
}

struct Walker<'s> {
    source: &'s str,
    lines: &'s Lines,
    /// Binding indices of each enclosing block, outermost first.
    scopes: Vec<Vec<usize>>,
    bindings: Vec<Binding>,
    points: Vec<Point>,
    statements: Vec<Point>,
    fields: Vec<(String, String)>,
}

impl Walker<'_> {
    fn declare(&mut self, names: Vec<String>, declared_at: Option<usize>) {
        for name in names {
            self.scopes
                .last_mut()
                .expect("a scope is open")
                .push(self.bindings.len());
            self.bindings.push(Binding { name, declared_at });
        }
    }

    /// The bindings in scope, in declaration order; a later binding hides an earlier one of the
    /// same name.
    fn visible(&self) -> Vec<usize> {
        let mut seen: Vec<usize> = Vec::new();
        for &id in self.scopes.iter().flatten() {
            seen.retain(|&old| self.bindings[old].name != self.bindings[id].name);
            seen.push(id);
        }
        seen
    }

    fn point(&mut self, offset: usize, code: Range<usize>) {
        self.points.push(Point {
            offset,
            range: code.clone(),
            line: self.lines.of(offset - 1),
            code: one_line(&self.source[code]),
            visible: self.visible(),
        });
    }

    fn block(&mut self, block: &Block, names: Vec<String>) {
        let open = bytes(block.brace_token.span.open()).end;
        self.scopes.push(Vec::new());
        self.declare(names, Some(open));
        let count = block.stmts.len();
        for (i, stmt) in block.stmts.iter().enumerate() {
            // The block's final expression is its value: nothing can follow it.
            let tail = i + 1 == count
                && matches!(
                    stmt,
                    Stmt::Expr(_, None)
                        | Stmt::Macro(syn::StmtMacro {
                            semi_token: None,
                            ..
                        })
                );
            if matches!(stmt, Stmt::Item(_)) {
                continue;
            }
            let range = bytes(stmt.span());
            self.statements.push(Point {
                offset: range.start,
                range: range.clone(),
                line: self.lines.of(range.start),
                code: one_line(&self.source[range.clone()]),
                visible: self.visible(),
            });
            match stmt {
                Stmt::Item(_) => {}
                Stmt::Local(local) => {
                    if let Some(init) = &local.init {
                        self.visit_expr(&init.expr);
                        if let Some((_, diverge)) = &init.diverge {
                            self.visit_expr(diverge);
                        }
                    }
                    let end = bytes(stmt.span()).end;
                    self.declare(bindings(&local.pat), Some(end));
                }
                Stmt::Expr(expr, _) => self.visit_expr(expr),
                Stmt::Macro(m) => self.visit_macro(&m.mac),
            }
            if !tail {
                self.point(range.end, range);
            }
        }
        self.scopes.pop();
    }
}

impl<'ast> Visit<'ast> for Walker<'_> {
    fn visit_block(&mut self, block: &'ast Block) {
        self.block(block, Vec::new());
    }

    // Not probed: nested items are functions of their own, a probe inside a closure would change
    // what the closure captures, and async/const blocks are bodies of their own.
    fn visit_item(&mut self, _: &'ast Item) {}
    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    fn visit_expr_async(&mut self, _: &'ast syn::ExprAsync) {}
    fn visit_expr_const(&mut self, _: &'ast syn::ExprConst) {}

    /// A macro's body is tokens; where it parses as expressions (`println!("{}", p.a)`), the
    /// fields it uses count too. Nothing inside it is probed.
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        if let Ok(args) = mac.parse_body_with(parser) {
            let mut fields = Fields(&mut self.fields);
            args.iter().for_each(|arg| fields.visit_expr(arg));
        }
    }

    fn visit_expr_for_loop(&mut self, e: &'ast syn::ExprForLoop) {
        self.visit_expr(&e.expr);
        self.block(&e.body, bindings(&e.pat));
    }

    fn visit_expr_while(&mut self, e: &'ast syn::ExprWhile) {
        self.visit_expr(&e.cond);
        self.block(&e.body, let_bindings(&e.cond));
    }

    fn visit_expr_if(&mut self, e: &'ast syn::ExprIf) {
        self.visit_expr(&e.cond);
        self.block(&e.then_branch, let_bindings(&e.cond));
        if let Some((_, otherwise)) = &e.else_branch {
            self.visit_expr(otherwise);
        }
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        let names = bindings(&arm.pat);
        if let Some((_, guard)) = &arm.guard {
            self.visit_expr(guard);
        }
        match &*arm.body {
            Expr::Block(b) => self.block(&b.block, names),
            body => {
                self.scopes.push(Vec::new());
                self.declare(names, None);
                self.visit_expr(body);
                self.scopes.pop();
            }
        }
    }

    fn visit_expr_field(&mut self, e: &'ast syn::ExprField) {
        record_field(e, &mut self.fields);
        visit::visit_expr_field(self, e);
    }
}

/// Collects the fields used in macro arguments.
struct Fields<'a>(&'a mut Vec<(String, String)>);

impl<'ast> Visit<'ast> for Fields<'_> {
    fn visit_expr_field(&mut self, e: &'ast syn::ExprField) {
        record_field(e, self.0);
        visit::visit_expr_field(self, e);
    }
}

/// Records `base.member` when `base` is a plain name.
fn record_field(e: &syn::ExprField, fields: &mut Vec<(String, String)>) {
    if let Expr::Path(base) = &*e.base
        && base.qself.is_none()
        && let Some(ident) = base.path.get_ident()
    {
        let member = match &e.member {
            Member::Named(name) => name.to_string(),
            Member::Unnamed(index) => index.index.to_string(),
        };
        let field = (ident.to_string(), member);
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
}

/// The variables a pattern binds. An identifier starting with a capital letter is a constant or
/// a variant (`None`), not a binding.
fn bindings(pat: &Pat) -> Vec<String> {
    fn walk(pat: &Pat, out: &mut Vec<String>) {
        match pat {
            Pat::Ident(p) => {
                let name = p.ident.to_string();
                if !name.starts_with(|c: char| c.is_uppercase()) {
                    out.push(name);
                }
                if let Some((_, sub)) = &p.subpat {
                    walk(sub, out);
                }
            }
            Pat::Tuple(t) => t.elems.iter().for_each(|p| walk(p, out)),
            Pat::TupleStruct(t) => t.elems.iter().for_each(|p| walk(p, out)),
            Pat::Struct(s) => s.fields.iter().for_each(|f| walk(&f.pat, out)),
            Pat::Slice(s) => s.elems.iter().for_each(|p| walk(p, out)),
            Pat::Reference(r) => walk(&r.pat, out),
            Pat::Or(o) => o.cases.iter().take(1).for_each(|p| walk(p, out)),
            Pat::Type(t) => walk(&t.pat, out),
            Pat::Paren(p) => walk(&p.pat, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(pat, &mut out);
    out
}

/// The variables bound by the `let`s of an `if`/`while` condition (let chains included).
fn let_bindings(cond: &Expr) -> Vec<String> {
    match cond {
        Expr::Let(l) => bindings(&l.pat),
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let mut names = let_bindings(&b.left);
            names.extend(let_bindings(&b.right));
            names
        }
        Expr::Paren(p) => let_bindings(&p.expr),
        _ => Vec::new(),
    }
}

/// A statement on one line: `let x = 1;`, or `for x in v { … }` for one that spans lines.
fn one_line(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    match lines.as_slice() {
        [] => String::new(),
        [only] => only.to_string(),
        [first, .., last] => format!("{} … {last}", without_comment(first)),
    }
}

/// A line without its trailing `//` comment (one outside string literals).
fn without_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\\' if in_string => {
                escaped = !escaped;
                continue;
            }
            b'"' if !escaped => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return line[..i].trim_end(),
            _ => {}
        }
        escaped = false;
    }
    line
}

// ---------------------------------------------------------------------------------------------
// Asking rustc
// ---------------------------------------------------------------------------------------------

/// How the probes are compiled. Both give the same tables (a self-test checks it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Every probe of a listing in one rustc call, each in a copy of its function.
    Batched,
    /// The definition applied literally: one rustc call per probe, on the whole listing.
    OneProbePerCompile,
}

/// What a probe asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Ask {
    Read,
    Write,
    Own,
}

impl Ask {
    const ALL: [Ask; 3] = [Ask::Read, Ask::Write, Ask::Own];

    fn statement(self, path: &str) -> String {
        match self {
            Ask::Read => format!(" let _ = &{path};"),
            Ask::Write => format!(" let _ = &mut {path};"),
            Ask::Own => format!(" ::std::mem::drop({path});"),
        }
    }
}

/// One probe: a statement inserted at a site of a function.
#[derive(Clone, Debug)]
struct Probe {
    function: usize,
    site: usize,
    path: String,
    ask: Ask,
}

/// A probe that added no error: (function, site, path, ask).
type Granted = BTreeSet<(usize, usize, String, Ask)>;

/// One error rustc reported.
#[derive(Clone, Debug)]
struct Diagnostic {
    /// `E0502`, or `error` for an error without a code.
    code: String,
    message: String,
    /// Where its primary span starts (for one inside a macro from elsewhere, the macro call).
    at: usize,
    /// The spans whose label says the value was moved there.
    moved_at: Vec<Range<usize>>,
}

/// An error as compared: code, where it is in the listing as written (None: in the probe), and
/// message. Offsets rather than lines: a probe shares its line with a statement, and rustc
/// reports a use of a moved value once per move, so a probe's error can stand in for one the
/// listing already had on that line.
type Key = (String, Option<usize>, String);

/// The compiler, and where it may write.
struct Rustc<'a> {
    options: &'a Options,
}

impl Rustc<'_> {
    /// Compiles `source` (`--emit=metadata`: type and borrow checking, no code generation) in a
    /// scratch folder of its own, and returns its errors.
    fn errors(&self, source: &str) -> Result<Vec<Diagnostic>, String> {
        let scratch = crate::scratch::Folder::new(&self.options.cache_dir, "probe")
            .map_err(|e| format!("cannot create a probe folder: {e}"))?;
        let result = fs::write(scratch.join("listing.rs"), source)
            .map_err(|e| format!("cannot write into {}: {e}", scratch.path().display()))
            .and_then(|()| {
                Command::new(&self.options.compiler.rustc)
                    .args([
                        "--edition=2024",
                        "--crate-type=bin",
                        "--crate-name=probe",
                        "--emit=metadata",
                        "--error-format=json",
                        "--out-dir=.",
                        "listing.rs",
                    ])
                    .current_dir(scratch.path())
                    .output()
                    .map_err(|e| format!("cannot run {}: {e}", self.options.compiler.rustc))
            });
        drop(scratch);
        let output = result?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut found = Vec::new();
        for line in stderr.lines() {
            let Ok(value) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if value["level"] != "error" {
                continue;
            }
            let spans = value["spans"].as_array().cloned().unwrap_or_default();
            let Some(primary) = spans.iter().find(|s| s["is_primary"] == true) else {
                continue; // "aborting due to N previous errors"
            };
            let Some(at) = byte_in_listing(primary) else {
                continue;
            };
            let moved_at = spans
                .iter()
                .filter(|s| s["label"].as_str().is_some_and(|l| l.contains("moved")))
                .filter(|s| s["file_name"] == "listing.rs")
                .filter_map(|s| {
                    let start = s["byte_start"].as_u64()? as usize;
                    let end = s["byte_end"].as_u64()? as usize;
                    Some(start..end)
                })
                .collect();
            found.push(Diagnostic {
                code: value["code"]["code"].as_str().unwrap_or("error").to_owned(),
                message: value["message"].as_str().unwrap_or_default().to_owned(),
                at,
                moved_at,
            });
        }
        if found.is_empty() && !output.status.success() {
            return Err(format!(
                "{} failed without reporting an error in the listing:\n{}",
                self.options.compiler.rustc,
                indent(&stderr)
            ));
        }
        Ok(found)
    }
}

/// Where a span starts in the listing; for a span inside a macro from elsewhere, where the
/// macro is called.
fn byte_in_listing(span: &Value) -> Option<usize> {
    if span["file_name"] == "listing.rs" {
        return span["byte_start"].as_u64().map(|b| b as usize);
    }
    byte_in_listing(&span["expansion"]["span"])
}

/// Inserts each `(offset, text)` and returns the new text and where each insert landed.
fn insert_all(source: &str, inserts: &[(usize, String)]) -> (String, Vec<Range<usize>>) {
    let mut order: Vec<usize> = (0..inserts.len()).collect();
    order.sort_by_key(|&i| inserts[i].0);
    let mut out = String::with_capacity(source.len() + 64 * inserts.len());
    let mut ranges = vec![0..0; inserts.len()];
    let mut copied = 0;
    for i in order {
        let (offset, text) = &inserts[i];
        out.push_str(&source[copied..*offset]);
        copied = *offset;
        ranges[i] = out.len()..out.len() + text.len();
        out.push_str(text);
    }
    out.push_str(&source[copied..]);
    (out, ranges)
}

/// Where a piece of a copy comes from in the listing.
#[derive(Clone, Copy)]
enum Origin {
    /// Copied from this offset on.
    Copied(usize),
    /// The new name, standing for the old one at this offset.
    Renamed(usize),
    /// An inserted statement.
    Inserted,
}

/// A copy of a function appended to a compiled file (borrow checking is per function body, so
/// copies do not see each other's probes): renamed, with statements inserted into its body.
struct FnCopy {
    function: usize,
    name: String,
    /// Where the copy's text is in the file.
    range: Range<usize>,
    /// The copy's text, piece by piece: where each piece is in the file, and where it comes from.
    pieces: Vec<(Range<usize>, Origin)>,
    /// Where each insert landed in the file, in the order given.
    inserted: Vec<Range<usize>>,
}

impl FnCopy {
    /// Appends to `file` a copy of `functions[f]` named `name`, with `inserts` (listing offsets
    /// inside its body, statements).
    fn append(
        file: &mut String,
        source: &str,
        functions: &[Function],
        f: usize,
        name: String,
        inserts: &[(usize, String)],
    ) -> FnCopy {
        let function = &functions[f];
        file.push('\n');
        if let Some(head) = &function.impl_head {
            file.push_str(head);
            file.push('\n');
        }
        file.push_str("#[allow(warnings)]\n");
        let start = file.len();
        let mut pieces = Vec::new();
        let copy = |file: &mut String, pieces: &mut Vec<_>, from: usize, to: usize| {
            let at = file.len();
            file.push_str(&source[from..to]);
            pieces.push((at..file.len(), Origin::Copied(from)));
        };
        copy(file, &mut pieces, function.text.start, function.ident.start);
        let at = file.len();
        file.push_str(&name);
        pieces.push((at..file.len(), Origin::Renamed(function.ident.start)));
        let mut order: Vec<usize> = (0..inserts.len()).collect();
        order.sort_by_key(|&i| inserts[i].0);
        let mut inserted = vec![0..0; inserts.len()];
        let mut from = function.ident.end;
        for i in order {
            let (offset, text) = &inserts[i];
            copy(file, &mut pieces, from, *offset);
            from = *offset;
            let at = file.len();
            file.push_str(text);
            inserted[i] = at..file.len();
            pieces.push((inserted[i].clone(), Origin::Inserted));
        }
        copy(file, &mut pieces, from, function.text.end);
        let range = start..file.len();
        file.push('\n');
        if function.impl_head.is_some() {
            file.push_str("}\n");
        }
        FnCopy {
            function: f,
            name,
            range,
            pieces,
            inserted,
        }
    }

    /// Where an offset of the file is in the listing (None: in an inserted statement).
    fn original(&self, at: usize) -> Option<usize> {
        let (file, origin) = self.pieces.iter().find(|(r, _)| r.contains(&at))?;
        match *origin {
            Origin::Copied(from) => Some(from + (at - file.start)),
            Origin::Renamed(name) => Some(name),
            Origin::Inserted => None,
        }
    }
}

/// The errors of a compiled file that fall in each copy, as keys in the listing's terms.
fn per_copy<'d>(
    errors: &'d [Diagnostic],
    copies: &[FnCopy],
    functions: &[Function],
) -> Vec<Vec<(Key, &'d Diagnostic)>> {
    let mut found = vec![Vec::new(); copies.len()];
    for d in errors {
        if let Some(c) = copies.iter().position(|c| c.range.contains(&d.at)) {
            let copy = &copies[c];
            let message = d
                .message
                .replace(&copy.name, &functions[copy.function].ident_name);
            found[c].push(((d.code.clone(), copy.original(d.at), message), d));
        }
    }
    found
}

const TYPE_PROBE_ITEMS: &str = "
#[diagnostic::on_unimplemented(message = \"permission-probe-type {Self}\")]
trait PermissionProbeType {}
#[allow(dead_code)]
fn permission_probe_type<T: ?Sized + PermissionProbeType>(_: &T) {}
";

/// One compile for two answers: the listing's own errors (the listing is compiled as it is) and,
/// for each function, each binding's type as rustc names it (None: rustc named none, so the
/// binding is not shown). The types come from a copy of each function in which each binding,
/// right after its declaration, is passed to a function whose bound no type meets: the error
/// names the type. The bound has no impl, so it guides no inference, and a type settled later
/// (`let x;`) is named too.
#[allow(clippy::type_complexity)]
fn listing_errors_and_types(
    functions: &[Function],
    source: &str,
    rustc: &Rustc,
) -> Result<(Vec<Diagnostic>, Vec<Vec<Option<String>>>), String> {
    let mut file = source.to_owned();
    let mut copies = Vec::new();
    let mut owners = Vec::new();
    for (f, function) in functions.iter().enumerate() {
        let mut inserts = Vec::new();
        let mut bindings = Vec::new();
        for (b, binding) in function.bindings.iter().enumerate() {
            if let Some(at) = binding.declared_at {
                inserts.push((at, format!(" permission_probe_type(&{});", binding.name)));
                bindings.push(b);
            }
        }
        let name = format!("permission_probe_types_{f}");
        copies.push(FnCopy::append(
            &mut file, source, functions, f, name, &inserts,
        ));
        owners.push(bindings);
    }
    file.push_str(TYPE_PROBE_ITEMS);
    let errors = rustc.errors(&file)?;
    let mut types: Vec<Vec<Option<String>>> = functions
        .iter()
        .map(|f| vec![None; f.bindings.len()])
        .collect();
    let mut baseline = Vec::new();
    for d in errors {
        if d.at < source.len() {
            baseline.push(d);
            continue;
        }
        let Some(ty) = d.message.strip_prefix("permission-probe-type ") else {
            continue;
        };
        for (copy, bindings) in copies.iter().zip(&owners) {
            if let Some(i) = copy.inserted.iter().position(|r| r.contains(&d.at)) {
                types[copy.function][bindings[i]] = Some(ty.to_owned());
            }
        }
    }
    Ok((baseline, types))
}

/// True when `errors` adds nothing to `baseline` (as multisets), leaving out, for a move probe,
/// the use-after-move errors of the probe's own move.
fn adds_nothing(
    errors: &[(Key, &Diagnostic)],
    baseline: &[Key],
    ask: Ask,
    probe: &Range<usize>,
) -> bool {
    let mut remaining: BTreeMap<&Key, usize> = BTreeMap::new();
    for key in baseline {
        *remaining.entry(key).or_default() += 1;
    }
    for (key, diagnostic) in errors {
        let consequence = ask == Ask::Own
            && diagnostic.code == "E0382"
            && diagnostic
                .moved_at
                .iter()
                .any(|m| probe.start <= m.start && m.end <= probe.end);
        if consequence {
            continue;
        }
        match remaining.get_mut(key) {
            Some(n) if *n > 0 => *n -= 1,
            _ => return false,
        }
    }
    true
}

fn ask_in_one_batch(
    functions: &[Function],
    sites: &[Vec<Point>],
    source: &str,
    probes: &[Probe],
    rustc: &Rustc,
) -> Result<Granted, String> {
    let mut file = source.to_owned();
    let mut copies = Vec::new();
    for f in 0..functions.len() {
        let name = format!("permission_probe_copy_{}", copies.len());
        copies.push(FnCopy::append(&mut file, source, functions, f, name, &[]));
    }
    for probe in probes {
        let insert = (
            sites[probe.function][probe.site].offset,
            probe.ask.statement(&probe.path),
        );
        let name = format!("permission_probe_copy_{}", copies.len());
        copies.push(FnCopy::append(
            &mut file,
            source,
            functions,
            probe.function,
            name,
            &[insert],
        ));
    }
    let errors = rustc.errors(&file)?;
    let found = per_copy(&errors, &copies, functions);
    let mut granted = Granted::new();
    for (i, probe) in probes.iter().enumerate() {
        let c = functions.len() + i;
        let baseline: Vec<Key> = found[probe.function]
            .iter()
            .map(|(k, _)| k.clone())
            .collect();
        if adds_nothing(&found[c], &baseline, probe.ask, &copies[c].inserted[0]) {
            granted.insert((probe.function, probe.site, probe.path.clone(), probe.ask));
        }
    }
    Ok(granted)
}

fn ask_one_by_one(
    sites: &[Vec<Point>],
    source: &str,
    baseline: &[Diagnostic],
    probes: &[Probe],
    rustc: &Rustc,
) -> Result<Granted, String> {
    let baseline: Vec<Key> = baseline
        .iter()
        .map(|d| (d.code.clone(), Some(d.at), d.message.clone()))
        .collect();
    let answers = crate::parallel::flat_map(probes, |probe| {
        let offset = sites[probe.function][probe.site].offset;
        let (probed, ranges) = insert_all(source, &[(offset, probe.ask.statement(&probe.path))]);
        let inserted = &ranges[0];
        let answer = rustc.errors(&probed).map(|errors| {
            let keyed: Vec<(Key, &Diagnostic)> = errors
                .iter()
                .map(|d| {
                    let at = if d.at < inserted.start {
                        Some(d.at)
                    } else if d.at < inserted.end {
                        None
                    } else {
                        Some(d.at - inserted.len())
                    };
                    ((d.code.clone(), at, d.message.clone()), d)
                })
                .collect();
            adds_nothing(&keyed, &baseline, probe.ask, inserted)
        });
        vec![answer.map(|yes| (probe.clone(), yes))]
    });
    let mut granted = Granted::new();
    for answer in answers {
        let (probe, yes) = answer?;
        if yes {
            granted.insert((probe.function, probe.site, probe.path, probe.ask));
        }
    }
    Ok(granted)
}

/// Where each function is probed: every point, except that a function with an error stops at
/// it: its points before the statement that holds its first error, then that statement itself,
/// probed just before it runs (what it found). Past an error the program means nothing, and
/// rustc reports a use of a moved value only once, so later probes would go unanswered.
/// Returns the sites, and for each function the errors its last site carries.
fn sites_of<'d>(
    functions: &[Function],
    baseline: &'d [Diagnostic],
) -> (Vec<Vec<Point>>, Vec<Vec<&'d Diagnostic>>) {
    let mut sites = Vec::new();
    let mut carried = Vec::new();
    for function in functions {
        let first = baseline
            .iter()
            .filter(|d| function.text.contains(&d.at))
            .min_by_key(|d| d.at);
        let Some(first) = first else {
            sites.push(function.points.clone());
            carried.push(Vec::new());
            continue;
        };
        let statement = function
            .statements
            .iter()
            .filter(|s| s.range.contains(&first.at))
            .min_by_key(|s| s.range.len());
        let until = statement.map_or(first.at, |s| s.range.start);
        let mut kept: Vec<Point> = function
            .points
            .iter()
            .filter(|p| p.offset <= until)
            .cloned()
            .collect();
        let mut errors = Vec::new();
        if let Some(statement) = statement {
            kept.push(statement.clone());
            errors = baseline
                .iter()
                .filter(|d| statement.range.contains(&d.at))
                .collect();
            errors.sort_by_key(|d| d.at);
        }
        sites.push(kept);
        carried.push(errors);
    }
    (sites, carried)
}

/// The paths at each site: every visible binding that has a type, `*b` after a reference `b`,
/// and `b.field` for each field of `b` the function uses.
fn paths_at(
    functions: &[Function],
    sites: &[Vec<Point>],
    types: &[Vec<Option<String>>],
) -> Vec<Vec<Vec<String>>> {
    functions
        .iter()
        .zip(sites)
        .zip(types)
        .map(|((function, sites), types)| {
            sites
                .iter()
                .map(|site| {
                    let mut paths = Vec::new();
                    for &b in &site.visible {
                        let Some(ty) = &types[b] else { continue };
                        let name = &function.bindings[b].name;
                        paths.push(name.clone());
                        if ty.starts_with('&') {
                            paths.push(format!("*{name}"));
                        }
                        for (base, member) in &function.fields {
                            if base == name {
                                paths.push(format!("{name}.{member}"));
                            }
                        }
                    }
                    paths
                })
                .collect()
        })
        .collect()
}

/// The permission an error says its statement needed, on which path: `cannot borrow `v` as
/// mutable` → (`v`, W). Read from rustc's message; None when it names none.
fn needed(message: &str) -> Option<(String, char)> {
    let path = || Some(message.split('`').nth(1)?.to_owned());
    let letter = if message.starts_with("cannot borrow") {
        // `cannot borrow `v` as mutable because ...` / `... as immutable because it is also
        // borrowed as mutable`: what the statement needed is the first "as", right after the path.
        let after_path = message.split('`').nth(2).unwrap_or_default();
        if after_path.trim_start().starts_with("as mutable") {
            'W'
        } else {
            'R'
        }
    } else if message.starts_with("borrow of") || message.starts_with("used binding") {
        'R'
    } else if message.starts_with("use of") || message.starts_with("cannot move out of") {
        'O'
    } else if message.starts_with("cannot assign") {
        'W'
    } else {
        return None;
    };
    Some((path()?, letter))
}

/// Computes the table of a listing's source.
fn compute(source: &str, mode: Mode, options: &Options) -> Result<Table, String> {
    let rustc = Rustc { options };
    let functions = analyse(source)?;
    let (mut baseline, types) = listing_errors_and_types(&functions, source, &rustc)?;
    if mode == Mode::OneProbePerCompile {
        baseline = rustc.errors(source)?; // literally: the listing alone
    }
    let (sites, carried) = sites_of(&functions, &baseline);
    let paths = paths_at(&functions, &sites, &types);
    let mut probes = Vec::new();
    for (function, sites) in paths.iter().enumerate() {
        for (site, paths) in sites.iter().enumerate() {
            for path in paths {
                for ask in Ask::ALL {
                    probes.push(Probe {
                        function,
                        site,
                        path: path.clone(),
                        ask,
                    });
                }
            }
        }
    }
    let granted = match mode {
        Mode::Batched => ask_in_one_batch(&functions, &sites, source, &probes, &rustc)?,
        Mode::OneProbePerCompile => ask_one_by_one(&sites, source, &baseline, &probes, &rustc)?,
    };

    let lines = Lines::new(source);
    let mut table = Table::default();
    let mut shown: Vec<usize> = Vec::new(); // baseline errors on a row, by `at`
    for (f, function) in functions.iter().enumerate() {
        let mut columns: Vec<String> = Vec::new();
        for path in paths[f].iter().flatten() {
            if !columns.contains(path) {
                columns.push(path.clone());
            }
        }
        let mut rows: Vec<Row> = Vec::new();
        for (s, site) in sites[f].iter().enumerate() {
            let cells: Vec<Option<Perms>> = columns
                .iter()
                .map(|path| {
                    paths[f][s].contains(path).then(|| {
                        let has = |ask| granted.contains(&(f, s, path.clone(), ask));
                        Perms {
                            read: has(Ask::Read),
                            write: has(Ask::Write),
                            own: has(Ask::Own),
                        }
                    })
                })
                .collect();
            let mut row = Row {
                line: site.line,
                cells,
                errors: Vec::new(),
                missing: Vec::new(),
                code: site.code.clone(),
            };
            let last = s + 1 == sites[f].len();
            if last && !carried[f].is_empty() {
                row.line = lines.of(carried[f][0].at);
                for d in &carried[f] {
                    shown.push(d.at);
                    row.errors.push(d.code.clone());
                    let Some((path, letter)) = needed(&d.message) else {
                        continue;
                    };
                    let lacks = columns
                        .iter()
                        .position(|c| *c == path)
                        .and_then(|i| row.cells[i])
                        .is_some_and(|p| p.letters().iter().any(|&(l, has)| l == letter && !has));
                    if lacks && !row.missing.contains(&(path.clone(), letter)) {
                        row.missing.push((path, letter));
                    }
                }
            }
            // Two sites on one line: the later one, after everything on the line, stands.
            match rows.last_mut() {
                Some(previous) if previous.line == row.line => *previous = row,
                _ => rows.push(row),
            }
        }
        rows.retain(|r| r.cells.iter().any(Option::is_some) || !r.errors.is_empty());
        if !rows.is_empty() {
            table.functions.push(FunctionTable {
                name: function.name.clone(),
                paths: columns,
                rows,
            });
        }
    }
    let mut elsewhere: Vec<&Diagnostic> =
        baseline.iter().filter(|d| !shown.contains(&d.at)).collect();
    elsewhere.sort_by_key(|d| d.at);
    table.elsewhere = elsewhere
        .iter()
        .map(|d| (d.code.clone(), lines.of(d.at)))
        .collect();
    Ok(table)
}

// ---------------------------------------------------------------------------------------------
// Caching, checking and blessing
// ---------------------------------------------------------------------------------------------

pub struct Options {
    /// The compiler, and its `-V` (part of the cache key).
    pub compiler: Compiler,
    /// Where computed tables are kept between runs (and the probes' scratch folders).
    pub cache_dir: PathBuf,
    /// Rewrite `.perms` snapshots instead of comparing.
    pub bless: bool,
}

impl Options {
    /// The settings `cargo test` uses: the running compiler, a cache under `target/`, and
    /// blessing when `TRYBUILD=overwrite` is set.
    pub fn for_cargo_test(target_dir: &Path) -> Result<Self, String> {
        Ok(Options {
            compiler: Compiler::running()?,
            cache_dir: target_dir.join("permission-tables"),
            bless: bless::requested(),
        })
    }
}

/// The table of `source`, from the cache when this compiler, mode, harness and source made it
/// before.
pub fn table(source: &str, mode: Mode, options: &Options) -> Result<Table, String> {
    let mut hasher = DefaultHasher::new();
    (
        &options.compiler.version,
        mode,
        include_str!("permissions.rs"),
        source,
    )
        .hash(&mut hasher);
    let cached = options
        .cache_dir
        .join(format!("{:016x}.{EXTENSION}", hasher.finish()));
    if let Ok(text) = fs::read_to_string(&cached)
        && let Ok(table) = parse(&text)
    {
        return Ok(table);
    }
    let table = compute(source, mode, options)?;
    fs::create_dir_all(&options.cache_dir)
        .map_err(|e| format!("cannot create {}: {e}", options.cache_dir.display()))?;
    crate::scratch::write_atomically(&cached, format(&table))
        .map_err(|e| format!("cannot store {}: {e}", cached.display()))?;
    Ok(table)
}

/// The `.perms` snapshot of a listing.
pub fn snapshot_of(listing: &Path) -> PathBuf {
    listing.with_extension(EXTENSION)
}

/// The listings whose table is checked: those a chapter shows with the `permissions` word, and
/// those with a `.perms` (the integrity check reports one that no fence marks).
pub fn listings_with_tables(root: &Path) -> Vec<PathBuf> {
    let (chapters, _) = crate::book::load(root);
    let listings = crate::listing::discover(root);
    let mut found: BTreeSet<PathBuf> = marked(&chapters)
        .into_iter()
        .map(|(_, _, listing)| listing)
        .filter(|l| listings.find(l).is_some())
        .collect();
    for listing in &listings.standalone {
        if root.join(snapshot_of(&listing.path)).is_file() {
            found.insert(listing.path.clone());
        }
    }
    found.into_iter().collect()
}

/// Every Rust fence carrying the `permissions` word: (chapter, fence line, included file).
fn marked(chapters: &[Chapter]) -> Vec<(PathBuf, usize, PathBuf)> {
    let mut found = Vec::new();
    for chapter in chapters {
        for fence in &chapter.parsed.fences {
            if !fence.is_rust() || !fence.has(FENCE_WORD) {
                continue;
            }
            for directive in &fence.directives {
                if matches!(
                    directive.kind,
                    DirectiveKind::Include | DirectiveKind::RustdocInclude
                ) {
                    let target = resolve(&chapter.path, &directive.path);
                    found.push((chapter.path.clone(), fence.line, target));
                }
            }
        }
    }
    found
}

/// Recomputes each listing's table and compares it with its `.perms` (or records it, when
/// blessing), in parallel.
pub fn check(root: &Path, listings: &[PathBuf], options: &Options) -> Vec<Problem> {
    let mut problems =
        crate::parallel::flat_map(listings, |listing| check_one(root, listing, options));
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    problems
}

fn problem(listing: &Path, message: String) -> Problem {
    Problem::new(Rule::PermissionTables, listing, message)
}

fn check_one(root: &Path, listing: &Path, options: &Options) -> Vec<Problem> {
    let snapshot = snapshot_of(listing);
    let source = match fs::read_to_string(root.join(listing)) {
        Ok(source) => source,
        Err(e) => return vec![problem(listing, format!("cannot be read: {e}"))],
    };
    let actual = match table(&source, Mode::Batched, options) {
        Ok(table) => table,
        Err(why) => {
            return vec![problem(
                listing,
                format!("its permission table cannot be computed: {why}"),
            )];
        }
    };
    let text = format(&actual);
    let recorded = fs::read_to_string(root.join(&snapshot));
    if options.bless {
        if recorded.as_deref().ok() != Some(text.as_str())
            && let Err(e) = fs::write(root.join(&snapshot), &text)
        {
            return vec![problem(
                listing,
                format!("cannot write {}: {e}", slash(&snapshot)),
            )];
        }
        return Vec::new();
    }
    let Ok(recorded) = recorded else {
        return vec![problem(
            listing,
            format!(
                "is shown with its permission table, but {} does not exist; run `{BLESS_COMMAND}` \
                 to record it, and read it",
                slash(&snapshot)
            ),
        )];
    };
    if recorded == text {
        return Vec::new();
    }
    let advice = format!(
        "If the listing changed on purpose, run `{BLESS_COMMAND}` and review `git diff {}`.",
        slash(&snapshot)
    );
    let expected = match parse(&recorded) {
        Ok(expected) => expected,
        Err((line, why)) => {
            return vec![problem(
                listing,
                format!(
                    "{} cannot be read, line {line}: {why}. {advice}",
                    slash(&snapshot)
                ),
            )];
        }
    };
    let found = differences(&expected, &actual);
    if found.is_empty() {
        let line = recorded
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .map_or(
                recorded.lines().count().min(text.lines().count()) + 1,
                |i| i + 1,
            );
        return vec![problem(
            listing,
            format!(
                "{} differs from the table rustc computes, from its line {line} on (the \
                 permissions agree). {advice}",
                slash(&snapshot)
            ),
        )];
    }
    found
        .into_iter()
        .map(|(line, what)| {
            let p = problem(
                listing,
                format!(
                    "{what} (rustc computes this; {} says otherwise). {advice}",
                    slash(&snapshot)
                ),
            );
            match line {
                Some(line) => p.at_line(line),
                None => p,
            }
        })
        .collect()
}

/// What differs between the recorded table and the computed one, by line of the listing.
fn differences(expected: &Table, actual: &Table) -> Vec<(Option<usize>, String)> {
    let mut found = Vec::new();
    let names = |t: &Table| {
        t.functions
            .iter()
            .map(|f| f.name.clone())
            .collect::<Vec<_>>()
    };
    if names(expected) != names(actual) {
        found.push((
            actual
                .functions
                .first()
                .and_then(|f| f.rows.first())
                .map(|r| r.line),
            format!(
                "the tables are for functions {:?}, not {:?}",
                names(actual),
                names(expected)
            ),
        ));
        return found;
    }
    for (e, a) in expected.functions.iter().zip(&actual.functions) {
        let first_line = a.rows.first().map(|r| r.line);
        if e.paths != a.paths {
            found.push((
                first_line,
                format!(
                    "in `{}` the paths are {}, not {}",
                    a.name,
                    quoted(&a.paths),
                    quoted(&e.paths)
                ),
            ));
            continue;
        }
        let lines: BTreeSet<usize> = e.rows.iter().chain(&a.rows).map(|r| r.line).collect();
        for line in lines {
            let row = |t: &FunctionTable| t.rows.iter().find(|r| r.line == line).cloned();
            let mut what = Vec::new();
            match (row(e), row(a)) {
                (Some(_), None) => what.push(format!(
                    "no row: no statement of `{}` ends on line {line}, or nothing is in scope \
                     after it",
                    a.name
                )),
                (None, Some(_)) => what.push(format!("a row is missing for line {line}")),
                (Some(er), Some(ar)) => {
                    // A row with rustc's error holds what the rejected statement found.
                    let point = if ar.errors.is_empty() {
                        format!("after line {line}")
                    } else {
                        format!("before line {line} (rustc's error)")
                    };
                    for (i, path) in a.paths.iter().enumerate() {
                        match (er.cells[i], ar.cells[i]) {
                            (Some(x), None) => what.push(format!(
                                "`{path}` is not in scope {point}, but the table gives it `{x}`"
                            )),
                            (None, Some(y)) => what.push(format!(
                                "`{path}` is in scope {point}, with `{y}`, but the table \
                                 leaves it blank"
                            )),
                            (Some(x), Some(y)) if x != y => {
                                what.push(format!("{point}, `{path}` has `{y}`, not `{x}`"))
                            }
                            _ => {}
                        }
                    }
                    if er.errors != ar.errors {
                        what.push(format!(
                            "the row of line {line} carries rustc's errors [{}], not [{}]",
                            ar.errors.join(" "),
                            er.errors.join(" ")
                        ));
                    }
                    if er.code != ar.code {
                        what.push(format!(
                            "line {line} reads `{}`, not `{}`",
                            ar.code, er.code
                        ));
                    }
                }
                (None, None) => {}
            }
            if !what.is_empty() {
                found.push((Some(line), what.join("; ")));
            }
        }
    }
    if expected.elsewhere != actual.elsewhere {
        found.push((
            None,
            format!(
                "rustc's errors outside the rows are {:?}, not {:?}",
                actual.elsewhere, expected.elsewhere
            ),
        ));
    }
    found
}

fn quoted(paths: &[String]) -> String {
    let list: Vec<String> = paths.iter().map(|p| format!("`{p}`")).collect();
    format!("[{}]", list.join(", "))
}

// ---------------------------------------------------------------------------------------------
// The book's side: the fence word, the snapshot, the section that explains
// ---------------------------------------------------------------------------------------------

/// The integrity check's part: each fence marked `permissions` shows a whole listing that has
/// its `.perms`; each `.perms` is shown by a marked fence and can be read; the section every
/// table links to exists.
pub fn integrity(root: &Path, chapters: &[Chapter], listings: &Listings) -> Vec<Problem> {
    let mut problems = Vec::new();
    let marks = marked(chapters);
    for chapter in chapters {
        for fence in &chapter.parsed.fences {
            if !fence.is_rust() || !fence.has(FENCE_WORD) {
                continue;
            }
            let whole_listing = match fence.directives.as_slice() {
                [d] => {
                    let target = resolve(&chapter.path, &d.path);
                    let whole = d.selector == Selector::Whole
                        && matches!(
                            d.kind,
                            DirectiveKind::Include | DirectiveKind::RustdocInclude
                        );
                    (whole && listings.find(&target).is_some()).then_some(target)
                }
                _ => None,
            };
            let problem = |message: String| {
                Problem::new(Rule::PermissionTables, &chapter.path, message).at_line(fence.line)
            };
            match whole_listing {
                None => problems.push(problem(format!(
                    "marks a fence `{FENCE_WORD}` that does not show one whole listing; a \
                     permission table's lines are the listing's lines, so include the whole \
                     file (no anchor or line range), or drop the word"
                ))),
                Some(listing) if !root.join(snapshot_of(&listing)).is_file() => {
                    problems.push(problem(format!(
                        "shows {} with `{FENCE_WORD}`, but {} does not exist; run \
                         `{BLESS_COMMAND}` to record it, and read it",
                        slash(&listing),
                        slash(&snapshot_of(&listing))
                    )))
                }
                Some(_) => {}
            }
        }
    }
    for listing in &listings.standalone {
        let snapshot = snapshot_of(&listing.path);
        let Ok(text) = fs::read_to_string(root.join(&snapshot)) else {
            continue;
        };
        if !marks.iter().any(|(_, _, shown)| *shown == listing.path) {
            problems.push(Problem::new(
                Rule::PermissionTables,
                &snapshot,
                format!(
                    "is a permission table no chapter shows; add `{FENCE_WORD}` to the fence that \
                     shows {} (```rust,...,{FENCE_WORD}), or delete it",
                    slash(&listing.path)
                ),
            ));
        }
        if let Err((line, why)) = parse(&text) {
            problems.push(
                Problem::new(
                    Rule::PermissionTables,
                    &snapshot,
                    format!("cannot be read: {why}; run `{BLESS_COMMAND}` to record it again"),
                )
                .at_line(line),
            );
        }
    }
    let explained = chapters.iter().any(|chapter| {
        fs::read_to_string(root.join(&chapter.path)).is_ok_and(|text| explains(&text))
    });
    if let Some((chapter, line, _)) = marks.first()
        && !explained
    {
        problems.push(
            Problem::new(
                Rule::PermissionTables,
                chapter,
                format!(
                    "shows a permission table, which links to the section that explains them, \
                     but no chapter has it: add `## Permissions: what the borrow checker sees` \
                     (id `{EXPLAINED_AT}`) where the book introduces them"
                ),
            )
            .at_line(*line),
        );
    }
    problems
}

/// The id mdBook gives a heading: lower case, spaces to `-`, punctuation other than `-` and `_`
/// dropped.
pub fn heading_id(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_permission_an_error_needed_is_read_from_the_first_as() {
        let needed = |m: &str| super::needed(m);
        assert_eq!(
            needed("cannot borrow `names` as mutable because it is also borrowed as immutable"),
            Some(("names".to_owned(), 'W'))
        );
        assert_eq!(
            needed("cannot borrow `names` as immutable because it is also borrowed as mutable"),
            Some(("names".to_owned(), 'R'))
        );
        assert_eq!(
            needed("cannot borrow `*r` as mutable, as it is behind a `&` reference"),
            Some(("*r".to_owned(), 'W'))
        );
        assert_eq!(
            needed("cannot borrow `v` as mutable more than once at a time"),
            Some(("v".to_owned(), 'W'))
        );
    }
    use super::*;

    const LISTING: &str = "\
struct Pair { a: String }

fn main() {
    let mut v = vec![1, 2, 3];
    let first = &v[0]; // a comment
    for x in &v {
        let y = *x;
        println!(\"{y}\");
    }
    println!(\"{first}\");
    let p = Pair { a: String::new() };
    let found = {
        let inner = 1;
        inner + 1
    };
    println!(\"{} {found}\", p.a);
}

impl Pair {
    fn len(&self) -> usize {
        self.a.len()
    }
}
";

    #[test]
    fn points_and_bindings_follow_the_blocks() {
        let functions = analyse(LISTING).unwrap();
        let main = &functions[0];
        assert_eq!(main.name, "main");
        let rows: Vec<(usize, Vec<&str>, &str)> = main
            .points
            .iter()
            .map(|p| {
                let names = p
                    .visible
                    .iter()
                    .map(|&b| main.bindings[b].name.as_str())
                    .collect();
                (p.line, names, p.code.as_str())
            })
            .collect();
        assert_eq!(
            rows,
            [
                (3, vec![], "fn main() {"),
                (4, vec!["v"], "let mut v = vec![1, 2, 3];"),
                (5, vec!["v", "first"], "let first = &v[0];"),
                (7, vec!["v", "first", "x", "y"], "let y = *x;"),
                (8, vec!["v", "first", "x", "y"], "println!(\"{y}\");"),
                (9, vec!["v", "first"], "for x in &v { … }"),
                (10, vec!["v", "first"], "println!(\"{first}\");"),
                (
                    11,
                    vec!["v", "first", "p"],
                    "let p = Pair { a: String::new() };"
                ),
                (13, vec!["v", "first", "p", "inner"], "let inner = 1;"),
                (15, vec!["v", "first", "p", "found"], "let found = { … };"),
                (
                    16,
                    vec!["v", "first", "p", "found"],
                    "println!(\"{} {found}\", p.a);"
                ),
            ]
        );
        assert_eq!(main.fields, [("p".to_owned(), "a".to_owned())]);
        assert_eq!(functions[1].name, "Pair::len");
        assert_eq!(functions[1].impl_head.as_deref(), Some("impl Pair {"));
        assert_eq!(functions[1].points.len(), 1, "the entry only");
        assert_eq!(&LISTING[functions[1].text.clone()][..7], "fn len(");
    }

    #[test]
    fn shadowing_hides_the_earlier_binding() {
        let functions =
            analyse("fn main() {\n    let a = 1;\n    let b = a;\n    let a = b;\n}\n").unwrap();
        let last = functions[0].points.last().unwrap();
        let names: Vec<&str> = last
            .visible
            .iter()
            .map(|&b| functions[0].bindings[b].name.as_str())
            .collect();
        assert_eq!(names, ["b", "a"]);
    }

    #[test]
    fn a_table_reads_back_as_it_was_written() {
        let table = Table {
            functions: vec![FunctionTable {
                name: "main".into(),
                paths: vec!["v".into(), "*first".into()],
                rows: vec![
                    Row {
                        line: 2,
                        cells: vec![
                            Some(Perms {
                                read: true,
                                write: true,
                                own: true,
                            }),
                            None,
                        ],
                        errors: vec![],
                        missing: vec![],
                        code: "let mut v = vec![1 | 2];".into(),
                    },
                    Row {
                        line: 3,
                        cells: vec![
                            Some(Perms {
                                read: true,
                                write: false,
                                own: false,
                            }),
                            Some(Perms::default()),
                        ],
                        errors: vec!["E0502".into(), "E0499".into()],
                        missing: vec![("*first".into(), 'W')],
                        code: String::new(),
                    },
                ],
            }],
            elsewhere: vec![("E0515".into(), 9)],
        };
        let text = format(&table);
        assert!(text.contains("\nfn main\nline | v     | *first | rustc       | code\n"));
        assert!(text.contains("   2 | R W O |        |             | let mut v = vec![1 | 2];\n"));
        assert!(text.contains("   3 | R - - | - !W - | E0502 E0499 |\n"));
        assert_eq!(parse(&text), Ok(table));
    }

    #[test]
    fn a_rejected_row_that_marks_nothing_is_told_apart_from_one_that_does() {
        // As recorded: `return_ref_to_local` (E0515, nothing marked), `assign_twice` (E0384,
        // `!W`), and a row rustc accepts.
        let text = "fn greeting\nline | text  | rustc | code\n   3 | R - O | E0515 | &text\n\n\
                    fn main\nline | total  | rustc | code\n   4 | R !W O | E0384 | total = 1;\n\n\
                    fn other\nline | v     | rustc | code\n   2 | R W O |       | let mut v = 1;\n";
        let table = parse(text).unwrap();
        let rows: Vec<bool> = table
            .functions
            .iter()
            .map(|f| f.rows[0].rejected_without_mark())
            .collect();
        assert_eq!(rows, [true, false, false]);
    }

    #[test]
    fn comments_are_cut_only_outside_strings() {
        assert_eq!(without_comment("let a = 1; // one"), "let a = 1;");
        assert_eq!(
            without_comment("let u = \"http://x\";"),
            "let u = \"http://x\";"
        );
    }

    #[test]
    fn heading_ids_are_mdbooks() {
        assert_eq!(
            heading_id("Permissions: what the borrow checker sees"),
            "permissions-what-the-borrow-checker-sees"
        );
    }
}
