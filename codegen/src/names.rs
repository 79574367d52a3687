//! Naming rules: how spec names become Rust names. One rule each, applied everywhere.
//!
//! - methods, setters, fields: snake_case with `.`, `-`, `_` and case changes as word breaks;
//!   an all-caps run stays one word, plural included (`QueryIOCs` → `query_iocs`);
//! - types: PascalCase of the same words (`api.IndicatorV1` → `ApiIndicatorV1`);
//! - a result that is a Rust keyword, or starts with a digit, gets one escape: a trailing `_`
//!   (`type` → `type_`), a leading `_` for a digit (`2fa` → `_2fa`); the same trailing `_` goes on
//!   a type named like a prelude type the generated code uses (`Option` → `Option_`), on a
//!   setter named like a method every request builder has (`send` → `send_`) and on a client
//!   method named like one the client has of its own (`login` → `login_`);
//! - names of one scope (the fields of a struct, the variants of an enum) that come out the same
//!   (`From`/`from`, `add`/`Add`, `+1`/`-1`) are told apart by their own spelling: see
//!   [`distinct`].
//! - parameters of one operation with the same wire name in different places (a path `path`
//!   and a query `path`) are told apart by their location: see [`located`].

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::ir::Location;

/// Words Rust reserves: a name equal to one of these gets a trailing `_`.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Types the generated code names unqualified (prelude types, `Client` inside the generated
/// modules, and `M`, the mode parameter of builders): a model or builder with one of these
/// names would shadow it.
const SHADOWED_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Client", "Into", "M",
];

/// Types of the operations module a builder may not be named like: the one builder type every
/// builder is an alias of (`emit/operations.rs`).
const BUILDER_TYPES: &[&str] = &["Request"];

/// Methods every request builder has; a parameter's setter may not take these names.
const BUILDER_METHODS: &[&str] = &["send", "body", "new", "pages", "items"];

/// Methods the async client has of its own (written by `emit/client.rs`; a test of `emit`
/// checks that it writes exactly these): an operation's method may not take one.
pub const CLIENT_METHODS: &[&str] = &[
    "builder",
    "from_env",
    "runtime",
    "command",
    "command_override",
];

/// Methods the blocking client has of its own (written by `emit/blocking.rs`; a test of `emit`
/// checks that it writes exactly these): an operation's method may not take one either.
pub const BLOCKING_CLIENT_METHODS: &[&str] = &[
    "builder",
    "from_env",
    "async_client",
    "login",
    "logout",
    "command",
    "command_override",
];

/// snake_case for methods, setters and fields.
pub fn snake(name: &str) -> String {
    escape(normalize_acronyms(name).to_snake_case(), "empty")
}

/// PascalCase for types and enum variants.
pub fn pascal(name: &str) -> String {
    unless_taken(
        escape(normalize_acronyms(name).to_upper_camel_case(), "Empty"),
        SHADOWED_TYPES,
    )
}

/// The builder type of an operation: its PascalCase name, escaped when the operations module
/// has a type of that name.
pub fn builder(name: &str) -> String {
    unless_taken(pascal(name), BUILDER_TYPES)
}

/// The client method of an operation (`id` is its operation id, or the id qualified by the
/// collision rule): its snake_case name, escaped when either client has a method of that name.
pub fn method(id: &str) -> String {
    let name = snake(id);
    if BLOCKING_CLIENT_METHODS.contains(&name.as_str()) {
        return format!("{name}_");
    }
    unless_taken(name, CLIENT_METHODS)
}

/// The setter of a parameter: its snake_case name, escaped when a builder method has it.
pub fn setter(name: &str) -> String {
    unless_taken(snake(name), BUILDER_METHODS)
}

/// `name`, or `name_` when the generated code already uses it (`taken`).
fn unless_taken(name: String, taken: &[&str]) -> String {
    if taken.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// SHOUTY_SNAKE for statics.
pub fn shouty(name: &str) -> String {
    escape(normalize_acronyms(name).to_shouty_snake_case(), "EMPTY")
}

/// Whether an operation id is PascalCase (`DevicesCount`, `GetIOC`): such ids get an alias
/// method spelled exactly like the id.
pub fn is_pascal_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && id.chars().all(|c| c.is_ascii_alphanumeric())
        && !KEYWORDS.contains(&id)
}

