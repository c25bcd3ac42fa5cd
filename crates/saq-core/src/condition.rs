//! `show_if` conditions: a small boolean language over earlier answers.
//!
//! A questionnaire hides follow-up questions until their trigger is answered, e.g.
//! `art5.offence in [yes, partially]` or
//! `art5.offence == no and not (art5.cases answered)`. This module parses such a
//! condition once, keeps every id and value with its byte span in the source (so the
//! questionnaire checker can point at an unknown id or a value the question does not
//! offer), evaluates it against a response, and prints it in one canonical form.
//!
//! # Grammar
//!
//! ```text
//! condition  := or
//! or         := and ("or" and)*                 lowest precedence, left-associative
//! and        := unary ("and" unary)*            left-associative
//! unary      := "not" unary | primary           `not` binds tightest
//! primary    := "(" or ")" | comparison
//! comparison := ID "==" VALUE | ID "!=" VALUE
//!             | ID "in" LIST | ID "not" "in" LIST | ID "answered"
//! LIST       := "[" VALUE ("," VALUE)* "]"      at least one value, no trailing comma
//! ID         := [a-z][a-z0-9_]*(\.[a-z0-9_]+)*  e.g. art5.offence
//! VALUE      := NUMBER | WORD | STRING
//! NUMBER     := -?[0-9]+(\.[0-9]+)?
//! WORD       := [a-z0-9_]+ that is not a NUMBER  e.g. yes, partially, an option id
//! STRING     := "..." | '...'                    no escapes; may hold the other quote
//! ```
//!
//! `and`, `or`, `not`, `in` and `answered` are keywords: they cannot be ids, and as
//! values they must be quoted. Spaces, tabs and line breaks may appear between
//! tokens. Nesting (parentheses, `not`, chained `and`/`or`) is limited to
//! 100 levels so that hostile input cannot exhaust the stack.
//!
//! # Evaluation
//!
//! [`Condition::evaluate`] asks a callback for each question's answer value.
//!
//! - A value is *answered* when the callback returns `Some`, and the value is not
//!   `null`, not a string that is empty after trimming, and not an empty array.
//!   `ID answered` is true exactly then.
//! - Every comparison on an unanswered question is false: `==`, `!=`, `in` and
//!   `not in` alike. A follow-up question therefore stays hidden until its trigger is
//!   answered; to say "unless", write `not (x == v)`, which is true when `x` is
//!   unanswered.
//! - A word or quoted-string literal equals a JSON string with exactly the same text;
//!   a number literal equals a JSON number with the same numeric value. Nothing else
//!   is equal: a word never equals a JSON boolean (answers are never booleans; `yes`
//!   is the string `"yes"`), nor a number, and a number never equals a string.
//! - A JSON array (a `multi_choice` answer) is a set: `x == v` is true when the array
//!   contains `v`, `x != v` when it does not, `x in [..]` when any element is in the
//!   list and `x not in [..]` when none is.
//!
//! # Errors
//!
//! [`parse`] stops at the first problem in source order and returns a
//! [`ConditionError`] whose byte span (always within the source and on character
//! boundaries) points at the offending token, with a hint where a likely fix exists.

use std::fmt;

use serde_json::Value;

/// Deepest nesting accepted, so parsing, printing, evaluating and dropping a
/// condition can never overflow the stack, whatever a questionnaire file contains.
const MAX_DEPTH: usize = 100;

/// The hint for a missing or wrong operator, shared by both places that report it.
const OPERATOR_HINT: &str = "use ==, !=, in, not in or answered";

/// A parsed `show_if` condition, together with the text it came from.
///
/// Kept together so that diagnostics about the expression (its spans are byte
/// offsets into `source`) can always be rendered against the right text.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    expr: Expr,
    source: String,
}

/// The syntax tree of a condition.
///
/// Public so that checkers can walk it; `and` and `or` chains are left-associative,
/// as parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `id == value` or `id != value`.
    Compare {
        id: Ident,
        op: CompareOp,
        value: Literal,
    },
    /// `id in [..]`, or `id not in [..]` when `negated`; `values` is never empty.
    In {
        id: Ident,
        negated: bool,
        values: Vec<Literal>,
    },
    /// `id answered`.
    Answered(Ident),
    /// `not expr`.
    Not(Box<Expr>),
    /// `left and right`.
    And(Box<Expr>, Box<Expr>),
    /// `left or right`.
    Or(Box<Expr>, Box<Expr>),
}

/// The two single-value comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

/// A question id as written, with its byte span in the source so that an unknown or
/// later question can be reported exactly where it is named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub offset: usize,
    pub len: usize,
}

/// A value a question is compared against, with its byte span in the source (quotes
/// included) so that an option the question does not have can be pointed at.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    pub value: LiteralValue,
    pub offset: usize,
    pub len: usize,
}

/// What a literal holds. Bare words and quoted strings are both `Word`: quoting only
/// lets a value contain characters (or be a keyword) that a bare word cannot.
#[derive(Debug, Clone, PartialEq)]
pub enum LiteralValue {
    Word(String),
    Number(f64),
}

/// Why a condition did not parse, and where: `offset`/`len` are a byte span of the
/// source (always within it and on character boundaries; `len` is 0 at the end of
/// the source), so the caller can underline the token in its own diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    pub message: String,
    pub offset: usize,
    pub len: usize,
    pub hint: Option<String>,
}

impl ConditionError {
    fn new(message: impl Into<String>, offset: usize, len: usize) -> Self {
        ConditionError {
            message: message.into(),
            offset,
            len,
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Prints the message and the hint; the position is left to the caller, which knows
/// the file and line the condition sits on.
impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConditionError {}

/// Parses a `show_if` condition, reporting the first problem in source order.
pub fn parse(source: &str) -> Result<Condition, ConditionError> {
    let mut parser = Parser {
        src: source,
        pos: 0,
        peeked: None,
        nesting: 0,
    };
    if parser.peek()?.kind == Tok::End {
        return Err(ConditionError::new("empty condition", 0, source.len()));
    }
    let (expr, _) = parser.or_expr(None)?;
    let next = parser.peek()?;
    match next.kind {
        Tok::End => Ok(Condition {
            expr,
            source: source.to_string(),
        }),
        Tok::RParen => Err(ConditionError::new("unmatched `)`", next.offset, next.len)
            .hint("remove it, or add a matching `(` before")),
        _ => Err(ConditionError::new(
            format!(
                "unexpected `{}` after a complete condition",
                parser.text(&next)
            ),
            next.offset,
            next.len,
        )
        .hint("combine conditions with `and` or `or`")),
    }
}

impl Condition {
    /// The parsed expression, for checkers that need more than [`Self::comparisons`].
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The text the condition was parsed from; every span refers to it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every `(id, literals compared against it)` pair in source order, so a checker
    /// can verify that ids exist (and come earlier) and that values are options the
    /// question offers. `answered` gives an empty list of literals.
    pub fn comparisons(&self) -> Vec<(&Ident, Vec<&Literal>)> {
        let mut out = Vec::new();
        collect(&self.expr, &mut out);
        out
    }

    /// Whether the condition holds, given each question's answer value (`None` when it
    /// has none); see the module documentation for the exact semantics.
    ///
    /// The answers' lifetime is independent of the id's, so a closure such as
    /// `|id| answers.get(id)` over a borrowed map can be passed.
    pub fn evaluate<'a>(&self, answer: &dyn Fn(&str) -> Option<&'a Value>) -> bool {
        eval(&self.expr, answer)
    }
}

/// The canonical form: single spaces, no redundant parentheses, values bare whenever
/// that re-parses to the same value. Re-parsing it gives the same expression (spans
/// aside), so tools can normalise and compare conditions.
impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_expr(f, &self.expr, Prec::Or)
    }
}

