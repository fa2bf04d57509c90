//! Turns the app's Fluent messages into Rust, so a wrong message id or a wrong set of
//! arguments is a compile error instead of a string the app shows by mistake.
//!
//! With the `gui` feature, every message of `i18n/en/pushlab.ftl` becomes a function in
//! `$OUT_DIR/messages.rs` (included by `src/gui/i18n/msg.rs`): `batch-file-read` becomes
//! `msg::batch_file_read(count, invalid, latin1, name)`. Its parameters are exactly the
//! message's variables in alphabetical order (not in order of use, so rewording the English
//! never reorders a call's arguments). The other languages must define the same ids with the
//! same variables as English; anything else stops the build with the file, the id and what
//! differs. Without the feature there is nothing to generate (the library and the CLI speak
//! English only).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

/// The language every other is compared with, and whose text the functions' docs show.
const REFERENCE: &str = "en";

/// A message's variables and the first line of its value (for the function's doc).
struct Message {
    variables: BTreeSet<String>,
    first_line: String,
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var_os("CARGO_FEATURE_GUI").is_none() {
        return;
    }
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let folder = root.join("i18n");
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut languages = BTreeMap::new();
    let entries = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| fail(&format!("cannot list {}: {e}", folder.display())));
    for entry in entries.flatten() {
        let file = entry.path().join("pushlab.ftl");
        if !file.is_file() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", file.display());
        let tag = entry.file_name().to_string_lossy().into_owned();
        languages.insert(tag, messages_of(&file));
    }
    let Some(reference) = languages.get(REFERENCE) else {
        fail(&format!(
            "no {REFERENCE}/pushlab.ftl under {}",
            folder.display()
        ));
    };
    let mut problems = Vec::new();
    for (tag, messages) in &languages {
        compare(tag, messages, reference, &mut problems);
    }
    if !problems.is_empty() {
        fail(&problems.join("\n"));
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("messages.rs");
    if let Err(e) = std::fs::write(&out, generate(reference)) {
        fail(&format!("cannot write {}: {e}", out.display()));
    }
}

/// Stops the build with a message that says which file to fix.
fn fail(why: &str) -> ! {
    eprintln!("error: the Fluent messages under i18n/ are not consistent:\n{why}");
    std::process::exit(1)
}

/// What `tag`'s messages lack, add or word with other variables, against English.
fn compare(
    tag: &str,
    messages: &BTreeMap<String, Message>,
    reference: &BTreeMap<String, Message>,
    problems: &mut Vec<String>,
) {
    for id in messages.keys().filter(|id| !reference.contains_key(*id)) {
        problems.push(format!(
            "i18n/{tag}/pushlab.ftl: `{id}` is not in i18n/{REFERENCE}/pushlab.ftl"
        ));
    }
    for (id, english) in reference {
        let Some(message) = messages.get(id) else {
            problems.push(format!(
                "i18n/{tag}/pushlab.ftl: `{id}` is missing (every language has every message)"
            ));
            continue;
        };
        if message.variables != english.variables {
            problems.push(format!(
                "i18n/{tag}/pushlab.ftl: `{id}` uses {:?}, English uses {:?}",
                message.variables, english.variables
            ));
        }
    }
}

/// Every message of a Fluent file with its variables; the build stops on a parse error, a
/// message defined twice, or one without a value.
fn messages_of(file: &Path) -> BTreeMap<String, Message> {
    let source = std::fs::read_to_string(file)
        .unwrap_or_else(|e| fail(&format!("cannot read {}: {e}", file.display())));
    let resource = fluent_syntax::parser::parse(source.as_str()).unwrap_or_else(|(_, errors)| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                let line = source[..e.pos.start.min(source.len())].lines().count();
                format!("{}:{line}: {:?}", file.display(), e.kind)
            })
            .collect();
        fail(&lines.join("\n"))
    });
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        let Entry::Message(message) = entry else {
            continue;
        };
        let id = message.id.name.to_owned();
        let Some(value) = &message.value else {
            fail(&format!("{}: `{id}` has no value", file.display()));
        };
        let mut variables = BTreeSet::new();
        pattern_variables(value, &mut variables);
        for attribute in &message.attributes {
            pattern_variables(&attribute.value, &mut variables);
        }
        let first_line = first_line(value);
        if messages
            .insert(
                id.clone(),
                Message {
                    variables,
                    first_line,
                },
            )
            .is_some()
        {
            fail(&format!("{}: `{id}` is defined twice", file.display()));
        }
    }
    messages
}

