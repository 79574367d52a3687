//! The overlay on a small made-up upstream (Swagger 2.0, its prose marked `UPSTREAM PROSE`):
//! what it adds, fixes and describes; that upstream's prose never reaches the built spec; that
//! a structural entry upstream moved under is an error naming the entry, and our words for
//! what upstream dropped a warning naming it. Needs no `../shared/`.

use codegen::overlay::{Overlay, build, prune};
use codegen::{Patches, read_api};
use serde_json::{Value, json};

const UPSTREAM: &str = r##"
swagger: '2.0'
info: {title: Upstream API, version: '7', description: UPSTREAM PROSE about the API, termsOfService: 'https://example.com/terms'}
host: api.example.com
schemes: [https]
security: [{OAuth2: []}]
securityDefinitions:
  oauth2: {type: oauth2, flow: application, tokenUrl: 'https://api.example.com/oauth2/token', scopes: {'other:read': UPSTREAM PROSE scope}}
tags: [{name: things, description: UPSTREAM PROSE tag}, {name: other}]
paths:
  /things/v1:
    get:
      tags: [things]
      operationId: things.get.v1
      summary: UPSTREAM PROSE summary
      description: UPSTREAM PROSE description
      security: [{oauth2: ['things:read']}]
      parameters:
        - {name: ids, in: query, type: array, items: {type: string}, collectionFormat: multi, required: true, description: UPSTREAM PROSE ids}
        - {name: limit, in: query, type: string, description: UPSTREAM PROSE limit}
      responses:
        '200':
          description: UPSTREAM PROSE ok
          schema: {$ref: '#/definitions/Thing'}
          headers: {X-Trace: {type: string, description: UPSTREAM PROSE header}}
  /other/v1:
    get:
      tags: [other]
      operationId: other.get.v1
      responses: {'200': {description: UPSTREAM PROSE, schema: {$ref: '#/definitions/Other'}}}
definitions:
  Thing:
    description: UPSTREAM PROSE thing
    properties:
      description: {type: string, description: UPSTREAM PROSE field}
      title: {type: string}
      example: {type: string, example: UPSTREAM PROSE example}
      id: {type: string}
      parent: {$ref: '#/definitions/Thing'}
  Other: {properties: {x: {type: string}}}
"##;

const OVERLAY: &str = r#"
import: {tags: [things]}
anchors:
  ok: &ok {content: {application/json: {schema: {$ref: '#/components/schemas/Count'}}}}
add-operations:
  - id: things.count.v1
    method: get
    path: /things/count/v1
    reason: the SDK has it
    operation:
      tags: [things]
      security: [{oauth2: ['things:read']}]
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses: {'200': *ok}
add-schemas:
  - {name: Count, reason: only the added operation returns it, schema: {type: object, properties: {n: {type: integer}}}}
fixes:
  - {op: set, at: '#/security', expect: [{OAuth2: []}], value: [{oauth2: []}], reason: the scheme is oauth2}
  - {op: type, at: '#/paths/~1things~1v1/get/parameters/1/schema', expect: {type: string}, type: integer, format: int32, reason: limit is a number}
text:
  info: {title: Things API, description: Our things.}
  servers: {'https://api.example.com': The one server.}
  tags: {things: Things we keep.}
  scopes: {'things:read': Read things.}
  headers: {X-Trace: Trace id.}
  responses: {'200': Success.}
  operations:
    things.get.v1: {summary: Get things, description: Gets things by id., parameters: {ids: Which things., limit: How many.}}
    things.count.v1: {summary: Count things, description: Counts things., parameters: {q: A filter.}}
  schemas:
    Thing: {description: A thing., properties: {description: Free text., title: A title., example: An example., id: Identifier.}}
    Count: {description: A count., properties: {n: How many.}}
"#;

fn overlay(text: &str) -> Overlay {
    Overlay::parse(text, "overlay.yaml").unwrap_or_else(|e| panic!("{e}"))
}

/// The overlay with one line's text replaced (`from` must be there).
fn edited(from: &str, to: &str) -> Overlay {
    assert!(OVERLAY.contains(from), "{from}");
    overlay(&OVERLAY.replacen(from, to, 1))
}