/// Whether `name` can be used as it stands as a Rust identifier.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&name)
        && name != "_"
}

/// How the names of one scope are converted: fields are snake_case, setters too (with their
/// own escape), enum variants PascalCase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Field,
    Setter,
    Variant,
}

impl Style {
    /// The plain conversion.
    pub fn convert(self, name: &str) -> String {
        match self {
            Style::Field => snake(name),
            Style::Setter => setter(name),
            Style::Variant => pascal(name),
        }
    }
}

/// The collision rule for the names of one scope (the fields of a struct, the setters of a
/// request builder, the variants of an enum), given the spec's spellings in order. Names that do not clash are the plain conversion.
/// Among spellings whose conversions clash (`From` and `from`; `add`, `Add` and `ADD`; `+1` and
/// `-1`), each is named after its own spelling only:
///
/// 1. a spelling that is its own conversion keeps it (`from`, `Add`);
/// 2. else a spelling that is a Rust identifier is the name as it stands (`From`, `add`, `ADD`);
/// 3. else its symbols are spelled out as words, then converted (`+1` → `plus_1`/`Plus1`,
///    `-1` → `minus_1`/`Minus1`, `no-action` → `no_dash_action`/`NoDashAction`).
///
/// A name never depends on the order of the values or on which other values clash with it, so
/// adding a value renames nothing, unless the new value clashes with an old one; the wire
/// spelling is kept whatever the name. Names that still clash are the caller's error.
pub fn distinct(spellings: &[&str], style: Style) -> Vec<String> {
    let plain: Vec<String> = spellings.iter().map(|s| style.convert(s)).collect();
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for name in &plain {
        *counts.entry(name.as_str()).or_default() += 1;
    }
    spellings
        .iter()
        .zip(&plain)
        .map(|(&spelling, name)| {
            if counts[name.as_str()] < 2 || spelling == name {
                name.clone()
            } else if is_identifier(spelling) {
                spelling.to_string()
            } else {
                style.convert(&spell_symbols(spelling))
            }
        })
        .collect()
}

/// The name calls give each parameter of one operation (`command()`'s key, the CLI's; the
/// setter is its snake_case, through [`distinct`]), given each one's wire name and location in
/// order. The wire name, unless another parameter has the same wire name in another place. Of
/// such a group, one keeps the wire name: the path parameter (the path's `{name}` is its
/// name), or, with none in the path, the first of query, header and body form field, in that
/// order; each other is its location's word, `_`, and the wire name: `query_path` beside a path
/// `path`, `form_AccountSid` (setter `form_account_sid`) beside a path `AccountSid`, `header_x`
/// beside a query `x`. From the spec alone, in no order of the parameters, so adding a
/// parameter renames only the ones it shares a wire name with. A name this rule makes that
/// another parameter already has (a query `query_path` beside those two) is the caller's error.
pub fn located(params: &[(&str, Location)]) -> Vec<String> {
    // The rank that keeps the wire name (lowest), and the word that says the location.
    fn place(location: Location) -> (u8, &'static str) {
        match location {
            Location::Path => (0, "path"),
            Location::Query => (1, "query"),
            Location::Header => (2, "header"),
            Location::Form | Location::Multipart => (3, "form"),
        }
    }
    params
        .iter()
        .map(|&(name, location)| {
            let keeper = params
                .iter()
                .filter(|(other, _)| *other == name)
                .map(|&(_, l)| place(l).0)
                .min();
            if keeper == Some(place(location).0) {
                name.to_string()
            } else {
                format!("{}_{name}", place(location).1)
            }
        })
        .collect()
}

/// The Rust name of an inline type (a model made for a schema written in place, named after
/// where it sits: `Classification` + `Template`) when `plain`, its PascalCase name, is taken by
/// a component schema: component names win, and the inline one is `plain` + `Inline`
/// (`ClassificationTemplate` → `ClassificationTemplateInline`), numbered from 2 while that too
/// is a component's (`ClassificationTemplateInline2`). `component` says whether a name is a
/// component schema's. From the component names alone, so the same spec gives the same name.
pub fn inline_type(plain: &str, component: impl Fn(&str) -> bool) -> String {
    if !component(plain) {
        return plain.to_string();
    }
    std::iter::once(format!("{plain}Inline"))
        .chain((2..).map(|n| format!("{plain}Inline{n}")))
        .find(|name| !component(name))
        .expect("some number is free")
}