fn pattern_variables(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        Expression::Inline(inline) => inline_variables(inline, out),
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
    }
}

fn inline_variables(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, out);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, out);
            }
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        // A message reference is formatted with the caller's variables: none of ours has one
        // (the parse would need its variables added), and terms take only their own.
        InlineExpression::MessageReference { id, .. } => fail(&format!(
            "a message refers to `{}`: give it its own words (the generated functions do not \
             follow references)",
            id.name
        )),
        InlineExpression::StringLiteral { .. }
        | InlineExpression::NumberLiteral { .. }
        | InlineExpression::TermReference { .. } => {}
    }
}

/// The first line of a message's text, variables as `{ $name }`, for a function's doc.
fn first_line(pattern: &Pattern<&str>) -> String {
    let mut text = String::new();
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => text.push_str(value),
            PatternElement::Placeable {
                expression: Expression::Inline(InlineExpression::VariableReference { id }),
            } => {
                let _ = write!(text, "{{ ${} }}", id.name);
            }
            PatternElement::Placeable { .. } => text.push('…'),
        }
        if text.contains('\n') {
            break;
        }
    }
    text.lines().next().unwrap_or_default().trim().to_owned()
}

/// The Rust name of a Fluent id or variable.
fn rust_name(fluent: &str) -> String {
    let name = fluent.replace('-', "_").to_lowercase();
    match name.as_str() {
        "as" | "break" | "const" | "continue" | "crate" | "else" | "enum" | "extern" | "false"
        | "fn" | "for" | "if" | "impl" | "in" | "let" | "loop" | "match" | "mod" | "move"
        | "mut" | "pub" | "ref" | "return" | "static" | "struct" | "super" | "trait" | "true"
        | "type" | "unsafe" | "use" | "where" | "while" | "async" | "await" | "dyn" | "gen" => {
            format!("r#{name}")
        }
        _ => name,
    }
}

fn generate(messages: &BTreeMap<String, Message>) -> String {
    let mut out = String::from(
        "// Generated by build.rs from i18n/en/pushlab.ftl: one function per message, its\n\
         // parameters the message's variables in alphabetical order.\n\n",
    );
    for (id, message) in messages {
        let _ = writeln!(
            out,
            "#[doc = {:?}]",
            format!("`{id}`: {}", message.first_line)
        );
        if message.variables.len() > 7 {
            out.push_str("#[allow(clippy::too_many_arguments)]\n");
        }
        let parameters: Vec<String> = message
            .variables
            .iter()
            .map(|v| format!("{}: impl Into<FluentValue<'a>>", rust_name(v)))
            .collect();
        let arguments: Vec<String> = message
            .variables
            .iter()
            .map(|v| format!("({v:?}, {}.into())", rust_name(v)))
            .collect();
        let lifetime = if message.variables.is_empty() {
            ""
        } else {
            "<'a>"
        };
        let _ = writeln!(
            out,
            "pub(crate) fn {}{lifetime}({}) -> String {{\n    super::format_message({id:?}, &[{}])\n}}\n",
            rust_name(id),
            parameters.join(", "),
            arguments.join(", ")
        );
    }
    out.push_str(
        "/// Every message id with its variables (alphabetical), for the tests that format each\n\
         /// message in every language.\npub const VARIABLES: &[(&str, &[&str])] = &[\n",
    );
    for (id, message) in messages {
        let names: Vec<String> = message.variables.iter().map(|v| format!("{v:?}")).collect();
        let _ = writeln!(out, "    ({id:?}, &[{}]),", names.join(", "));
    }
    out.push_str("];\n");
    out
}
