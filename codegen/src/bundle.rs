//! Specs in several files: `$ref`s to other files (`schemas/pet.yaml`,
//! `common.yaml#/components/schemas/Error`, a path item or an operation in a file of its own)
//! are brought into the root document before anything else reads it, so one document goes
//! down the pipeline.
//!
//! The library reads no files: whoever reads the spec from disk hands it [`Files`] (xtask reads
//! them beside the root spec). Without it, a `$ref` to another file is a located error that
//! says how to generate from the file instead.
//!
//! How each reference comes in:
//! - a schema (a `$ref` where a schema stands: under `schema`, `items`, `properties`,
//!   `allOf`/`oneOf`/`anyOf`, `additionalProperties`, `not`, a component schema) becomes a
//!   component schema of the root document (`#/components/schemas/NAME`, Swagger 2.0
//!   `#/definitions/NAME`), named after the last segment of its pointer, or after the file
//!   when the `$ref` names a whole file (`schemas/pet.yaml` → `pet`); a root component that is
//!   itself such a `$ref` keeps its own name. A name the root document already uses for
//!   something else gets a number (`Error2`), with a warning. Each file's schema comes in once,
//!   so recursive schemas stay recursive.
//! - anything else (a path item, an operation, a parameter, a response) is written in place.
//! - a `$ref` inside a file that came in is read relative to that file (`#/...` is that
//!   file's own pointer); one that names the root document becomes a local `#/...` again.
//!
//! Values are not references: `example`, `examples`, `default`, `enum`, `const` and `x-`
//! extensions are not looked into. Every node that came from another file is recorded, so a
//! diagnostic about it names that file and the pointer in it (`paths/pets.yaml#/get/responses`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use crate::diagnostics::{Diagnostic, Error};
use crate::load::Format;
use crate::swagger::SourceMap;
use crate::walk::{escape, unescape};

/// The files of a spec on disk beside its root document, for `$ref`s to other files.
#[derive(Clone, Copy)]
pub struct Files<'a> {
    /// The root document's file name (`openapi.yaml`), so a `$ref` back to it is known.
    pub root: &'a str,
    /// Reads a file by its path relative to the root document's folder, `/`-separated
    /// (`schemas/pet.yaml`, `../common.yaml`); the error says why it could not.
    pub read: &'a dyn Fn(&str) -> Result<String, String>,
}

impl std::fmt::Debug for Files<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files").field("root", &self.root).finish()
    }
}

/// Where the nodes that came from other files came from: root-document pointers to
/// `file#pointer`.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    map: SourceMap,
}

impl Origins {
    /// The diagnostic pointing into the file its node came from (unchanged for a node of the
    /// root document).
    pub fn place(&self, mut d: Diagnostic) -> Diagnostic {
        d.pointer = self.map.source_pointer(&d.pointer);
        d
    }

    /// Every diagnostic of an error, placed.
    pub fn place_all(&self, mut e: Error) -> Error {
        e.diagnostics = e.diagnostics.into_iter().map(|d| self.place(d)).collect();
        e
    }
}

/// What bundling did: where the nodes it brought came from, and what it found.
#[derive(Debug, Clone, Default)]
pub struct Bundled {
    /// Where the nodes that came from other files came from.
    pub origins: Origins,
    /// Schemas that came in under another name than their own.
    pub warnings: Vec<Diagnostic>,
    /// References that could not be brought in, each at its `$ref` (left as they were).
    pub errors: Vec<Diagnostic>,
}