/// `spelling` with each ASCII symbol written as a word between word breaks (`+1` → `_plus_1`,
/// `a.b` → `a_dot_b`), and anything beyond ASCII as its code point (`é` → `_ue9_`).
fn spell_symbols(spelling: &str) -> String {
    let chars: Vec<char> = spelling.chars().collect();
    let mut out = String::with_capacity(spelling.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        let word = match c {
            c if c.is_ascii_alphanumeric() || c == '_' => {
                out.push(c);
                continue;
            }
            // `-1` is minus one; `no-action` has a dash.
            '-' if chars.get(i + 1).is_some_and(char::is_ascii_digit) => "minus".to_string(),
            '-' => "dash".to_string(),
            '+' => "plus".to_string(),
            '.' => "dot".to_string(),
            '*' => "star".to_string(),
            '/' => "slash".to_string(),
            '\\' => "backslash".to_string(),
            '@' => "at".to_string(),
            '#' => "hash".to_string(),
            '$' => "dollar".to_string(),
            '%' => "percent".to_string(),
            '&' => "and".to_string(),
            '|' => "pipe".to_string(),
            '!' => "bang".to_string(),
            '?' => "question".to_string(),
            '=' => "eq".to_string(),
            '<' => "lt".to_string(),
            '>' => "gt".to_string(),
            '~' => "tilde".to_string(),
            '^' => "caret".to_string(),
            ':' => "colon".to_string(),
            ',' => "comma".to_string(),
            ';' => "semicolon".to_string(),
            ' ' => "space".to_string(),
            c => format!("u{:x}", c as u32),
        };
        out.push('_');
        out.push_str(&word);
        out.push('_');
    }
    out
}

/// The escapes, after a case conversion; a name with no letters or digits at all becomes
/// `empty` in that case convention (`empty`, `Empty`, `EMPTY`).
fn escape(name: String, empty: &str) -> String {
    if name.is_empty() {
        return empty.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("{name}_");
    }
    name
}