fn upstream_with(edit: impl Fn(&mut Value)) -> String {
    let mut doc: Value = serde_yaml_ng::from_str(UPSTREAM).unwrap();
    edit(&mut doc);
    serde_json::to_string(&doc).unwrap()
}

fn lines(e: &codegen::Error) -> Vec<String> {
    e.diagnostics.iter().map(|d| d.to_string()).collect()
}

#[test]
fn upstream_structure_with_our_additions_fixes_and_words() {
    let built = build(UPSTREAM, &overlay(OVERLAY), "upstream.yaml", "spec.yaml").unwrap();
    assert_eq!(built.warnings, Vec::new());
    assert_eq!(built.stats.upstream_operations, 1);
    assert_eq!(built.stats.added_operations, 1);
    assert_eq!(built.stats.added_schemas, 1);
    assert_eq!(built.stats.fixes, 2);
    assert_eq!(built.stats.placeholders, 0);
    assert!(!built.text.contains("UPSTREAM PROSE"), "{}", built.text);
    assert!(!built.text.contains("example.com/terms"), "{}", built.text);
    assert!(built.text.starts_with(
        "# Built by `cargo xtask spec update` from upstream.yaml and overlay.yaml; do not edit.\n"
    ));

    let spec = &built.value;
    assert_eq!(
        spec["info"],
        json!({"title": "Things API", "version": "7", "description": "Our things."})
    );
    assert_eq!(spec["security"], json!([{"oauth2": []}]));
    // Only the imported tag's operations, and ours.
    let paths: Vec<&String> = spec["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/things/count/v1", "/things/v1"]);
    let get = &spec["paths"]["/things/v1"]["get"];
    assert_eq!(get["summary"], "Get things");
    assert_eq!(
        get["parameters"][1],
        json!({"name": "limit", "in": "query", "description": "How many.",
               "schema": {"type": "integer", "format": "int32"}})
    );
    assert_eq!(get["responses"]["200"]["description"], "Success.");
    assert_eq!(
        get["responses"]["200"]["headers"]["X-Trace"]["description"],
        "Trace id."
    );
    // A property called `description` (or `title`, `example`) is structure, not prose.
    let thing = &spec["components"]["schemas"]["Thing"];
    assert_eq!(
        thing["properties"]["description"],
        json!({"type": "string", "description": "Free text."})
    );
    assert_eq!(thing["properties"]["title"]["description"], "A title.");
    assert_eq!(
        thing["properties"]["example"],
        json!({"type": "string", "description": "An example."})
    );
    assert_eq!(
        thing["properties"]["parent"],
        json!({"$ref": "#/components/schemas/Thing"})
    );
    // Scopes: those the operations ask for, in our words.
    assert_eq!(
        spec["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]["scopes"],
        json!({"things:read": "Read things."})
    );
    assert_eq!(
        spec["tags"],
        json!([{"name": "things", "description": "Things we keep."}])
    );

    // The built spec generates, with the added operation.
    let (api, warnings) = read_api(&built.text, &Patches::default()).unwrap();
    assert_eq!(warnings, Vec::new());
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["things.count.v1", "things.get.v1"]);

    // Same inputs, same bytes.
    let again = build(UPSTREAM, &overlay(OVERLAY), "upstream.yaml", "spec.yaml").unwrap();
    assert_eq!(again.text, built.text);
}

#[test]
fn what_has_no_words_of_ours_gets_a_placeholder_and_a_located_warning() {
    let mut ours = edited(", limit: How many.", "");
    ours.text.headers.clear();
    ours.text
        .schemas
        .get_mut("Thing")
        .unwrap()
        .properties
        .remove("id");
    let built = build(UPSTREAM, &ours, "upstream.yaml", "spec.yaml").unwrap();
    let warnings: Vec<String> = built.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning at spec.yaml#/paths/~1things~1v1/get (operation things.get.v1): no text of ours for parameter `limit`; \"Not yet described.\" written; describe it under `text.operations.things.get.v1` in overlay.yaml",
            "warning at spec.yaml#/paths/~1things~1v1/get/responses/200/headers/X-Trace: no text of ours for the response header `X-Trace` (in 1 response); \"Not yet described.\" written; describe it under `text.headers` in overlay.yaml",
            "warning at spec.yaml#/components/schemas/Thing: no text of ours for property `id`; \"Not yet described.\" written; describe it under `text.schemas.Thing` in overlay.yaml",
        ]
    );
    assert_eq!(built.stats.placeholders, 3);
    assert_eq!(
        built.value["paths"]["/things/v1"]["get"]["parameters"][1]["description"],
        "Not yet described."
    );
}