// ---------------------------------------------------------------------------------
// Evaluation

fn collect<'e>(expr: &'e Expr, out: &mut Vec<(&'e Ident, Vec<&'e Literal>)>) {
    match expr {
        Expr::Compare { id, value, .. } => out.push((id, vec![value])),
        Expr::In { id, values, .. } => out.push((id, values.iter().collect())),
        Expr::Answered(id) => out.push((id, Vec::new())),
        Expr::Not(inner) => collect(inner, out),
        Expr::And(left, right) | Expr::Or(left, right) => {
            collect(left, out);
            collect(right, out);
        }
    }
}

fn eval<'a>(expr: &Expr, answer: &dyn Fn(&str) -> Option<&'a Value>) -> bool {
    match expr {
        Expr::Compare { id, op, value } => match answered(answer(&id.name)) {
            None => false,
            Some(v) => matches(v, &value.value) == (*op == CompareOp::Eq),
        },
        Expr::In {
            id,
            negated,
            values,
        } => match answered(answer(&id.name)) {
            None => false,
            Some(v) => values.iter().any(|lit| matches(v, &lit.value)) != *negated,
        },
        Expr::Answered(id) => answered(answer(&id.name)).is_some(),
        Expr::Not(inner) => !eval(inner, answer),
        Expr::And(left, right) => eval(left, answer) && eval(right, answer),
        Expr::Or(left, right) => eval(left, answer) || eval(right, answer),
    }
}

/// The value, if it counts as an answer: not null, blank or an empty list.
fn answered(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    })
}

/// Whether an answer "is" the literal; an array is a set that contains it or not.
fn matches(value: &Value, lit: &LiteralValue) -> bool {
    match value {
        Value::Array(items) => items.iter().any(|item| scalar_eq(item, lit)),
        _ => scalar_eq(value, lit),
    }
}

fn scalar_eq(value: &Value, lit: &LiteralValue) -> bool {
    match (value, lit) {
        (Value::String(s), LiteralValue::Word(w)) => s == w,
        (Value::Number(n), LiteralValue::Number(x)) => n.as_f64() == Some(*x),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------
// Canonical printing

/// The context an expression is printed in; parentheses are needed when the
/// expression binds more loosely than its context.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Or,
    And,
    Unary,
}

fn write_expr(f: &mut fmt::Formatter<'_>, expr: &Expr, ctx: Prec) -> fmt::Result {
    let own = match expr {
        Expr::Or(..) => Prec::Or,
        Expr::And(..) => Prec::And,
        _ => Prec::Unary,
    };
    let paren = own < ctx;
    if paren {
        f.write_str("(")?;
    }
    match expr {
        // The right operand of a left-associative chain needs parentheses when it is
        // itself the same operator, or it would re-parse as a longer chain.
        Expr::Or(left, right) => {
            write_expr(f, left, Prec::Or)?;
            f.write_str(" or ")?;
            write_expr(f, right, Prec::And)?;
        }
        Expr::And(left, right) => {
            write_expr(f, left, Prec::And)?;
            f.write_str(" and ")?;
            write_expr(f, right, Prec::Unary)?;
        }
        Expr::Not(inner) => {
            f.write_str("not ")?;
            write_expr(f, inner, Prec::Unary)?;
        }
        Expr::Compare { id, op, value } => {
            let op = match op {
                CompareOp::Eq => "==",
                CompareOp::Ne => "!=",
            };
            write!(f, "{} {op} ", id.name)?;
            write_literal(f, &value.value)?;
        }
        Expr::In {
            id,
            negated,
            values,
        } => {
            let op = if *negated { "not in" } else { "in" };
            write!(f, "{} {op} [", id.name)?;
            for (i, lit) in values.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write_literal(f, &lit.value)?;
            }
            f.write_str("]")?;
        }
        Expr::Answered(id) => write!(f, "{} answered", id.name)?,
    }
    if paren {
        f.write_str(")")?;
    }
    Ok(())
}

fn write_literal(f: &mut fmt::Formatter<'_>, lit: &LiteralValue) -> fmt::Result {
    match lit {
        // Rust prints finite f64 without exponents, in a form that parses back to the
        // same value; `parse` never produces a non-finite number.
        LiteralValue::Number(n) => write!(f, "{n}"),
        LiteralValue::Word(w) if is_bare_word(w) && keyword(w).is_none() => f.write_str(w),
        // A parsed word never holds both quote characters, since strings have no
        // escapes; pick the one it does not contain.
        LiteralValue::Word(w) if w.contains('"') => write!(f, "'{w}'"),
        LiteralValue::Word(w) => write!(f, "\"{w}\""),
    }
}

// ---------------------------------------------------------------------------------
// Lexical classes

/// `[a-z][a-z0-9_]*(\.[a-z0-9_]+)*`
fn is_id(s: &str) -> bool {
    let mut parts = s.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| p.starts_with(|c: char| c.is_ascii_lowercase()) && is_segment(p));
    first_ok && parts.all(is_segment)
}

/// `[a-z0-9_]+`
fn is_segment(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `[a-z0-9_]+` that is not a number.
fn is_bare_word(s: &str) -> bool {
    is_segment(s) && !is_number(s)
}

/// `-?[0-9]+(\.[0-9]+)?`
fn is_number(s: &str) -> bool {
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    match unsigned.split_once('.') {
        Some((int, frac)) => digits(int) && digits(frac),
        None => digits(unsigned),
    }
}

fn keyword(s: &str) -> Option<Tok> {
    match s {
        "and" => Some(Tok::And),
        "or" => Some(Tok::Or),
        "not" => Some(Tok::Not),
        "in" => Some(Tok::In),
        "answered" => Some(Tok::Answered),
        _ => None,
    }
}

/// Characters a bare run (id, word or number) is made of. Upper-case letters are
/// included so that `Yes` is reported as one bad value rather than a stray `Y`.
fn is_run_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

// ---------------------------------------------------------------------------------
// Lexer and parser

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A run of `[A-Za-z0-9_.]` (or `-` then a digit); classified by the parser as an
    /// id, a word or a number depending on where it appears.
    Run,
    /// A quoted string's contents.
    Str(String),
    EqEq,
    NotEq,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    And,
    Or,
    Not,
    In,
    Answered,
    End,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Tok,
    offset: usize,
    len: usize,
}

/// A recursive-descent parser pulling tokens lazily, so that the first problem in
/// source order is the one reported, whether lexical or grammatical.
struct Parser<'s> {
    src: &'s str,
    /// Byte position of the next unlexed character; always a char boundary.
    pos: usize,
    peeked: Option<Token>,
    /// Current depth of parentheses and `not`, bounding the parser's recursion.
    nesting: usize,
}

type PResult<T> = Result<T, ConditionError>;

