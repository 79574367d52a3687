//! Request models: the structs a request body or a structured parameter reaches, and their short
//! construction path.
//!
//! A request sends only what the caller set, so every field of a request model is an `Option`,
//! required lists and maps included (a response model keeps those as plain collections that
//! read `null` as empty). Each request model gets `new(..)` taking the fields the spec
//! requires, and one setter per field taking `impl Into<T>` (lists: any iterator of such), so
//! a caller writes `Model::new(a, b).c("x").d(["y", "z"])` and never `Some(..)`. Only request
//! models get them: they are what callers build, and a response-only model would pay for
//! setters nobody calls.

use std::collections::BTreeSet;

use crate::emit::code::Code;
use crate::emit::features::reach;
use crate::emit::types::rust_type;
use crate::ir::{Api, Field, Struct, TypeRef};

/// The Rust names of the models a request body or a structured parameter reaches.
pub(crate) fn reached(api: &Api) -> BTreeSet<String> {
    let by_name = api
        .models
        .iter()
        .map(|m| (m.rust_name.as_str(), m))
        .collect();
    reach(
        &by_name,
        api.operations.iter().flat_map(|o| {
            o.body
                .as_ref()
                .map(|b| &b.ty)
                .into_iter()
                .chain(o.params.iter().filter_map(|p| p.value_type.as_ref()))
        }),
    )
}

/// The constructor's name; a field of that name gets no setter (it is set directly).
const CONSTRUCTOR: &str = "new";

/// Names a setter cannot take: the constructor, and `Default::default` (an inherent `default`
/// setter would shadow it, in `new` and in users' `Model::default()`). Such a field is set
/// directly.
const NOT_SETTERS: &[&str] = &[CONSTRUCTOR, "default"];

/// `impl Model { new(..), one setter per field }` for the request model `name`.
pub(crate) fn emit(code: &mut Code, name: &str, s: &Struct, gate: Option<&str>) {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    code.blank();
    code.attr(gate);
    if s.fields
        .iter()
        .any(|f| f.rust_name != crate::names::snake(&f.rust_name))
    {
        code.line("#[allow(non_snake_case)]");
    }
    code.open(format!("impl {name} {{"));
    let args: Vec<String> = required
        .iter()
        .map(|f| format!("{}: {}", f.rust_name, Input::of(f).param()))
        .collect();
    code.doc([if required.is_empty() {
        "An empty request: nothing is sent until a setter sets it.".to_string()
    } else {
        let listed: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.json_name))
            .collect();
        format!(
            "A request with what the spec requires ({}); the setters add the rest.",
            listed.join(", ")
        )
    }]);
    if args.len() > 7 {
        code.line("#[allow(clippy::too_many_arguments)]");
    }
    open_fn(code, &format!("pub fn {CONSTRUCTOR}"), &args);
    if required.is_empty() {
        code.line("Self::default()");
        code.close("}");
    } else {
        code.open("Self {");
        for f in &required {
            code.line(format!(
                "{}: {},",
                f.rust_name,
                Input::of(f).store(&f.rust_name)
            ));
        }
        // The rest start empty (when the spec requires every field, there is no rest).
        if required.len() < s.fields.len() || s.additional.is_some() {
            code.line("..Self::default()");
        }
        code.close("}");
        code.close("}");
    }
    for f in &s.fields {
        if NOT_SETTERS.contains(&f.rust_name.as_str()) {
            continue;
        }
        let input = Input::of(f);
        code.blank();
        code.doc([format!("Sets `{}`.", f.json_name)]);
        let args = [
            "mut self".to_string(),
            format!("{}: {}", input.name(), input.param()),
        ];
        open_fn(code, &format!("pub fn {}", f.rust_name), &args);
        code.line(format!(
            "self.{} = {};",
            f.rust_name,
            input.store(input.name())
        ));
        code.line("self");
        code.close("}");
    }
    code.close("}");
}

/// Opens `head(args) -> Self {` inside an `impl`, one argument a line when it would not fit in
/// 100 columns (as rustfmt lays it out).
fn open_fn(code: &mut Code, head: &str, args: &[String]) {
    let one_line = format!("{head}({}) -> Self {{", args.join(", "));
    if one_line.len() + 4 <= 100 {
        code.open(one_line);
        return;
    }
    code.open(format!("{head}("));
    for arg in args {
        code.line(format!("{arg},"));
    }
    code.reopen(") -> Self {");
}

/// What a setter or constructor argument takes for a field, and how it is stored.
struct Input {
    /// The field's type without `Option` or `Box`.
    ty: TypeRef,
    boxed: bool,
}

impl Input {
    fn of(f: &Field) -> Input {
        Input {
            ty: f.ty.clone(),
            boxed: f.boxed,
        }
    }

    fn name(&self) -> &'static str {
        match self.ty {
            TypeRef::Array(_) => "values",
            _ => "value",
        }
    }

    /// The parameter type: plain for numbers and booleans, `impl Into<T>` for the rest, and
    /// any iterator of those for a list.
    fn param(&self) -> String {
        match &self.ty {
            TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => rust_type(&self.ty, ""),
            TypeRef::Array(item) => match item.as_ref() {
                TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => {
                    format!("impl IntoIterator<Item = {}>", rust_type(item, ""))
                }
                item => format!(
                    "impl IntoIterator<Item = impl Into<{}>>",
                    rust_type(item, "")
                ),
            },
            ty => format!("impl Into<{}>", rust_type(ty, "")),
        }
    }

    /// The stored value of the argument `arg`.
    fn store(&self, arg: &str) -> String {
        let value = match &self.ty {
            TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => arg.to_string(),
            TypeRef::Array(item) => match item.as_ref() {
                TypeRef::Integer(_) | TypeRef::Number | TypeRef::Boolean => {
                    format!("{arg}.into_iter().collect()")
                }
                _ => format!("{arg}.into_iter().map(Into::into).collect()"),
            },
            _ => format!("{arg}.into()"),
        };
        if self.boxed {
            format!("Some(Box::new({value}))")
        } else {
            format!("Some({value})")
        }
    }
}