#[test]
fn a_new_upstream_operation_is_imported_without_its_prose() {
    let upstream = upstream_with(|doc| {
        doc["paths"]["/things/v2"] = json!({"post": {
            "tags": ["things"], "operationId": "things.create.v2",
            "summary": "UPSTREAM PROSE create", "description": "UPSTREAM PROSE",
            "parameters": [{"name": "body", "in": "body", "required": true,
                            "description": "UPSTREAM PROSE", "schema": {"$ref": "#/definitions/Thing"}}],
            "responses": {"201": {"description": "UPSTREAM PROSE", "schema": {"$ref": "#/definitions/Thing"}}}
        }});
    });
    let built = build(&upstream, &overlay(OVERLAY), "upstream.json", "spec.yaml").unwrap();
    assert!(!built.text.contains("UPSTREAM PROSE"));
    let warnings: Vec<String> = built.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning at spec.yaml#/paths/~1things~1v2/post (operation things.create.v2): no text of ours for the summary, the description, the request body, response 201; \"Not yet described.\" written; describe it under `text.operations.things.create.v2` in overlay.yaml"
        ]
    );
}

#[test]
fn structural_entries_upstream_moved_under_are_errors_and_our_stale_words_warnings() {
    // Our words for what the spec does not have: a parameter, a property, a status, a header, a
    // schema, and a property upstream made a `$ref`.
    let words = OVERLAY
        .replace(
            "limit: How many.}}",
            "limit: How many., offset: Where to start.}}",
        )
        .replace(
            "id: Identifier.}}",
            "id: Identifier., colour: Its colour., parent: Its parent.}}",
        )
        .replace(
            "headers: {X-Trace: Trace id.}",
            "headers: {X-Trace: Trace id., X-Gone: Gone.}",
        )
        .replace(
            "responses: {'200': Success.}",
            "responses: {'200': Success., '418': Teapot.}",
        )
        .replace(
            "  schemas:\n    Thing:",
            "  schemas:\n    Gone: {description: Not there.}\n    Thing:",
        );
    let stale_words = [
        "warning at overlay.yaml#/text/operations/things.get.v1/parameters/offset: operation `things.get.v1` has no parameter `offset` (its parameters: `ids`, `limit`); upstream dropped or renamed the parameter: the entry can go",
        "warning at overlay.yaml#/text/responses/418: no response of the spec has the status 418 and no text of its own; the entry can go",
        "warning at overlay.yaml#/text/headers/X-Gone: no response of the spec has the header `X-Gone`; the entry can go",
        "warning at overlay.yaml#/text/schemas/Thing/properties/parent: property `parent` of `Thing` is a `$ref` to `#/components/schemas/Thing`; a description beside it is not read; the entry can go; describe the schema it refers to",
        "warning at overlay.yaml#/text/schemas/Thing/properties/colour: schema `Thing` has no property `colour` (its properties: `description`, `example`, `id`, `parent`, `title`); upstream dropped or renamed the property: the entry can go",
        "warning at overlay.yaml#/text/schemas/Gone: the spec has no schema `Gone`; upstream dropped or renamed the schema: the entry can go",
    ];
    // They alone do not stop the build: the spec is written, each entry named for pruning.
    let built = build(UPSTREAM, &overlay(&words), "upstream.yaml", "spec.yaml").unwrap();
    let warnings: Vec<String> = built.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings, stale_words);
    let keys = |path: &str| path.split('/').map(str::to_string).collect::<Vec<_>>();
    assert_eq!(
        built.stale,
        [
            keys("text/operations/things.get.v1/parameters/offset"),
            keys("text/responses/418"),
            keys("text/headers/X-Gone"),
            keys("text/schemas/Thing/properties/parent"),
            keys("text/schemas/Thing/properties/colour"),
            keys("text/schemas/Gone"),
        ]
    );
    assert_eq!(
        built.value,
        build(UPSTREAM, &overlay(OVERLAY), "upstream.yaml", "spec.yaml")
            .unwrap()
            .value,
        "stale words change nothing in the spec"
    );

    // Structural entries that do not fit stop it, and the stale words are still named.
    let ours = words
        .replace(
            "import: {tags: [things]}",
            "import: {tags: [things, gone], operations: [other.gone.v1]}",
        )
        .replace(
            "  - {name: Count,",
            "  - {name: Unused, reason: nobody, schema: {type: string}}\n  - {name: Count,",
        )
        .replace(
            "{'200': *ok}",
            "{'200': *ok, '404': {content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}}",
        )
        .replace("expect: {type: string}, type: integer", "expect: {type: number}, type: integer");
    let upstream = upstream_with(|doc| {
        // Upstream fixed its default security: our fix no longer finds what it expects.
        doc["security"] = json!([{"oauth2": []}]);
    });
    let e = build(&upstream, &overlay(&ours), "upstream.json", "spec.yaml").unwrap_err();
    let mut expected: Vec<String> = [
            "error at overlay.yaml#/import/tags/1: no upstream operation has the tag `gone`; drop the tag, or check its spelling against upstream's",
            "error at overlay.yaml#/import/operations/0: upstream has no operation `other.gone.v1`; drop the id, or find what upstream calls it now",
            "error at overlay.yaml#/add-operations/0/operation/responses/404/content/application~1json/schema/$ref: `#/components/schemas/Missing` is defined neither upstream nor under `add-schemas`; add the schema under `add-schemas`, or refer to what upstream calls it now",
            "error at overlay.yaml#/add-schemas/0: no operation of the spec refers to `Unused`; remove the entry, or refer to the schema from the operation or fix that needs it",
            "error at overlay.yaml#/fixes/0: expected [{\"OAuth2\":[]}] at #/security, found [{\"oauth2\":[]}]; upstream moved under the fix (the scheme is oauth2): update or drop it",
            "error at overlay.yaml#/fixes/1: expected {\"type\":\"number\"} at #/paths/~1things~1v1/get/parameters/1/schema, found {\"type\":\"string\"}; upstream moved under the fix (limit is a number): update or drop it",
    ]
    .map(str::to_string)
    .to_vec();
    // Then the warnings: what in our file can go, then what the spec needs words for.
    expected.extend(stale_words.map(str::to_string));
    expected.push("warning at spec.yaml#/paths/~1things~1count~1v1/get (operation things.count.v1): no text of ours for response 404; \"Not yet described.\" written; describe it under `text.operations.things.count.v1` in overlay.yaml".into());
    assert_eq!(lines(&e), expected);
}