impl Bundled {
    /// The outcome of reading the bundled document, with what bundling found: its errors make
    /// the whole an error, listed with the reader's (except those at or under a `$ref` that
    /// could not be brought in, which only repeat it); its warnings come with the reader's.
    pub fn finish<T>(
        self,
        read: Result<(T, Vec<Diagnostic>), Error>,
    ) -> Result<(T, Vec<Diagnostic>), Error> {
        let repeats = |d: &Diagnostic| {
            self.errors.iter().any(|e| {
                d.pointer == e.pointer
                    || d.pointer
                        .strip_prefix(e.pointer.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
        };
        match read {
            Ok((value, warnings)) if self.errors.is_empty() => {
                let mut all = self.warnings;
                all.extend(warnings);
                Ok((value, all))
            }
            Ok((_, found)) | Err(Error { diagnostics: found }) => {
                let mut all = self.errors.clone();
                all.extend(found.into_iter().filter(|d| !repeats(d)));
                all.extend(self.warnings);
                Err(Error {
                    diagnostics: crate::diagnostics::errors_first(all),
                })
            }
        }
    }
}

/// Brings every `$ref` to another file into `doc` (of `format`), reading the files with
/// `files`: see the module's docs. A reference that cannot be brought in (no `files`, a file
/// that cannot be read or parsed, a pointer that names nothing, a URL, a cycle) is an error at
/// the `$ref`, which stays as it was.
pub fn bundle(doc: &mut Value, format: Format, files: Option<Files<'_>>) -> Bundled {
    if !has_external_ref(doc, None) {
        return Bundled::default();
    }
    let section: &[&str] = match format {
        Format::Swagger2 => &["definitions"],
        _ => &["components", "schemas"],
    };
    let mut b = Bundler {
        files,
        section_pointer: format!("#/{}", section.join("/")),
        documents: HashMap::new(),
        names: HashMap::new(),
        taken: BTreeSet::new(),
        queue: Vec::new(),
        hoisted: BTreeMap::new(),
        inlining: Vec::new(),
        origins: SourceMap::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    // The root's own component schemas keep their names, those that are `$ref`s to another
    // file included: that file's schema comes in under the component's name.
    if let Some(schemas) = lookup(doc, section).and_then(Value::as_object) {
        for (name, schema) in schemas {
            b.taken.insert(name.clone());
            if let Some(reference) = external_ref(schema)
                && let Ok(target) = b.resolve("", reference)
            {
                b.names.entry(target).or_insert_with(|| name.clone());
            }
        }
    }
    let mut pointer = String::from("#");
    b.walk(doc, &mut pointer, "", Place::Other, None);
    // Schemas brought in bring theirs: each is walked in its own file, then added.
    while let Some((name, file, fragment, site)) = b.queue.pop() {
        let mut pointer = format!("{}/{}", b.section_pointer, escape(&name));
        let Some(mut value) = b.target(&file, &fragment, &site) else {
            continue;
        };
        b.origins
            .add(pointer.clone(), format!("{}#{}", file, fragment));
        b.walk(&mut value, &mut pointer, &file, Place::Schema, None);
        b.hoisted.insert(name, value);
    }
    if !b.hoisted.is_empty() {
        let target = section_mut(doc, section);
        for (name, value) in std::mem::take(&mut b.hoisted) {
            target.insert(name, value);
        }
    }
    // Found at root pointers: each is told in the file its node came from.
    let origins = Origins { map: b.origins };
    Bundled {
        warnings: b.warnings.into_iter().map(|d| origins.place(d)).collect(),
        errors: b.errors.into_iter().map(|d| origins.place(d)).collect(),
        origins,
    }
}

/// Where a node stands, which says how a `$ref` there comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A schema: a `$ref` to another file becomes a component schema.
    Schema,
    /// Anything else: a `$ref` to another file is written in place.
    Other,
}

/// A file and a JSON pointer in it (`""` for the root document; `""` for the whole file).
type Target = (String, String);

struct Bundler<'a> {
    files: Option<Files<'a>>,
    /// `#/components/schemas` or `#/definitions`.
    section_pointer: String,
    /// Files read so far, parsed (or why they could not be).
    documents: HashMap<String, Result<Value, String>>,
    /// The component name of each schema brought in (or being brought in).
    names: HashMap<Target, String>,
    /// Component schema names in use.
    taken: BTreeSet<String>,
    /// Schemas named but not yet walked: name, file, pointer, and the (first) `$ref` to it.
    queue: Vec<(String, String, String, String)>,
    /// Schemas walked, to add to the root document.
    hoisted: BTreeMap<String, Value>,
    /// What is being written in place, outermost first (a `$ref` back to one is a cycle).
    inlining: Vec<Target>,
    origins: SourceMap,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// Keys whose values are data, not spec: never looked into for references.
fn is_value_keyword(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Keys whose values are maps from names to the entries (so no key of theirs is a keyword).
fn is_name_map(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "patternProperties"
            | "definitions"
            | "schemas"
            | "paths"
            | "parameters"
            | "responses"
            | "requestBodies"
            | "headers"
            | "securitySchemes"
            | "securityDefinitions"
            | "links"
            | "callbacks"
            | "content"
            | "encoding"
            | "variables"
            | "mapping"
            | "webhooks"
    )
}

/// How the value under `key` of an object (itself at `parent_key`, in place `place`) stands.
fn child_place(parent_key: Option<&str>, key: &str, place: Place) -> Place {
    let schema_map = matches!(
        parent_key,
        Some("properties" | "patternProperties" | "schemas" | "definitions")
    );
    let schema_key = matches!(
        key,
        "schema"
            | "items"
            | "additionalProperties"
            | "not"
            | "allOf"
            | "oneOf"
            | "anyOf"
            | "prefixItems"
            | "additionalItems"
            | "contains"
            | "propertyNames"
    );
    if schema_map || schema_key || (place == Place::Schema && key == "properties") {
        Place::Schema
    } else {
        Place::Other
    }
}

/// The `$ref` of a node, when it names another file (anything not starting with `#`).
fn external_ref(value: &Value) -> Option<&str> {
    value
        .as_object()?
        .get("$ref")?
        .as_str()
        .filter(|r| !r.starts_with('#'))
}

/// Whether any node outside values (`value` sits under `key`) holds a `$ref` to another file
/// (most specs have none, and are left as they are).
fn has_external_ref(value: &Value, key: Option<&str>) -> bool {
    match value {
        Value::Object(map) => {
            let name_map = key.is_some_and(is_name_map);
            external_ref(value).is_some()
                || map.iter().any(|(k, v)| {
                    (name_map || !is_value_keyword(k)) && has_external_ref(v, Some(k))
                })
        }
        Value::Array(items) => items.iter().any(|v| has_external_ref(v, None)),
        _ => false,
    }
}

fn lookup<'v>(doc: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(doc, |v, k| v.get(k))
}

/// The object at `path`, made when missing.
fn section_mut<'v>(doc: &'v mut Value, path: &[&str]) -> &'v mut Map<String, Value> {
    let mut at = doc;
    for key in path {
        let map = match at {
            Value::Object(map) => map,
            other => {
                *other = Value::Object(Map::new());
                other.as_object_mut().unwrap()
            }
        };
        at = map
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !at.is_object() {
        *at = Value::Object(Map::new());
    }
    at.as_object_mut().unwrap()
}

/// A `/`-separated path with `.` and `..` worked out (a `..` above the root stays).
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if out.last().is_some_and(|s| *s != "..") => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.join("/")
}