/// Rewrites an all-caps run followed by a plural `s` (`IOCs`, `IDs`) as one capitalised word
/// (`Iocs`, `Ids`), so that heck does not split it into `io_cs`.
///
/// Anything but ASCII letters and digits is a word break, so every result is a plain ASCII
/// identifier whatever the spec spells.
fn normalize_acronyms(name: &str) -> String {
    let chars: Vec<char> = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_uppercase() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_uppercase() {
                i += 1;
            }
            let run = &chars[start..i];
            let plural = run.len() >= 2
                && chars.get(i) == Some(&'s')
                && chars.get(i + 1).is_none_or(|c| !c.is_ascii_lowercase());
            if plural {
                out.push(run[0]);
                out.extend(run[1..].iter().map(|c| c.to_ascii_lowercase()));
                out.push('s');
                i += 1;
            } else {
                out.extend(run);
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_types_make_way_for_components() {
        let components = ["ClassificationTemplate", "PetInline"];
        let taken = |n: &str| components.contains(&n);
        assert_eq!(inline_type("Other", taken), "Other");
        assert_eq!(
            inline_type("ClassificationTemplate", taken),
            "ClassificationTemplateInline"
        );
        assert_eq!(inline_type("Pet", |n| n == "Pet" || taken(n)), "PetInline2");
    }

    #[test]
    fn same_named_parameters_are_told_apart_by_location() {
        let named = located(&[
            ("path", Location::Path),
            ("path", Location::Query),
            ("AccountSid", Location::Form),
            ("AccountSid", Location::Path),
            ("x", Location::Header),
            ("x", Location::Query),
            ("limit", Location::Query),
        ]);
        assert_eq!(
            named,
            [
                "path",
                "query_path",
                "form_AccountSid",
                "AccountSid",
                "header_x",
                "x",
                "limit"
            ]
        );
        let setters: Vec<String> = named.iter().map(|n| setter(n)).collect();
        assert_eq!(setters[2], "form_account_sid");
    }

    #[test]
    fn operation_ids_in_every_style() {
        let cases = [
            ("indicator.combined.v1", "indicator_combined_v1"),
            ("ioc_type.query.v1", "ioc_type_query_v1"),
            ("DevicesCount", "devices_count"),
            ("GetIndicatorsReport", "get_indicators_report"),
            ("entities.processes", "entities_processes"),
            ("GetIOC", "get_ioc"),
            ("QueryIOCs", "query_iocs"),
            ("get-rulesMixin0Mixin65", "get_rules_mixin0_mixin65"),
            ("queryIDsByFilter", "query_ids_by_filter"),
            ("indicator.sdmf-query.v1", "indicator_sdmf_query_v1"),
        ];
        for (id, want) in cases {
            assert_eq!(snake(id), want, "{id}");
        }
    }

    #[test]
    fn keywords_dots_and_digits_get_one_escape() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(
            snake("from.expiration_timestamp"),
            "from_expiration_timestamp"
        );
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal("Option"), "Option_");
        assert_eq!(pascal("result"), "Result_");
        assert_eq!(setter("items"), "items_");
        assert_eq!(setter("send"), "send_");
        assert_eq!(setter("limit"), "limit");
        assert_eq!(method("login"), "login_");
        assert_eq!(method("runtime"), "runtime_");
        assert_eq!(method("GetIOC"), "get_ioc");
        assert_eq!(snake("a½b"), "a_b");
        assert_eq!(pascal("日本"), "Empty");
        assert_eq!(shouty(""), "EMPTY");
        assert_eq!(snake("😀"), "empty");
    }

    #[test]
    fn type_names() {
        assert_eq!(pascal("api.IndicatorV1"), "ApiIndicatorV1");
        assert_eq!(
            pascal("msa.EntitiesResponse.resources"),
            "MsaEntitiesResponseResources"
        );
        assert_eq!(
            pascal("iocapi.MsaReplyIOCDevicesCount"),
            "IocapiMsaReplyIocDevicesCount"
        );
        assert_eq!(pascal("prevent_no_ui"), "PreventNoUi");
    }

    #[test]
    fn names_that_clash_are_told_apart_by_their_own_spelling() {
        assert_eq!(
            distinct(&["add", "Add", "remove"], Style::Variant),
            ["add", "Add", "Remove"]
        );
        assert_eq!(
            distinct(&["+1", "-1", "laugh"], Style::Variant),
            ["Plus1", "Minus1", "Laugh"]
        );
        assert_eq!(distinct(&["+1", "-1"], Style::Field), ["plus_1", "minus_1"]);
        assert_eq!(
            distinct(&["X-Trace", "x_trace", "send"], Style::Setter),
            ["x_dash_trace", "x_trace", "send_"]
        );
        assert_eq!(distinct(&["From", "from"], Style::Field), ["From", "from"]);
        assert_eq!(
            distinct(&["no-action", "no_action"], Style::Field),
            ["no_dash_action", "no_action"]
        );
        assert_eq!(
            distinct(&["a.b", "a b", "é"], Style::Field),
            ["a_dot_b", "a_space_b", "empty"]
        );
        assert_eq!(distinct(&["é", "è"], Style::Variant), ["Ue9", "Ue8"]);
    }

    #[test]
    fn adding_a_value_renames_only_what_it_clashes_with() {
        let before = distinct(&["add", "Add", "+1", "-1", "eyes"], Style::Variant);
        // The same names whatever the order, and a newcomer leaves the others alone.
        let after = distinct(
            &["ADD", "-1", "eyes", "+1", "Add", "add", "rocket"],
            Style::Variant,
        );
        assert_eq!(
            after,
            ["ADD", "Minus1", "Eyes", "Plus1", "Add", "add", "Rocket"]
        );
        assert_eq!(before, ["add", "Add", "Plus1", "Minus1", "Eyes"]);
    }

    #[test]
    fn pascal_ids() {
        assert!(is_pascal_id("DevicesCount"));
        assert!(is_pascal_id("GetIOC"));
        assert!(!is_pascal_id("indicator.get.v1"));
        assert!(!is_pascal_id("queryRules"));
        assert!(!is_pascal_id("Get-Rules"));
        assert!(!is_pascal_id("Self"));
    }
}