#[test]
fn upstream_wins_over_an_operation_or_schema_we_add_and_says_so() {
    // Upstream now has our operation, under our id.
    let upstream = upstream_with(|doc| {
        doc["paths"]["/things/count/v1"] = json!({"get": {
            "tags": ["things"], "operationId": "things.count.v1",
            "security": [{"oauth2": ["things:read"]}],
            "parameters": [{"name": "q", "in": "query", "type": "string"}, {"name": "deep", "in": "query", "type": "boolean"}],
            "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Count"}}}
        }});
        doc["definitions"]["Count"] =
            json!({"properties": {"n": {"type": "integer"}, "more": {"type": "boolean"}}});
    });
    let built = build(&upstream, &overlay(OVERLAY), "upstream.json", "spec.yaml").unwrap();
    let warnings: Vec<String> = built.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning at overlay.yaml#/add-operations/0 (operation things.count.v1): upstream now defines `things.count.v1` (GET /things/count/v1); upstream's definition wins and this entry is not used; remove the entry; text under `text.operations.things.count.v1` describes upstream's operation",
            "warning at overlay.yaml#/add-schemas/0: upstream now defines the schema `Count`; upstream's definition wins and this entry is not used; remove the entry",
            "warning at spec.yaml#/paths/~1things~1count~1v1/get (operation things.count.v1): no text of ours for parameter `deep`; \"Not yet described.\" written; describe it under `text.operations.things.count.v1` in overlay.yaml",
            "warning at spec.yaml#/components/schemas/Count: no text of ours for property `more`; \"Not yet described.\" written; describe it under `text.schemas.Count` in overlay.yaml",
        ]
    );
    assert_eq!(built.stats.superseded, 2);
    assert_eq!(built.stats.added_operations, 0);
    let params = &built.value["paths"]["/things/count/v1"]["get"]["parameters"];
    assert_eq!(params[1]["name"], "deep", "upstream's definition is used");

    // Upstream has the same path and method under another id: upstream's wins, ours is left
    // out, and our text for it no longer describes anything.
    let upstream = upstream_with(|doc| {
        doc["paths"]["/things/count/v1"] = json!({"get": {
            "tags": ["things"], "operationId": "things.tally.v1",
            "parameters": [{"name": "q", "in": "query", "type": "string"}],
            "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Other"}}}
        }});
    });
    let e = build(&upstream, &overlay(OVERLAY), "upstream.json", "spec.yaml").unwrap_err();
    let all = lines(&e);
    assert!(all.contains(&"warning at overlay.yaml#/add-operations/0 (operation things.count.v1): upstream now has GET /things/count/v1 as `things.tally.v1`; upstream's operation wins and `things.count.v1` is left out of the spec; remove the entry; text under `text.operations.things.tally.v1` describes upstream's operation".to_string()), "{all:#?}");
    assert!(all.contains(&"warning at overlay.yaml#/text/operations/things.count.v1: the spec has no operation `things.count.v1`; upstream dropped or renamed the operation: the entry can go".to_string()), "{all:#?}");
}