/// The folder part of a file path (`paths/pets.yaml` → `paths/`).
fn folder(file: &str) -> &str {
    match file.rfind('/') {
        Some(at) => &file[..=at],
        None => "",
    }
}

/// The name a whole file's schema comes in under: its file name without the extension.
fn file_stem(file: &str) -> &str {
    let name = &file[file.rfind('/').map_or(0, |at| at + 1)..];
    name.split('.')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(name)
}

/// How a file is named in messages: the root document as such, the others by path.
fn file_label(file: &str) -> &str {
    if file.is_empty() {
        "the root document"
    } else {
        file
    }
}

impl Bundler<'_> {
    /// The file and pointer a `$ref` written in `file` names, or why it names none (what is
    /// wrong, and what to do).
    fn resolve(&self, file: &str, reference: &str) -> Result<Target, (String, &'static str)> {
        const POINTER: &str =
            "write a JSON pointer after `#` (`other.yaml#/components/schemas/Name`)";
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let fragment = percent_encoding::percent_decode_str(fragment)
            .decode_utf8()
            .map_err(|_| {
                (
                    format!("the pointer of `{reference}` is not UTF-8"),
                    POINTER,
                )
            })?
            .into_owned();
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err((
                format!("`{reference}`: only JSON pointers (`#/...`) are understood after `#`"),
                POINTER,
            ));
        }
        if path.is_empty() {
            return Ok((file.to_string(), fragment));
        }
        if path.contains("://") {
            return Err((
                format!("`{reference}` is a URL; only files beside the spec are read"),
                "save it beside the spec and refer to it by its relative path",
            ));
        }
        let joined = normalize(&format!("{}{path}", folder(file)));
        let root = self.files.map(|f| normalize(f.root));
        if root.as_deref() == Some(joined.as_str()) {
            return Ok((String::new(), fragment));
        }
        Ok((joined, fragment))
    }

    /// The node `fragment` of `file` (read and parsed once), or an error at `at`.
    fn target(&mut self, file: &str, fragment: &str, at: &str) -> Option<Value> {
        let Some(files) = self.files else {
            self.errors.push(
                Diagnostic::error(
                    at,
                    format!(
                        "`$ref` names another file, `{file}`, and the spec was given as text, \
                         with no way to read the files beside it"
                    ),
                )
                .hint("generate from the spec's file (`cargo xtask codegen --spec PATH`), so the files it refers to are read"),
            );
            return None;
        };
        let parsed = self.documents.entry(file.to_string()).or_insert_with(|| {
            let text = (files.read)(file)?;
            crate::load::parse_text(&text).map_err(|e| {
                e.diagnostics
                    .first()
                    .map(|d| d.message.clone())
                    .unwrap_or_default()
            })
        });
        let document = match parsed {
            Ok(document) => document,
            Err(why) => {
                let why = why.clone();
                self.errors.push(
                    Diagnostic::error(
                        at,
                        format!("`$ref` names `{file}`, which cannot be read: {why}"),
                    )
                    .hint("check the path: it is relative to the file that holds the `$ref`"),
                );
                return None;
            }
        };
        match document.pointer(fragment) {
            Some(value) => Some(value.clone()),
            None => {
                self.errors.push(
                    Diagnostic::error(
                        at,
                        format!("`$ref` names `{file}#{fragment}`, which is not in that file"),
                    )
                    .hint("fix the pointer after `#`, or add the node to that file"),
                );
                None
            }
        }
    }

    /// The component name of a schema from another file, queued to come in when new.
    fn schema_name(&mut self, target: &Target, at: &str) -> String {
        if let Some(name) = self.names.get(target) {
            return name.clone();
        }
        let (file, fragment) = target;
        let wanted = match fragment.rsplit('/').next() {
            Some(last) if !last.is_empty() => unescape(last),
            _ => file_stem(file).to_string(),
        };
        let mut name = wanted.clone();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        if name != wanted {
            self.warnings.push(
                Diagnostic::warning(
                    at,
                    format!(
                        "the schema `{file}#{fragment}` comes in as `{name}`: `{wanted}` is \
                         already another schema's name"
                    ),
                )
                .hint("nothing to do, unless another name reads better (rename one of them)"),
            );
        }
        self.taken.insert(name.clone());
        self.names.insert(target.clone(), name.clone());
        self.queue
            .push((name.clone(), file.clone(), fragment.clone(), at.to_string()));
        name
    }

    /// Walks `value` (at root pointer `pointer`, written in `file`, standing in `place`, under
    /// `key`), bringing in what its `$ref`s to other files name.
    fn walk(
        &mut self,
        value: &mut Value,
        pointer: &mut String,
        file: &str,
        place: Place,
        key: Option<&str>,
    ) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref")
                    && (!file.is_empty() || !reference.starts_with('#'))
                {
                    let reference = reference.clone();
                    self.reference(value, &reference, pointer, file, place, key);
                    return;
                }
                let name_map = key.is_some_and(is_name_map);
                for (k, v) in map.iter_mut() {
                    if !name_map && is_value_keyword(k) {
                        continue;
                    }
                    let child = child_place(key, k, place);
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape(k));
                    self.walk(v, pointer, file, child, Some(k));
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    // The items of `allOf: [...]` stand where the list does.
                    self.walk(v, pointer, file, place, None);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// A node that is a `$ref` written in `file`: made local, pointed at a component schema,
    /// or replaced by what it names.
    fn reference(
        &mut self,
        value: &mut Value,
        reference: &str,
        pointer: &mut String,
        file: &str,
        place: Place,
        key: Option<&str>,
    ) {
        let at = pointer.clone();
        let target = match self.resolve(file, reference) {
            Ok(target) => target,
            Err((why, hint)) => {
                self.errors.push(Diagnostic::error(&at, why).hint(hint));
                return;
            }
        };
        let set_ref = |value: &mut Value, to: String| {
            if let Some(map) = value.as_object_mut() {
                map.insert("$ref".into(), Value::String(to));
            }
        };
        if target.0.is_empty() {
            // The root document: a local reference again.
            set_ref(value, format!("#{}", target.1));
            return;
        }
        if place == Place::Schema {
            let name = self.schema_name(&target, &at);
            // The root's own component that is this `$ref` is where the schema comes in.
            let own = format!("{}/{}", self.section_pointer, escape(&name));
            if file.is_empty() && at == own {
                self.origins
                    .add(at.clone(), format!("{}#{}", target.0, target.1));
                if let Some(mut content) = self.target(&target.0, &target.1, &at) {
                    self.walk(&mut content, pointer, &target.0, Place::Schema, key);
                    *value = content;
                }
                return;
            }
            set_ref(value, own);
            return;
        }
        if self.inlining.contains(&target) {
            self.errors.push(
                Diagnostic::error(
                    &at,
                    format!(
                        "`$ref: {reference}` (in {}) refers back to what refers to it: `{}#{}` would hold itself",
                        file_label(file),
                        target.0,
                        target.1
                    ),
                )
                .hint("break the cycle: only schemas may refer to themselves"),
            );
            return;
        }
        let Some(mut content) = self.target(&target.0, &target.1, &at) else {
            return;
        };
        // Keys beside the `$ref` (a path item's `summary`) are kept over the file's.
        if let (Some(siblings), Value::Object(into)) = (value.as_object(), &mut content) {
            for (k, v) in siblings.iter().filter(|(k, _)| *k != "$ref") {
                into.insert(k.clone(), v.clone());
            }
        }
        self.origins
            .add(at.clone(), format!("{}#{}", target.0, target.1));
        self.inlining.push(target.clone());
        self.walk(&mut content, pointer, &target.0, place, key);
        self.inlining.pop();
        *value = content;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_file_that_refers() {
        assert_eq!(normalize("paths/../schemas/./pet.yaml"), "schemas/pet.yaml");
        assert_eq!(normalize("../common.yaml"), "../common.yaml");
        assert_eq!(folder("paths/pets.yaml"), "paths/");
        assert_eq!(file_stem("schemas/pet.v1.yaml"), "pet");
    }

    #[test]
    fn text_alone_names_the_file_it_cannot_read() {
        let mut doc = serde_json::json!({
            "openapi": "3.0.3",
            "paths": {"/pets": {"get": {"$ref": "ops/list.yaml"}}},
            "components": {"examples": {"e": {"value": {"$ref": "https://example.com/x"}}}},
        });
        let bundled = bundle(&mut doc, Format::OpenApi3, None);
        let shown: Vec<String> = bundled.errors.iter().map(|d| d.to_string()).collect();
        assert_eq!(shown.len(), 1, "values are not references: {shown:?}");
        assert!(
            shown[0].starts_with(
                "error at #/paths/~1pets/get: `$ref` names another file, `ops/list.yaml`"
            ) && shown[0].contains("cargo xtask codegen --spec PATH"),
            "{}",
            shown[0]
        );
    }

    #[test]
    fn a_spec_in_one_file_is_left_as_it_is() {
        let mut doc = serde_json::json!({"paths": {"/a": {"$ref": "#/x"}}});
        let before = doc.clone();
        let bundled = bundle(&mut doc, Format::OpenApi3, None);
        assert!(bundled.errors.is_empty() && bundled.warnings.is_empty());
        assert_eq!(doc, before);
    }
}