impl<'s> Parser<'s> {
    fn text(&self, tok: &Token) -> &'s str {
        self.src.get(tok.offset..tok.offset + tok.len).unwrap_or("")
    }

    fn peek(&mut self) -> PResult<Token> {
        if let Some(tok) = &self.peeked {
            return Ok(tok.clone());
        }
        let tok = self.lex()?;
        self.peeked = Some(tok.clone());
        Ok(tok)
    }

    fn bump(&mut self) -> PResult<Token> {
        let tok = self.peek()?;
        self.peeked = None;
        Ok(tok)
    }

    fn lex(&mut self) -> PResult<Token> {
        let rest = self.src.get(self.pos..).unwrap_or("");
        let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
        let start = self.pos + (rest.len() - trimmed.len());
        let mut chars = trimmed.chars();
        let Some(c) = chars.next() else {
            self.pos = self.src.len();
            return Ok(Token {
                kind: Tok::End,
                offset: self.src.len(),
                len: 0,
            });
        };
        let next = chars.next();
        let err = |message: String, len: usize| ConditionError::new(message, start, len);
        let (kind, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            '[' => (Tok::LBracket, 1),
            ']' => (Tok::RBracket, 1),
            ',' => (Tok::Comma, 1),
            '=' if next == Some('=') => (Tok::EqEq, 2),
            '!' if next == Some('=') => (Tok::NotEq, 2),
            '=' => return Err(err("unexpected `=`".into(), 1).hint("did you mean `==`?")),
            '!' => return Err(err("unexpected `!`".into(), 1).hint("use `not`")),
            '&' | '|' => {
                let len = if next == Some(c) { 2 } else { 1 };
                let word = if c == '&' { "and" } else { "or" };
                let op = trimmed.get(..len).unwrap_or("");
                return Err(err(format!("unexpected `{op}`"), len).hint(format!("use `{word}`")));
            }
            '"' | '\'' => {
                let body = trimmed.get(1..).unwrap_or("");
                match body.find(c) {
                    Some(end) => (Tok::Str(body.get(..end).unwrap_or("").to_string()), end + 2),
                    None => {
                        return Err(
                            err("unterminated string".into(), 1).hint(format!("close it with {c}"))
                        )
                    }
                }
            }
            c if is_run_char(c) && c != '.'
                || c == '-' && next.is_some_and(|n| n.is_ascii_digit()) =>
            {
                // Every char of a run is ASCII, so byte and char counts agree.
                let len = 1 + trimmed
                    .chars()
                    .skip(1)
                    .take_while(|&ch| is_run_char(ch))
                    .count();
                let word = trimmed.get(..len).unwrap_or("");
                (keyword(word).unwrap_or(Tok::Run), len)
            }
            other => {
                let e = err(
                    format!("unexpected character `{}`", other.escape_debug()),
                    other.len_utf8(),
                );
                return Err(match other {
                    '<' | '>' => e.hint("only ==, !=, in and not in compare values"),
                    '“' | '”' | '‘' | '’' | '«' | '»' => {
                        e.hint("quote values with \" or '")
                    }
                    'A'..='Z' => e.hint("ids and bare values are lower-case"),
                    w if w.is_whitespace() => {
                        e.hint("only spaces, tabs and line breaks may separate tokens")
                    }
                    _ => e,
                });
            }
        };
        self.pos = start + len;
        Ok(Token {
            kind,
            offset: start,
            len,
        })
    }

    /// Errors for an unexpected token where `what` was expected (`after` says what
    /// came before, when that helps), distinguishing the end of the source.
    fn expected(&self, what: &str, after: Option<&str>, found: &Token) -> ConditionError {
        let after = after.map(|a| format!(" after {a}")).unwrap_or_default();
        if found.kind == Tok::End {
            ConditionError::new(
                format!("unexpected end of the condition: expected {what}{after}"),
                found.offset,
                0,
            )
        } else {
            ConditionError::new(
                format!("expected {what}{after}, found `{}`", self.text(found)),
                found.offset,
                found.len,
            )
        }
    }

    fn too_deep(tok: &Token) -> ConditionError {
        ConditionError::new(
            format!("condition is nested too deeply (the limit is {MAX_DEPTH} levels)"),
            tok.offset,
            tok.len,
        )
        .hint("split it, or simplify it")
    }

    fn enter(&mut self, tok: &Token) -> PResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_DEPTH {
            return Err(Self::too_deep(tok));
        }
        Ok(())
    }

    /// Each parse function returns the expression and the depth of its tree.
    fn or_expr(&mut self, after: Option<&str>) -> PResult<(Expr, usize)> {
        let (mut left, mut depth) = self.and_expr(after)?;
        loop {
            let op = self.peek()?;
            if op.kind != Tok::Or {
                return Ok((left, depth));
            }
            self.bump()?;
            let (right, d) = self.and_expr(Some("`or`"))?;
            depth = 1 + depth.max(d);
            if depth > MAX_DEPTH {
                return Err(Self::too_deep(&op));
            }
            left = Expr::Or(Box::new(left), Box::new(right));
        }
    }

    fn and_expr(&mut self, after: Option<&str>) -> PResult<(Expr, usize)> {
        let (mut left, mut depth) = self.unary(after)?;
        loop {
            let op = self.peek()?;
            if op.kind != Tok::And {
                return Ok((left, depth));
            }
            self.bump()?;
            let (right, d) = self.unary(Some("`and`"))?;
            depth = 1 + depth.max(d);
            if depth > MAX_DEPTH {
                return Err(Self::too_deep(&op));
            }
            left = Expr::And(Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self, after: Option<&str>) -> PResult<(Expr, usize)> {
        let tok = self.peek()?;
        if tok.kind != Tok::Not {
            return self.primary(after);
        }
        self.bump()?;
        self.enter(&tok)?;
        let (inner, depth) = self.unary(Some("`not`"))?;
        self.nesting -= 1;
        Ok((Expr::Not(Box::new(inner)), depth + 1))
    }

    fn primary(&mut self, after: Option<&str>) -> PResult<(Expr, usize)> {
        let tok = self.peek()?;
        match &tok.kind {
            Tok::LParen => {
                self.bump()?;
                self.enter(&tok)?;
                let (inner, depth) = self.or_expr(Some("`(`"))?;
                let close = self.peek()?;
                match close.kind {
                    Tok::RParen => {
                        self.bump()?;
                    }
                    Tok::End => {
                        return Err(ConditionError::new("unclosed `(`", tok.offset, tok.len)
                            .hint("add a matching `)`"))
                    }
                    _ => return Err(self.expected("`and`, `or` or `)`", None, &close)),
                }
                self.nesting -= 1;
                Ok((inner, depth))
            }
            Tok::Run => {
                let text = self.text(&tok);
                if !is_id(text) {
                    return Err(ConditionError::new(
                        format!("`{text}` is not a valid question id"),
                        tok.offset,
                        tok.len,
                    )
                    .hint(
                        "ids are lower-case letters, digits and `_` in dot-separated parts, \
                         starting with a letter, e.g. `art5.offence`",
                    ));
                }
                self.bump()?;
                let id = Ident {
                    name: text.to_string(),
                    offset: tok.offset,
                    len: tok.len,
                };
                Ok((self.comparison(id)?, 1))
            }
            Tok::Str(_) => Err(self
                .expected("a question id", after, &tok)
                .hint("question ids are not quoted")),
            Tok::And | Tok::Or | Tok::In | Tok::Answered => Err(ConditionError::new(
                format!("`{}` is a keyword, not a question id", self.text(&tok)),
                tok.offset,
                tok.len,
            )),
            _ => Err(self.expected("a question id", after, &tok)),
        }
    }

    fn comparison(&mut self, id: Ident) -> PResult<Expr> {
        let op = self.peek()?;
        match op.kind {
            Tok::EqEq | Tok::NotEq => {
                self.bump()?;
                let after = if op.kind == Tok::EqEq { "`==`" } else { "`!=`" };
                let value = self.value(Some(after))?;
                let op = if op.kind == Tok::EqEq {
                    CompareOp::Eq
                } else {
                    CompareOp::Ne
                };
                Ok(Expr::Compare { id, op, value })
            }
            Tok::In => {
                self.bump()?;
                let values = self.list()?;
                Ok(Expr::In {
                    id,
                    negated: false,
                    values,
                })
            }
            Tok::Not => {
                self.bump()?;
                let tok = self.peek()?;
                match tok.kind {
                    Tok::In => {
                        self.bump()?;
                        let values = self.list()?;
                        Ok(Expr::In {
                            id,
                            negated: true,
                            values,
                        })
                    }
                    Tok::Answered => Err(self.expected("`in`", Some("`not`"), &tok).hint(format!(
                        "to negate `answered`, write `not {} answered`",
                        id.name
                    ))),
                    _ => Err(self.expected("`in`", Some("`not`"), &tok)),
                }
            }
            Tok::Answered => {
                self.bump()?;
                Ok(Expr::Answered(id))
            }
            _ => Err(self
                .expected("an operator", Some(&format!("`{}`", id.name)), &op)
                .hint(OPERATOR_HINT)),
        }
    }

    /// `[v, ...]` after `in`; the end of the source anywhere inside is reported at the
    /// opening bracket, which is what needs closing.
    fn list(&mut self) -> PResult<Vec<Literal>> {
        let open = self.peek()?;
        if open.kind != Tok::LBracket {
            return Err(self
                .expected("`[`", Some("`in`"), &open)
                .hint("list the values in brackets, e.g. `in [yes, partially]`"));
        }
        self.bump()?;
        let unclosed = || {
            ConditionError::new("unclosed `[`", open.offset, open.len).hint("add a matching `]`")
        };
        let first = self.peek()?;
        match first.kind {
            Tok::End => return Err(unclosed()),
            Tok::RBracket => {
                return Err(ConditionError::new(
                    "empty list: `in` needs at least one value",
                    open.offset,
                    first.offset + first.len - open.offset,
                ))
            }
            _ => {}
        }
        let mut values = vec![self.value(None)?];
        loop {
            let tok = self.peek()?;
            match tok.kind {
                Tok::RBracket => {
                    self.bump()?;
                    return Ok(values);
                }
                Tok::Comma => {
                    self.bump()?;
                    let next = self.peek()?;
                    match next.kind {
                        Tok::End => return Err(unclosed()),
                        Tok::RBracket => {
                            return Err(self
                                .expected("a value", Some("`,`"), &next)
                                .hint("remove the trailing `,`"))
                        }
                        _ => values.push(self.value(Some("`,`"))?),
                    }
                }
                Tok::End => return Err(unclosed()),
                _ => return Err(self.expected("`,` or `]`", None, &tok)),
            }
        }
    }

    fn value(&mut self, after: Option<&str>) -> PResult<Literal> {
        let tok = self.peek()?;
        let value = match &tok.kind {
            Tok::Str(s) => LiteralValue::Word(s.clone()),
            Tok::Run => {
                let text = self.text(&tok);
                if is_number(text) {
                    match text.parse::<f64>() {
                        Ok(n) if n.is_finite() => LiteralValue::Number(n),
                        _ => {
                            return Err(ConditionError::new(
                                format!("number `{text}` is out of range"),
                                tok.offset,
                                tok.len,
                            ))
                        }
                    }
                } else if is_bare_word(text) {
                    LiteralValue::Word(text.to_string())
                } else {
                    return Err(ConditionError::new(
                        format!("`{text}` is not a valid value"),
                        tok.offset,
                        tok.len,
                    )
                    .hint(format!(
                        "bare values are lower-case letters, digits and `_`, or numbers; \
                         quote anything else: \"{text}\""
                    )));
                }
            }
            Tok::And | Tok::Or | Tok::Not | Tok::In | Tok::Answered => {
                let text = self.text(&tok);
                return Err(self.expected("a value", after, &tok).hint(format!(
                    "`{text}` is a keyword; quote it to use it as a value: \"{text}\""
                )));
            }
            _ => return Err(self.expected("a value", after, &tok)),
        };
        self.bump()?;
        Ok(Literal {
            value,
            offset: tok.offset,
            len: tok.len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    fn id(name: &str, offset: usize) -> Ident {
        Ident {
            name: name.to_string(),
            offset,
            len: name.len(),
        }
    }

    fn word(w: &str, offset: usize, len: usize) -> Literal {
        Literal {
            value: LiteralValue::Word(w.to_string()),
            offset,
            len,
        }
    }

    fn num(n: f64, offset: usize, len: usize) -> Literal {
        Literal {
            value: LiteralValue::Number(n),
            offset,
            len,
        }
    }

    fn parsed(src: &str) -> Expr {
        match parse(src) {
            Ok(c) => c.expr().clone(),
            Err(e) => panic!("{src:?} failed to parse: {e} at {}+{}", e.offset, e.len),
        }
    }

    fn err(src: &str) -> ConditionError {
        match parse(src) {
            Ok(c) => panic!("{src:?} parsed unexpectedly as {c}"),
            Err(e) => e,
        }
    }

    /// The expression with every span zeroed, to compare shapes across sources.
    fn strip(expr: &Expr) -> Expr {
        let i = |x: &Ident| Ident {
            name: x.name.clone(),
            offset: 0,
            len: 0,
        };
        let l = |x: &Literal| Literal {
            value: x.value.clone(),
            offset: 0,
            len: 0,
        };
        match expr {
            Expr::Compare { id, op, value } => Expr::Compare {
                id: i(id),
                op: *op,
                value: l(value),
            },
            Expr::In {
                id,
                negated,
                values,
            } => Expr::In {
                id: i(id),
                negated: *negated,
                values: values.iter().map(l).collect(),
            },
            Expr::Answered(id) => Expr::Answered(i(id)),
            Expr::Not(e) => Expr::Not(Box::new(strip(e))),
            Expr::And(a, b) => Expr::And(Box::new(strip(a)), Box::new(strip(b))),
            Expr::Or(a, b) => Expr::Or(Box::new(strip(a)), Box::new(strip(b))),
        }
    }

    fn canonical(src: &str) -> String {
        match parse(src) {
            Ok(c) => c.to_string(),
            Err(e) => panic!("{src:?} failed to parse: {e}"),
        }
    }

    fn eval_with(src: &str, answers: &HashMap<&str, Value>) -> bool {
        let cond = parse(src).unwrap();
        cond.evaluate(&|id| answers.get(id))
    }

    // ------------------------------------------------------------------ parsing

    #[test]
    fn parses_answered() {
        assert_eq!(
            parsed("art5.offence answered"),
            Expr::Answered(id("art5.offence", 0))
        );
    }

    #[test]
    fn parses_eq_and_ne_with_spans() {
        assert_eq!(
            parsed("art5.offence == yes"),
            Expr::Compare {
                id: id("art5.offence", 0),
                op: CompareOp::Eq,
                value: word("yes", 16, 3),
            }
        );
        assert_eq!(
            parsed("a!=no"),
            Expr::Compare {
                id: id("a", 0),
                op: CompareOp::Ne,
                value: word("no", 3, 2),
            }
        );
    }

    #[test]
    fn parses_in_and_not_in() {
        assert_eq!(
            parsed("art5.offence in [yes, partially]"),
            Expr::In {
                id: id("art5.offence", 0),
                negated: false,
                values: vec![word("yes", 17, 3), word("partially", 22, 9)],
            }
        );
        assert_eq!(
            parsed("x not in [a]"),
            Expr::In {
                id: id("x", 0),
                negated: true,
                values: vec![word("a", 10, 1)],
            }
        );
        assert_eq!(
            parsed("x in[a,b]"),
            Expr::In {
                id: id("x", 0),
                negated: false,
                values: vec![word("a", 5, 1), word("b", 7, 1)],
            }
        );
    }

    #[test]
    fn parses_numbers() {
        let value = |src: &str| match parsed(src) {
            Expr::Compare { value, .. } => value,
            other => panic!("not a comparison: {other:?}"),
        };
        assert_eq!(value("n == 42"), num(42.0, 5, 2));
        assert_eq!(value("n == -3"), num(-3.0, 5, 2));
        assert_eq!(value("n == 2.50"), num(2.5, 5, 4));
        assert_eq!(value("n==-0.5"), num(-0.5, 3, 4));
        // Words may start with digits when they are not numbers.
        assert_eq!(value("n == 1st"), word("1st", 5, 3));
        assert_eq!(value("n == _1"), word("_1", 5, 2));
    }

    #[test]
    fn parses_quoted_strings() {
        let value = |src: &str| match parsed(src) {
            Expr::Compare { value, .. } => value,
            other => panic!("not a comparison: {other:?}"),
        };
        assert_eq!(value("x == \"Yes, really\""), word("Yes, really", 5, 13));
        assert_eq!(value("x == 'it\"s'"), word("it\"s", 5, 6));
        assert_eq!(value("x == \"don't\""), word("don't", 5, 7));
        assert_eq!(value("x == \"«oui»\""), word("«oui»", 5, 9));
        assert_eq!(value("x == ''"), word("", 5, 2));
        assert_eq!(value("x == \"and\""), word("and", 5, 5));
        assert_eq!(value("x == \"5\""), word("5", 5, 3));
    }

    #[test]
    fn parses_whitespace_anywhere() {
        let expected = parsed("a == x and not (b in [c, d])");
        let spaced = parsed("\t a\t==  x \tand\nnot(  b in [ c ,d ] )  ");
        assert_eq!(strip(&spaced), strip(&expected));
        assert_eq!(
            strip(&parsed("a==x and(not b answered)")),
            strip(&parsed("a == x and not b answered"))
        );
    }

    #[test]
    fn keywords_inside_ids_are_ids() {
        assert_eq!(parsed("and.x answered"), Expr::Answered(id("and.x", 0)));
        assert_eq!(
            parsed("in_force answered"),
            Expr::Answered(id("in_force", 0))
        );
        assert_eq!(parsed("art5.in answered"), Expr::Answered(id("art5.in", 0)));
        assert_eq!(parsed("notes answered"), Expr::Answered(id("notes", 0)));
        assert_eq!(parsed("a.1.b_2 answered"), Expr::Answered(id("a.1.b_2", 0)));
    }

    #[test]
    fn precedence_or_lowest_not_tightest() {
        let got = parsed("a == x or b == y and not c answered");
        let expected = Expr::Or(
            Box::new(Expr::Compare {
                id: id("a", 0),
                op: CompareOp::Eq,
                value: word("x", 5, 1),
            }),
            Box::new(Expr::And(
                Box::new(Expr::Compare {
                    id: id("b", 10),
                    op: CompareOp::Eq,
                    value: word("y", 15, 1),
                }),
                Box::new(Expr::Not(Box::new(Expr::Answered(id("c", 25))))),
            )),
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn chains_are_left_associative_and_parens_override() {
        let a = || Box::new(strip(&parsed("a answered")));
        let b = || Box::new(strip(&parsed("b answered")));
        let c = || Box::new(strip(&parsed("c answered")));
        assert_eq!(
            strip(&parsed("a answered or b answered or c answered")),
            Expr::Or(Box::new(Expr::Or(a(), b())), c())
        );
        assert_eq!(
            strip(&parsed("a answered and b answered and c answered")),
            Expr::And(Box::new(Expr::And(a(), b())), c())
        );
        assert_eq!(
            strip(&parsed("(a answered or b answered) and c answered")),
            Expr::And(Box::new(Expr::Or(a(), b())), c())
        );
        assert_eq!(
            strip(&parsed("not (a answered and b answered)")),
            Expr::Not(Box::new(Expr::And(a(), b())))
        );
        assert_eq!(
            strip(&parsed("not a answered and b answered")),
            Expr::And(Box::new(Expr::Not(a())), b())
        );
        assert_eq!(
            strip(&parsed("not not a answered")),
            Expr::Not(Box::new(Expr::Not(a())))
        );
    }

    #[test]
    fn not_before_id_differs_from_not_in() {
        let prefix = strip(&parsed("not x in [a]"));
        let infix = strip(&parsed("x not in [a]"));
        assert_ne!(prefix, infix);
        assert!(matches!(prefix, Expr::Not(_)));
    }

    #[test]
    fn nesting_within_limit_parses() {
        let src = format!("{}a answered{}", "(".repeat(99), ")".repeat(99));
        assert_eq!(parsed(&src), Expr::Answered(id("a", 99)));
        let chain = vec!["a answered"; 50].join(" and ");
        assert!(parse(&chain).is_ok());
    }

    #[test]
    fn source_and_comparisons() {
        let src = "b == 1 and (a in [x, \"y\"] or not c answered) and d != z";
        let cond = parse(src).unwrap();
        assert_eq!(cond.source(), src);
        let got: Vec<(String, Vec<LiteralValue>)> = cond
            .comparisons()
            .into_iter()
            .map(|(i, ls)| {
                (
                    i.name.clone(),
                    ls.into_iter().map(|l| l.value.clone()).collect(),
                )
            })
            .collect();
        let w = |s: &str| LiteralValue::Word(s.to_string());
        assert_eq!(
            got,
            vec![
                ("b".to_string(), vec![LiteralValue::Number(1.0)]),
                ("a".to_string(), vec![w("x"), w("y")]),
                ("c".to_string(), vec![]),
                ("d".to_string(), vec![w("z")]),
            ]
        );
        // Spans point into the source.
        for (ident, lits) in cond.comparisons() {
            assert_eq!(&src[ident.offset..ident.offset + ident.len], ident.name);
            for lit in lits {
                let text = &src[lit.offset..lit.offset + lit.len];
                match &lit.value {
                    LiteralValue::Word(w) => assert!(text.contains(w.as_str()), "{text}"),
                    LiteralValue::Number(n) => assert_eq!(text.parse::<f64>().ok(), Some(*n)),
                }
            }
        }
    }

    // ------------------------------------------------------------------ display

    #[test]
    fn display_is_canonical() {
        let cases = [
            (
                "art5.offence in [ yes,partially ]  and not(art5.x answered)",
                "art5.offence in [yes, partially] and not art5.x answered",
            ),
            (
                "a==x or (b==y and not c answered)",
                "a == x or b == y and not c answered",
            ),
            (
                "(a answered or b answered) and c answered",
                "(a answered or b answered) and c answered",
            ),
            (
                "a answered or (b answered or c answered)",
                "a answered or (b answered or c answered)",
            ),
            (
                "((a answered or b answered)) or c answered",
                "a answered or b answered or c answered",
            ),
            (
                "a answered and (b answered and c answered)",
                "a answered and (b answered and c answered)",
            ),
            (
                "not (a answered or b answered)",
                "not (a answered or b answered)",
            ),
            ("not (not a answered)", "not not a answered"),
            (
                "x not in ['a b', \"it's\", 'say \"hi\"']",
                "x not in [\"a b\", \"it's\", 'say \"hi\"']",
            ),
            ("x == 'yes'", "x == yes"),
            ("x == \"and\"", "x == \"and\""),
            ("x == \"5\"", "x == \"5\""),
            ("x == ''", "x == \"\""),
            ("x != 007", "x != 7"),
            ("x == -2.50", "x == -2.5"),
            ("x == 1st", "x == 1st"),
        ];
        for (src, expected) in cases {
            assert_eq!(canonical(src), expected, "canonical form of {src:?}");
        }
    }

    #[test]
    fn display_round_trips() {
        let sources = [
            "art5.offence == no and not (art5.cases answered)",
            "a == x or b == y and not c answered",
            "a answered or (b answered or c answered) and (d answered or e answered)",
            "not (a in [x] and b not in [y, 'Z z', 3.25]) or c != -1",
            "x == 'it\"s' or y == \"don't\" or z == \"«oui»\"",
            "n == 12345678901234567890123 or m == 0.000001",
        ];
        for src in sources {
            let first = parse(src).unwrap();
            let printed = first.to_string();
            let second = parse(&printed).unwrap();
            assert_eq!(
                strip(second.expr()),
                strip(first.expr()),
                "{src:?} -> {printed:?}"
            );
            assert_eq!(second.to_string(), printed);
        }
        // A canonical source re-parses to an identical expression, spans included.
        let src = "art5.offence in [yes, partially] and not art5.x answered";
        let cond = parse(src).unwrap();
        assert_eq!(cond.to_string(), src);
        assert_eq!(parse(&cond.to_string()).unwrap(), cond);
    }

    // ------------------------------------------------------------------ evaluation

    fn answers(pairs: &[(&'static str, Value)]) -> HashMap<&'static str, Value> {
        pairs.iter().cloned().collect()
    }

    #[test]
    fn evaluates_strings() {
        let a = answers(&[("x", json!("yes"))]);
        assert!(eval_with("x == yes", &a));
        assert!(!eval_with("x == no", &a));
        assert!(eval_with("x != no", &a));
        assert!(!eval_with("x != yes", &a));
        assert!(eval_with("x in [no, yes]", &a));
        assert!(!eval_with("x in [no, partially]", &a));
        assert!(eval_with("x not in [no, partially]", &a));
        assert!(!eval_with("x not in [yes]", &a));
        assert!(eval_with("x == \"yes\"", &a));
        assert!(eval_with("x answered", &a));
        // Exact text: no case folding, no trimming.
        assert!(!eval_with("x == \"Yes\"", &a));
        let padded = answers(&[("x", json!(" yes"))]);
        assert!(!eval_with("x == yes", &padded));
    }

    #[test]
    fn evaluates_numbers() {
        let a = answers(&[("n", json!(3)), ("f", json!(2.5)), ("neg", json!(-1))]);
        assert!(eval_with("n == 3", &a));
        assert!(eval_with("n == 3.0", &a));
        assert!(!eval_with("n == 4", &a));
        assert!(eval_with("n != 4", &a));
        assert!(eval_with("f == 2.50", &a));
        assert!(eval_with("neg == -1", &a));
        assert!(eval_with("n in [1, 2, 3]", &a));
        assert!(eval_with("n not in [1, 2]", &a));
        assert!(!eval_with("n not in [3]", &a));
        // Numbers and strings never compare equal, either way round.
        assert!(!eval_with("n == \"3\"", &a));
        assert!(eval_with("n != \"3\"", &a));
        let s = answers(&[("n", json!("3"))]);
        assert!(!eval_with("n == 3", &s));
        assert!(eval_with("n == \"3\"", &s));
    }

    #[test]
    fn booleans_never_equal_words() {
        let a = answers(&[("b", json!(true)), ("c", json!(false))]);
        assert!(!eval_with("b == yes", &a));
        assert!(!eval_with("b == true", &a));
        assert!(!eval_with("c == false", &a));
        assert!(eval_with("b != yes", &a));
        assert!(eval_with("b answered", &a));
        assert!(eval_with("c answered", &a));
    }

    #[test]
    fn evaluates_arrays_as_sets() {
        let a = answers(&[("m", json!(["a", "b"]))]);
        assert!(eval_with("m == a", &a));
        assert!(eval_with("m == b", &a));
        assert!(!eval_with("m == c", &a));
        assert!(eval_with("m != c", &a));
        assert!(!eval_with("m != a", &a));
        assert!(eval_with("m in [c, b]", &a));
        assert!(!eval_with("m in [c, d]", &a));
        assert!(eval_with("m not in [c, d]", &a));
        assert!(!eval_with("m not in [c, a]", &a));
        assert!(eval_with("m answered", &a));
        let nums = answers(&[("m", json!([1, 2]))]);
        assert!(eval_with("m == 2", &nums));
        assert!(!eval_with("m == \"2\"", &nums));
        // Lists of records (legislation, cases) are answered but equal no value.
        let recs = answers(&[("l", json!([{ "title": "a" }]))]);
        assert!(eval_with("l answered", &recs));
        assert!(!eval_with("l == a", &recs));
        assert!(eval_with("l != a", &recs));
    }

    #[test]
    fn unanswered_makes_every_comparison_false() {
        let cases = [
            ("missing", None),
            ("null", Some(json!(null))),
            ("empty string", Some(json!(""))),
            ("blank string", Some(json!("  \t"))),
            ("empty array", Some(json!([]))),
        ];
        for (what, value) in cases {
            let mut a = HashMap::new();
            if let Some(v) = value {
                a.insert("x", v);
            }
            for src in [
                "x == yes",
                "x != yes",
                "x in [yes]",
                "x not in [yes]",
                "x == 1",
                "x != 1",
                "x answered",
                "x == \"\"",
            ] {
                assert!(
                    !eval_with(src, &a),
                    "{src} should be false when x is {what}"
                );
            }
            assert!(
                eval_with("not (x == yes)", &a),
                "unless-form when x is {what}"
            );
            assert!(
                eval_with("not x answered", &a),
                "not answered when x is {what}"
            );
        }
    }

    #[test]
    fn evaluates_boolean_operators() {
        let a = answers(&[("a", json!("x")), ("b", json!("y"))]);
        assert!(eval_with("a == x and b == y", &a));
        assert!(!eval_with("a == x and b == z", &a));
        assert!(eval_with("a == z or b == y", &a));
        assert!(!eval_with("a == z or b == z", &a));
        assert!(eval_with("not a == z", &a));
        assert!(!eval_with("not a == x", &a));
        // Precedence matters to the result: `or` is lowest.
        assert!(eval_with("a == x or b == z and c answered", &a));
        assert!(!eval_with("(a == x or b == z) and c answered", &a));
    }

    #[test]
    fn evaluate_accepts_a_borrowed_map() {
        let map: serde_json::Map<String, Value> =
            serde_json::from_value(json!({ "art5.offence": "partially" })).unwrap();
        let cond = parse("art5.offence in [yes, partially]").unwrap();
        assert!(cond.evaluate(&|id| map.get(id)));
        assert!(!cond.evaluate(&|_| None));
    }

    // ------------------------------------------------------------------ errors

    /// Asserts message, span and hint of the error for `src`.
    fn assert_err(src: &str, message: &str, offset: usize, len: usize, hint: Option<&str>) {
        let e = err(src);
        assert_eq!(
            (e.message.as_str(), e.offset, e.len, e.hint.as_deref()),
            (message, offset, len, hint),
            "error for {src:?}"
        );
    }

    #[test]
    fn error_empty() {
        assert_err("", "empty condition", 0, 0, None);
        assert_err(" \t ", "empty condition", 0, 3, None);
    }

    #[test]
    fn error_unexpected_character() {
        assert_err("art5.x == yes @", "unexpected character `@`", 14, 1, None);
        assert_err("x == -", "unexpected character `-`", 5, 1, None);
        assert_err(".x answered", "unexpected character `.`", 0, 1, None);
        assert_err(
            "n > 3",
            "unexpected character `>`",
            2,
            1,
            Some("only ==, !=, in and not in compare values"),
        );
    }

    #[test]
    fn error_non_ascii() {
        assert_err(
            "art5.x == «oui»",
            "unexpected character `«`",
            10,
            2,
            Some("quote values with \" or '"),
        );
        assert_err("é", "unexpected character `é`", 0, 2, None);
        assert_err(
            "x == \u{a0}yes",
            "unexpected character `\\u{a0}`",
            5,
            2,
            Some("only spaces, tabs and line breaks may separate tokens"),
        );
        assert_err(
            "x == yes and 日本 answered",
            "unexpected character `日`",
            13,
            3,
            None,
        );
        // Non-ASCII inside a string is fine; after one, spans stay byte offsets.
        assert_err(
            "x == \"é\" )",
            "unmatched `)`",
            10,
            1,
            Some("remove it, or add a matching `(` before"),
        );
    }

    #[test]
    fn error_unterminated_string() {
        assert_err(
            "art5.x == \"yes",
            "unterminated string",
            10,
            1,
            Some("close it with \""),
        );
        assert_err(
            "x in ['a', 'b]",
            "unterminated string",
            11,
            1,
            Some("close it with '"),
        );
    }

    #[test]
    fn error_unexpected_end() {
        assert_err(
            "art5.x ==",
            "unexpected end of the condition: expected a value after `==`",
            9,
            0,
            None,
        );
        assert_err(
            "x != ",
            "unexpected end of the condition: expected a value after `!=`",
            5,
            0,
            None,
        );
        assert_err(
            "x answered and",
            "unexpected end of the condition: expected a question id after `and`",
            14,
            0,
            None,
        );
        assert_err(
            "x answered or ",
            "unexpected end of the condition: expected a question id after `or`",
            14,
            0,
            None,
        );
        assert_err(
            "not",
            "unexpected end of the condition: expected a question id after `not`",
            3,
            0,
            None,
        );
        assert_err(
            "x in",
            "unexpected end of the condition: expected `[` after `in`",
            4,
            0,
            Some("list the values in brackets, e.g. `in [yes, partially]`"),
        );
        assert_err(
            "x not",
            "unexpected end of the condition: expected `in` after `not`",
            5,
            0,
            None,
        );
    }

    #[test]
    fn error_expected_value() {
        assert_err(
            "art5.x == )",
            "expected a value after `==`, found `)`",
            10,
            1,
            None,
        );
        assert_err("x in [(]", "expected a value, found `(`", 6, 1, None);
        assert_err(
            "x == and",
            "expected a value after `==`, found `and`",
            5,
            3,
            Some("`and` is a keyword; quote it to use it as a value: \"and\""),
        );
        assert_err(
            "x in [a,]",
            "expected a value after `,`, found `]`",
            8,
            1,
            Some("remove the trailing `,`"),
        );
        assert_err(
            "x == Yes",
            "`Yes` is not a valid value",
            5,
            3,
            Some(
                "bare values are lower-case letters, digits and `_`, or numbers; \
                 quote anything else: \"Yes\"",
            ),
        );
        assert_err(
            "x in [a, 1.5.2]",
            "`1.5.2` is not a valid value",
            9,
            5,
            Some(
                "bare values are lower-case letters, digits and `_`, or numbers; \
                 quote anything else: \"1.5.2\"",
            ),
        );
        let big = format!("n == {}", "9".repeat(400));
        assert_err(
            &big,
            &format!("number `{}` is out of range", "9".repeat(400)),
            5,
            400,
            None,
        );
    }

    #[test]
    fn error_expected_operator() {
        let hint = Some("use ==, !=, in, not in or answered");
        assert_err(
            "art5.x yes",
            "expected an operator after `art5.x`, found `yes`",
            7,
            3,
            hint,
        );
        assert_err(
            "art5.x",
            "unexpected end of the condition: expected an operator after `art5.x`",
            6,
            0,
            hint,
        );
        assert_err(
            "(x)",
            "expected an operator after `x`, found `)`",
            2,
            1,
            hint,
        );
        assert_err(
            "x not answered",
            "expected `in` after `not`, found `answered`",
            6,
            8,
            Some("to negate `answered`, write `not x answered`"),
        );
        assert_err(
            "x in yes",
            "expected `[` after `in`, found `yes`",
            5,
            3,
            Some("list the values in brackets, e.g. `in [yes, partially]`"),
        );
    }

    #[test]
    fn error_empty_list() {
        assert_err(
            "art5.x in []",
            "empty list: `in` needs at least one value",
            10,
            2,
            None,
        );
        assert_err(
            "x not in [ \t]",
            "empty list: `in` needs at least one value",
            9,
            4,
            None,
        );
    }

    #[test]
    fn error_unclosed() {
        let paren = Some("add a matching `)`");
        let bracket = Some("add a matching `]`");
        assert_err("(art5.x answered", "unclosed `(`", 0, 1, paren);
        assert_err(
            "a answered and (b answered or (c answered)",
            "unclosed `(`",
            15,
            1,
            paren,
        );
        assert_err("art5.x in [yes, no", "unclosed `[`", 10, 1, bracket);
        assert_err("x in [", "unclosed `[`", 5, 1, bracket);
        assert_err("x in [a,", "unclosed `[`", 5, 1, bracket);
        assert_err("x in [a b]", "expected `,` or `]`, found `b`", 8, 1, None);
        assert_err(
            "(a answered b answered)",
            "expected `and`, `or` or `)`, found `b`",
            12,
            1,
            None,
        );
    }

    #[test]
    fn error_trailing_tokens() {
        assert_err(
            "art5.x answered art5.y answered",
            "unexpected `art5.y` after a complete condition",
            16,
            6,
            Some("combine conditions with `and` or `or`"),
        );
        assert_err(
            "x == a b",
            "unexpected `b` after a complete condition",
            7,
            1,
            Some("combine conditions with `and` or `or`"),
        );
        assert_err(
            "x answered)",
            "unmatched `)`",
            10,
            1,
            Some("remove it, or add a matching `(` before"),
        );
    }

    #[test]
    fn error_keyword_or_bad_id() {
        assert_err(
            "and answered",
            "`and` is a keyword, not a question id",
            0,
            3,
            None,
        );
        assert_err(
            "x answered and in == a",
            "`in` is a keyword, not a question id",
            15,
            2,
            None,
        );
        assert_err(
            "answered answered",
            "`answered` is a keyword, not a question id",
            0,
            8,
            None,
        );
        assert_err(
            "x answered or or y answered",
            "`or` is a keyword, not a question id",
            14,
            2,
            None,
        );
        let id_hint = Some(
            "ids are lower-case letters, digits and `_` in dot-separated parts, \
             starting with a letter, e.g. `art5.offence`",
        );
        assert_err(
            "Art5.x answered",
            "`Art5.x` is not a valid question id",
            0,
            6,
            id_hint,
        );
        assert_err("5 == x", "`5` is not a valid question id", 0, 1, id_hint);
        assert_err(
            "art5..x answered",
            "`art5..x` is not a valid question id",
            0,
            7,
            id_hint,
        );
        assert_err(
            "art5. answered",
            "`art5.` is not a valid question id",
            0,
            5,
            id_hint,
        );
        assert_err(
            "\"art5.x\" answered",
            "expected a question id, found `\"art5.x\"`",
            0,
            8,
            Some("question ids are not quoted"),
        );
        assert_err("== x", "expected a question id, found `==`", 0, 2, None);
    }

    #[test]
    fn error_c_style_operators() {
        assert_err(
            "art5.x = yes",
            "unexpected `=`",
            7,
            1,
            Some("did you mean `==`?"),
        );
        assert_err(
            "x === yes",
            "unexpected `=`",
            4,
            1,
            Some("did you mean `==`?"),
        );
        assert_err(
            "a answered && b answered",
            "unexpected `&&`",
            11,
            2,
            Some("use `and`"),
        );
        assert_err(
            "a answered & b answered",
            "unexpected `&`",
            11,
            1,
            Some("use `and`"),
        );
        assert_err(
            "a answered || b answered",
            "unexpected `||`",
            11,
            2,
            Some("use `or`"),
        );
        assert_err("!a answered", "unexpected `!`", 0, 1, Some("use `not`"));
    }

    #[test]
    fn error_too_deep() {
        let src = format!("{}a answered{}", "(".repeat(5000), ")".repeat(5000));
        let e = err(&src);
        assert_eq!((e.offset, e.len), (100, 1));
        assert!(e.message.contains("nested too deeply"), "{e}");
        let nots = format!("{}a answered", "not ".repeat(5000));
        assert_eq!(err(&nots).offset, 400);
        let chain = vec!["a answered"; 5000].join(" and ");
        let e = err(&chain);
        assert!(e.message.contains("nested too deeply"), "{e}");
        assert_eq!(&chain[e.offset..e.offset + e.len], "and");
    }

    #[test]
    fn error_display_includes_hint() {
        assert_eq!(
            err("x = y").to_string(),
            "unexpected `=` (did you mean `==`?)"
        );
        assert_eq!(err("").to_string(), "empty condition");
        let boxed: Box<dyn std::error::Error> = Box::new(err("x"));
        assert!(boxed.to_string().starts_with("unexpected end"));
    }

    // ------------------------------------------------------------------ fuzz

    /// A tiny deterministic xorshift64 generator, so the fuzz needs no extra crates.
    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const ALPHABET: &[&str] = &[
        "art5.x", "a", "b.c", "yes", "no", "1", "-2.5", "007", "1.", "Yes", "\"q r\"", "'s'", "''",
        "==", "!=", "=", "!", "&&", "||", "in", "not", "and", "or", "answered", "(", ")", "[", "]",
        ",", ".", "-", "\"", "'", "é", "«", "»", "日", "@", "<", "\u{a0}",
    ];
    const IDS: &[&str] = &["a", "art5.x", "b.c", "q_1"];
    const VALUES: &[&str] = &[
        "yes", "no", "1", "-2.5", "007", "'s'", "\"q r\"", "\"and\"", "1st",
    ];
    const SEPARATORS: &[&str] = &["", " ", " ", " ", "\t", "\n"];

    /// Tokens of a random well-formed condition, for mutation.
    fn gen_expr(rng: &mut XorShift, depth: usize, out: &mut Vec<&'static str>) {
        match if depth == 0 {
            rng.below(3)
        } else {
            rng.below(7)
        } {
            0 => {
                out.push(IDS[rng.below(IDS.len())]);
                out.push(["==", "!="][rng.below(2)]);
                out.push(VALUES[rng.below(VALUES.len())]);
            }
            1 => {
                out.push(IDS[rng.below(IDS.len())]);
                if rng.below(2) == 0 {
                    out.push("not");
                }
                out.push("in");
                out.push("[");
                for i in 0..=rng.below(3) {
                    if i > 0 {
                        out.push(",");
                    }
                    out.push(VALUES[rng.below(VALUES.len())]);
                }
                out.push("]");
            }
            2 => {
                out.push(IDS[rng.below(IDS.len())]);
                out.push("answered");
            }
            3 => {
                out.push("not");
                gen_expr(rng, depth - 1, out);
            }
            4 => {
                out.push("(");
                gen_expr(rng, depth - 1, out);
                out.push(")");
            }
            _ => {
                gen_expr(rng, depth - 1, out);
                out.push(["and", "or"][rng.below(2)]);
                gen_expr(rng, depth - 1, out);
            }
        }
    }

    /// Checks the invariants that must hold for any input whatsoever.
    fn check_any(src: &str, answers: &HashMap<&str, Value>) -> bool {
        match parse(src) {
            Ok(cond) => {
                let _ = cond.evaluate(&|id| answers.get(id));
                for (ident, lits) in cond.comparisons() {
                    assert_eq!(
                        src.get(ident.offset..ident.offset + ident.len),
                        Some(ident.name.as_str()),
                        "{src:?}"
                    );
                    for lit in lits {
                        assert!(
                            src.get(lit.offset..lit.offset + lit.len).is_some(),
                            "{src:?}"
                        );
                    }
                }
                let printed = cond.to_string();
                let again = match parse(&printed) {
                    Ok(c) => c,
                    Err(e) => panic!("{src:?} printed as {printed:?}, which fails: {e}"),
                };
                assert_eq!(
                    strip(again.expr()),
                    strip(cond.expr()),
                    "{src:?} -> {printed:?}"
                );
                assert_eq!(again.to_string(), printed);
                assert_eq!(
                    again.evaluate(&|id| answers.get(id)),
                    cond.evaluate(&|id| answers.get(id))
                );
                true
            }
            Err(e) => {
                assert!(e.offset + e.len <= src.len(), "{src:?}: {e:?}");
                assert!(src.is_char_boundary(e.offset), "{src:?}: {e:?}");
                assert!(src.is_char_boundary(e.offset + e.len), "{src:?}: {e:?}");
                assert!(!e.message.is_empty());
                false
            }
        }
    }

    #[test]
    fn fuzz_never_panics_and_spans_are_valid() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        let answers = answers(&[
            ("a", json!("yes")),
            ("art5.x", json!(["no", "yes"])),
            ("b.c", json!(1)),
        ]);
        let (mut ok, mut failed) = (0, 0);
        for round in 0..6000 {
            let mut tokens = Vec::new();
            if round % 3 == 0 {
                // Token soup.
                for _ in 0..rng.below(12) {
                    tokens.push(ALPHABET[rng.below(ALPHABET.len())]);
                }
            } else {
                // A well-formed condition, mutated half of the time.
                gen_expr(&mut rng, 4, &mut tokens);
                if round % 3 == 2 && !tokens.is_empty() {
                    for _ in 0..=rng.below(2) {
                        let at = rng.below(tokens.len() + 1);
                        match rng.below(3) {
                            0 if at < tokens.len() => {
                                tokens.remove(at);
                            }
                            1 if at < tokens.len() => {
                                tokens[at] = ALPHABET[rng.below(ALPHABET.len())]
                            }
                            _ => tokens.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
                        }
                    }
                }
            }
            let mut src = String::new();
            for tok in tokens {
                src.push_str(tok);
                // Words must stay apart or they would merge into one token.
                let sep = SEPARATORS[rng.below(SEPARATORS.len())];
                src.push_str(if sep.is_empty() && round % 3 != 0 {
                    " "
                } else {
                    sep
                });
            }
            if check_any(&src, &answers) {
                ok += 1;
            } else {
                failed += 1;
            }
        }
        // Both outcomes must actually have been exercised for the fuzz to mean much.
        assert!(ok > 1000 && failed > 1000, "ok {ok}, failed {failed}");
    }
}