#[test]
fn a_value_set_a_fix_refers_to_comes_in_and_falconpy_names_land_on_their_operations() {
    let ours = OVERLAY
        .replace(
            "  - {name: Count,",
            "  - {name: Colour, reason: the values upstream leaves a plain string, schema: {type: string, enum: [red, blue]}}\n  - {name: Count,",
        )
        .replace(
            "reason: limit is a number}\n",
            "reason: limit is a number}\n  - {op: set, at: '#/components/schemas/Thing/properties/title', expect: {type: string}, value: {$ref: '#/components/schemas/Colour'}, reason: titles are colours}\nfalconpy-names: {things.get.v1: get_things, things.count.v1: count_things}\n",
        )
        .replace("title: A title., ", "")
        .replace("    Count: {", "    Colour: {description: A colour.}\n    Count: {");
    let built = build(UPSTREAM, &overlay(&ours), "upstream.yaml", "spec.yaml").unwrap();
    assert_eq!(built.warnings, Vec::new());
    let spec = &built.value;
    assert_eq!(
        spec["components"]["schemas"]["Colour"],
        json!({"type": "string", "enum": ["red", "blue"], "description": "A colour."})
    );
    assert_eq!(
        spec["components"]["schemas"]["Thing"]["properties"]["title"],
        json!({"$ref": "#/components/schemas/Colour"})
    );
    assert_eq!(
        spec["paths"]["/things/v1"]["get"]["x-falconpy-name"],
        "get_things"
    );
    assert_eq!(
        spec["paths"]["/things/count/v1"]["get"]["x-falconpy-name"],
        "count_things"
    );
    let api = read_api(&built.text, &Patches::default()).unwrap().0;
    let get = api
        .operations
        .iter()
        .find(|o| o.id == "things.get.v1")
        .unwrap();
    assert_eq!(get.falconpy_name.as_deref(), Some("get_things"));

    // A name for an operation the spec does not have (upstream dropped it: our words, so a
    // warning), a name that is no method name, and one name given to two operations.
    let built = build(
        UPSTREAM,
        &overlay(&OVERLAY.replace("text:\n", "falconpy-names: {things.gone.v1: gone}\ntext:\n")),
        "upstream.yaml",
        "spec.yaml",
    )
    .unwrap();
    assert_eq!(
        built
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>(),
        [
            "warning at overlay.yaml#/falconpy-names/things.gone.v1: the spec has no operation `things.gone.v1`; upstream dropped or renamed the operation: the entry can go, or key it by the id upstream uses now"
        ]
    );
    assert_eq!(built.stale, [["falconpy-names", "things.gone.v1"]]);
    let e = Overlay::parse(
        &OVERLAY.replace(
            "text:\n",
            "falconpy-names: {things.get.v1: get things, things.count.v1: count, other.get.v1: count}\ntext:\n",
        ),
        "overlay.yaml",
    )
    .unwrap_err();
    assert_eq!(
        lines(&e),
        [
            "error at overlay.yaml#/falconpy-names/things.count.v1: `count` is also the name of `other.get.v1`; FalconPy names each operation differently: check both entries",
            "error at overlay.yaml#/falconpy-names/things.get.v1: `get things` is not a method name; write FalconPy's method name as it is spelled (`devices_count`)",
        ]
    );
}

