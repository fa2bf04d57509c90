//! The values inside the library's sentences. The library words its findings in English for
//! the CLI, and gives each a stable code and these values, so a front end can word the same
//! sentence in another language without parsing the English.

use serde::Serialize;

/// One value of a sentence: a number (the front end formats it) or a text (a name, a date,
/// Apple's spelling of something, a system error), or whole sentences inside another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    Number(i64),
    Text(String),
    Said(Box<Said>),
    /// Sentences one after another ("; " between them in English).
    List(Vec<Said>),
}

/// The named values of a sentence, in the order given.
pub type Args = Vec<(&'static str, Arg)>;

/// A sentence as data: what kind of sentence (`doctor-evidence`, `payload`, `reason-fix`…),
/// its code within the kind, and its values. The English is kept beside it where it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Said {
    pub kind: &'static str,
    pub code: &'static str,
    pub args: Args,
}

impl Said {
    pub fn new(kind: &'static str, code: &'static str) -> Self {
        Said {
            kind,
            code,
            args: Vec::new(),
        }
    }

    /// Adds a value.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, value.into()));
        self
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Self {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}

impl From<Vec<Said>> for Arg {
    fn from(list: Vec<Said>) -> Self {
        Arg::List(list)
    }
}

impl From<Said> for Arg {
    fn from(s: Said) -> Self {
        Arg::Said(Box::new(s))
    }
}