#[test]
fn a_malformed_overlay_is_refused_with_the_place() {
    let refused = |text: &str| -> Vec<String> {
        lines(&Overlay::parse(text, "overlay.yaml").expect_err(text))
    };
    assert_eq!(
        refused(&OVERLAY.replace("reason: the SDK has it", "reason: ''")),
        [
            "error at overlay.yaml#/add-operations/0: the entry has no `reason`; say in one line why we add it"
        ]
    );
    assert_eq!(
        refused(&OVERLAY.replace(
            "tags: [things]\n      security",
            "tags: [things]\n      summary: Count\n      security"
        )),
        [
            "error at overlay.yaml#/add-operations/0/operation/summary: an added operation holds no text; move it under `text.operations.things.count.v1` (summary, description, parameters, body, responses)"
        ]
    );
    assert_eq!(
        refused(&OVERLAY.replace("expect: [{OAuth2: []}], ", "")),
        [
            "error at overlay.yaml#/fixes/0: the `set` fix has no `expect`; say what the fix expects at `at` (`expect: ~` when nothing is there yet)"
        ]
    );
    let unknown = refused(&OVERLAY.replace("{summary: Get things,", "{sumary: Get things,"));
    assert_eq!(unknown.len(), 1);
    assert!(
        unknown[0].starts_with("error at overlay.yaml#/text/operations/things.get.v1/sumary: not a valid overlay entry: unknown field `sumary`"),
        "{unknown:?}"
    );
    assert!(
        refused("import: {tags: [things]}\n")
            .join("\n")
            .contains("missing field `text`")
    );
}

/// The entries of our words in the committed `spec/overlay.yaml` are found as their own lines:
/// every leaf (each text and each FalconPy name), every operation and schema, every section but
/// `info`, each set pruned at once, reads as the file without exactly those entries (`prune`
/// checks that and refuses otherwise), and nothing is left for a hand edit.
#[test]
fn the_entries_of_our_words_in_the_committed_overlay_can_be_pruned() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/overlay.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let value: Value = serde_yaml_ng::from_str(&text).unwrap();
    fn leaves(value: &Value, keys: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        for (key, child) in value.as_object().into_iter().flatten() {
            keys.push(key.clone());
            if child.is_object() {
                leaves(child, keys, out);
            } else {
                out.push(keys.clone());
            }
            keys.pop();
        }
    }
    let children = |keys: &[&str]| -> Vec<Vec<String>> {
        let mut node = &value;
        for k in keys {
            node = &node[*k];
        }
        let names = node.as_object().unwrap().keys();
        names
            .map(|n| {
                keys.iter()
                    .map(|k| k.to_string())
                    .chain([n.clone()])
                    .collect()
            })
            .collect()
    };
    let mut every_leaf = Vec::new();
    for section in ["text", "falconpy-names"] {
        leaves(
            &value[section],
            &mut vec![section.to_string()],
            &mut every_leaf,
        );
    }
    let mut operations_and_schemas = children(&["text", "operations"]);
    operations_and_schemas.extend(children(&["text", "schemas"]));
    let mut sections = children(&["text"]);
    sections.retain(|keys| keys[1] != "info");
    for (what, entries) in [
        ("leaves", every_leaf),
        ("operations and schemas", operations_and_schemas),
        ("sections", sections),
    ] {
        assert!(entries.len() > 5, "{what}: {entries:?}");
        let pruned =
            prune(&text, &entries, "spec/overlay.yaml").unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(pruned.kept, Vec::<Vec<String>>::new(), "{what}");
        assert_eq!(pruned.removed.len(), entries.len(), "{what}");
        let gone: usize = pruned.removed.iter().map(|(_, n)| n).sum();
        assert_eq!(
            text.lines().count() - pruned.text.lines().count(),
            gone,
            "{what}"
        );
    }
}
