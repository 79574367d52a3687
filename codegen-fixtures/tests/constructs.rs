//! What the generated code of each construct does at run time, not only that it compiles;
//! parameters on the wire against a loopback server that records each request.

mod support;

use codegen_fixtures::*;
use serde_json::json;

#[test]
fn null_envelopes_decode_as_empty() {
    let reply: null_envelopes::models::Reply =
        serde_json::from_value(json!({"errors": null, "meta": null, "resources": null})).unwrap();
    assert!(reply.errors.is_empty() && reply.resources.is_empty() && reply.meta.is_none());
    let reply: null_envelopes::models::Reply = serde_json::from_value(json!({})).unwrap();
    assert!(reply.resources.is_empty());
    // Required lists are always sent, even empty.
    assert_eq!(
        serde_json::to_value(&reply).unwrap(),
        json!({"errors": [], "resources": []})
    );
}

#[test]
fn case_sensitive_fields_round_trip_exactly() {
    let wire = json!({"From": 1.5, "To": 2.5, "from": "a", "to": "b"});
    let range: case_fields::models::MsaRangeSpec = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!((range.From, range.from.as_deref()), (Some(1.5), Some("a")));
    assert_eq!(serde_json::to_value(&range).unwrap(), wire);
}

#[test]
fn keywords_round_trip_under_their_json_names() {
    let wire = json!({"type": "t", "async": true, "loop": 3, "Self": "s"});
    let k: keywords::models::Keywords = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(
        (k.type_.as_deref(), k.async_, k.loop_, k.self_.as_deref()),
        (Some("t"), Some(true), Some(3), Some("s"))
    );
    assert_eq!(serde_json::to_value(&k).unwrap(), wire);
}

#[test]
fn open_enums_keep_unknown_values() {
    use open_enums::models::{Policy, PolicyAction, Severity};
    let p: Policy =
        serde_json::from_value(json!({"severity": "high", "action": "quarantine"})).unwrap();
    assert_eq!(p.severity, Some(Severity::High));
    assert_eq!(p.action, Some(PolicyAction::Unknown("quarantine".into())));
    assert_eq!(
        serde_json::to_value(&p).unwrap(),
        json!({"severity": "high", "action": "quarantine"})
    );
    assert_eq!(PolicyAction::PreventNoUi.as_str(), "prevent_no_ui");
}

#[test]
fn maps_keep_every_key() {
    use maps::models::{Holder, Open};
    let wire = json!({"labels": {"a": "b"}, "anything": {"x": [1]}, "counts": {"n": 3}, "platforms_by_type": {"sha256": ["windows"]}});
    let h: Holder = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(h.counts.as_ref().unwrap()["n"], 3);
    assert_eq!(serde_json::to_value(&h).unwrap(), wire);
    let open: Open = serde_json::from_value(json!({"id": "1", "extra": true})).unwrap();
    assert_eq!(open.additional_properties["extra"], json!(true));
    assert_eq!(
        serde_json::to_value(&open).unwrap(),
        json!({"id": "1", "extra": true})
    );
}

#[test]
fn recursive_schemas_nest() {
    use recursion::models::{Aggregate, Node};
    let wire = json!({"value": 1, "parent": {"value": 0}, "peer": {"node": {"value": 2}}});
    let n: Node = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(n.parent.as_ref().unwrap().value, Some(0));
    assert_eq!(serde_json::to_value(&n).unwrap(), wire);
    let a: Aggregate =
        serde_json::from_value(json!({"name": "a", "sub_aggregates": [{"name": "b"}]})).unwrap();
    assert_eq!(a.sub_aggregates.unwrap()[0].name.as_deref(), Some("b"));
}

#[test]
fn missing_types_become_raw_json() {
    use missing_types::models::Loose;
    let wire =
        json!({"offset": {"anything": 1}, "anything": [true], "paging": 3, "items": ["x", 1]});
    let l: Loose = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(l.paging, Some(json!(3)));
    assert_eq!(serde_json::to_value(&l).unwrap(), wire);
}

#[test]
fn every_name_style_has_its_method_and_alias() {
    // Compiling these calls is the test: method names, aliases and escapes exist as documented.
    fn _names(c: &id_styles::Client) {
        let _ = (
            c.devices_count(),
            c.DevicesCount(),
            c.query_rules(),
            c.indicator_combined_v1(),
        );
        let _ = (
            c.ioc_type_query_v1(),
            c.get_rules_mixin0_mixin65(),
            c.get_ioc(),
            c.GetIOC(),
        );
        let _ = (c.query_iocs(), c.QueryIOCs());
    }
    fn _setters(c: &keywords::Client, d: &dotted_names::Client, a: &arrays::Client) {
        let _ = c
            .keyword_check_v1()
            .type_("t")
            .self_("s")
            .match_(true)
            ._2fa("x");
        let _ = d
            .thing_get_v1()
            .from_expiration_timestamp("a")
            .to_expiration_timestamp("b");
        let _ = a
            .entities_get_v1()
            .ids(["a"])
            .fields(["b", "c"])
            .sizes([1, 2])
            .sort("name.desc");
    }
    let ids: Vec<_> = id_styles::table::OPERATIONS
        .iter()
        .flat_map(|o| o.ids.iter().copied())
        .collect();
    assert!(
        ids.contains(&"ioc_type.query.v1")
            && ids.contains(&"ioc_type_query_v1")
            && ids.contains(&"QueryIOCs")
    );
}

#[test]
fn array_styles_are_in_the_table() {
    use falcon_runtime::operation::{ArrayStyle, Kind, Scalar};
    let op = &arrays::table::ENTITIES_GET_V1;
    assert_eq!(
        op.param("ids").unwrap().kind,
        Kind::Array(Scalar::String, ArrayStyle::Multi)
    );
    assert_eq!(
        op.param("fields").unwrap().kind,
        Kind::Array(Scalar::String, ArrayStyle::Csv)
    );
    assert_eq!(
        op.param("sizes").unwrap().kind,
        Kind::Array(Scalar::Integer, ArrayStyle::Multi)
    );
}

#[test]
fn names_that_would_shadow_get_the_trailing_underscore() {
    use shadowing::models::{Option_, Vec_};
    fn _calls(c: &shadowing::Client) {
        // `result` and `Self` are operation ids; `items` and `send` are parameters.
        let _ = c.result().items_("x").send_(true).offset(0).items();
        let _ = c.self_();
    }
    let wire = json!({"resources": [{"id": "a"}], "additional_properties": "declared", "extra": 1});
    let o: Option_ = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(
        o.resources.as_ref().unwrap()[0],
        Vec_ {
            id: Some("a".into())
        }
    );
    assert_eq!(o.additional_properties.as_deref(), Some("declared"));
    assert_eq!(o.additional_properties_["extra"], json!(1));
    assert_eq!(serde_json::to_value(&o).unwrap(), wire);
}

#[test]
fn operations_named_like_client_methods_take_the_trailing_underscore() {
    use reserved_names::{blocking, operations, table};
    let client = blocking::Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("token")
        .build()
        .unwrap();
    // The blocking client's own `login`, `logout`, `async_client` and `command` stay theirs; the
    // operations of those names are reached with a trailing `_`.
    let _: operations::Login<'_, _> = client.login_();
    let _: operations::Logout<'_, _> = client.logout_();
    let _: operations::AsyncClient<'_, _> = client.async_client_();
    let _: operations::Command<'_, _> = client.command_();
    let _: operations::Runtime<'_, _> = client.async_client().runtime_();
    let _: operations::M_<'_, _> = client.M();
    let _: operations::Client_<'_, _> = client.Client();
    assert_eq!(table::LOGIN.path, "/auth/login/v1");
    assert_eq!(table::LOGIN.id(), "login");
}

#[test]
fn names_with_nothing_to_go_by_become_empty_in_their_case() {
    use empty_names::{models, operations, table};
    let client = empty_names::Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("token")
        .build()
        .unwrap();
    let _: operations::Empty<'_> = client.empty().empty("x");
    assert_eq!(table::EMPTY.id(), "");
    let m: models::Empty = serde_json::from_value(json!({"-": "dash"})).unwrap();
    assert_eq!(m.empty.as_deref(), Some("dash"));
}

/// A client of a generated fixture crate pointed at `url`, with a token and no retries.
macro_rules! client_at {
    ($module:ident, $url:expr) => {
        $module::Client::builder()
            .base_url($url)
            .access_token("test-token")
            .retry(falcon_runtime::RetryConfig::disabled())
            .build()
            .unwrap()
    };
}

#[test]
fn scalar_unions_read_and_write_each_json_type_as_sent() {
    use scalar_unions::models::{
        Issue, IssueMilestone, IssuePublic, IssuePublicString, IssueReviewer, IssueSize,
        IssueState, IssueTitle, IssueWeight, State, TraceId, User,
    };
    let wire = json!({
        "title": 42, "milestone": "v1", "public": "true", "weight": "heavy",
        "owner": "0b4e6b2c-9f7e-4c47-8a55-05b1a1f1c0de", "assignee": {"login": "octo"},
        "labels": ["a", 7], "body": ["raw", "json"],
        "reviewer": "octo", "state": "closed", "size": 10
    });
    let issue: Issue = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(issue.title, Some(IssueTitle::Integer(42)));
    assert_eq!(issue.milestone, Some(IssueMilestone::String("v1".into())));
    assert_eq!(
        issue.public,
        Some(IssuePublic::String(IssuePublicString::True))
    );
    assert_eq!(issue.weight, Some(IssueWeight::String("heavy".into())));
    // Two kinds of string (a UUID, a name) are one `String`.
    let owner: Option<&String> = issue.owner.as_ref();
    assert_eq!(owner.map(String::len), Some(36));
    // `anyOf` of one reference is that type.
    let assignee: Option<&User> = issue.assignee.as_ref();
    assert_eq!(assignee.and_then(|u| u.login.as_deref()), Some("octo"));
    assert_eq!(
        issue.labels.as_deref(),
        Some(&[TraceId::String("a".into()), TraceId::Integer(7)][..])
    );
    assert_eq!(issue.body, Some(json!(["raw", "json"])));
    // A named scalar in a union is its plain type; a referenced enum is that enum.
    assert_eq!(issue.reviewer, Some(IssueReviewer::String("octo".into())));
    assert_eq!(issue.state, Some(IssueState::String(State::Closed)));
    assert_eq!(issue.size, Some(IssueSize::Integer(10)));
    assert_eq!(IssueState::from(State::Open).to_string(), "open");
    // Written back exactly as sent: each value keeps its JSON type.
    assert_eq!(serde_json::to_value(&issue).unwrap(), wire);

    // The other JSON type of each; an integer for a number-or-string reads as a number.
    let other: Issue = serde_json::from_value(
        json!({"title": "Fix it", "milestone": null, "public": false, "weight": 3}),
    )
    .unwrap();
    assert_eq!(other.title, Some(IssueTitle::String("Fix it".into())));
    assert_eq!(other.milestone, None);
    assert_eq!(other.public, Some(IssuePublic::Boolean(false)));
    assert_eq!(other.weight, Some(IssueWeight::Number(3.0)));
    // A value of no type of the union is a decode error naming it.
    let err = serde_json::from_value::<Issue>(json!({"title": true}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("IssueTitle"), "{err}");
    // Values in, as the setters and bodies take them.
    assert_eq!(IssueTitle::from(7), IssueTitle::Integer(7));
    assert_eq!(IssuePublic::from("maybe").to_string(), "maybe");
    assert_eq!(TraceId::from("t").to_string(), "t");
}

#[test]
fn a_union_of_every_scalar_type_reads_each() {
    use scalar_unions::models::{Run, Setting};
    let run: Run = serde_json::from_value(
        json!({"id": "r-1", "settings": {"a": true, "b": 1, "c": 1.5, "d": "x"}}),
    )
    .unwrap();
    let settings = run.settings.unwrap();
    assert_eq!(
        settings.into_values().collect::<Vec<_>>(),
        [
            Setting::Boolean(true),
            Setting::Integer(1),
            Setting::Number(1.5),
            Setting::String("x".into())
        ]
    );
}

#[tokio::test]
async fn union_and_list_parameters_go_on_the_wire_as_text() {
    use falcon_runtime::operation::{ArrayStyle, Kind, NUMBER, STRING, Scalar};
    let (url, seen) = support::server(vec![(200, r#"{"id": 5}"#)]).await;
    let client = client_at!(scalar_unions, &url);
    let reply = client
        .runs_list_v1()
        .workflow_id(42)
        .since("2024-05-01T00:00:00Z")
        .min_score(2)
        .ids(["a", "b"])
        .labels(["x", "y"])
        .x_trace(7)
        .send()
        .await
        .unwrap();
    assert_eq!(
        reply.body.id,
        Some(scalar_unions::models::TraceId::Integer(5))
    );
    client
        .runs_list_v1()
        .workflow_id("ci.yml")
        .since(7)
        .min_score(0.5)
        .ids(["only"])
        .send()
        .await
        .unwrap();
    // `command()` takes either JSON type, and a comma-separated string for a list.
    client
        .command(
            "runs.list.v1",
            json!({"workflow_id": 9, "since": "yesterday", "ids": "c,d"}),
        )
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let lines: Vec<&str> = seen.iter().map(|s| s.line.as_str()).collect();
    assert_eq!(
        lines,
        [
            "GET /workflows/42/runs/v1?since=2024-05-01T00%3A00%3A00Z&min_score=2&ids=a&ids=b&labels=x%2Cy",
            "GET /workflows/ci.yml/runs/v1?since=7&min_score=0.5&ids=only",
            "GET /workflows/9/runs/v1?since=yesterday&ids=c&ids=d",
        ]
    );
    assert_eq!(seen[0].header("x-trace"), Some("7"));
    // On the wire a union of types is text (a number, for integers and numbers), and a string
    // or a list of strings is a list.
    let op = &scalar_unions::table::RUNS_LIST_V1;
    let kind = |name: &str| op.param(name).unwrap().kind;
    assert_eq!(
        [
            kind("workflow_id"),
            kind("since"),
            kind("min_score"),
            kind("X-Trace")
        ],
        [STRING, STRING, NUMBER, STRING]
    );
    assert_eq!(kind("ids"), Kind::Array(Scalar::String, ArrayStyle::Multi));
    assert_eq!(kind("labels"), Kind::Array(Scalar::String, ArrayStyle::Csv));
}

#[tokio::test]
async fn referenced_enums_and_named_scalars_are_parameters() {
    use ref_params::models::{ByteCount, Name, Severity};
    let (url, seen) = support::server(vec![(200, "{}")]).await;
    let client = client_at!(ref_params, &url);
    let name: Name = "disk 1".to_string();
    let size: ByteCount = 1024;
    client
        .thing_get_v1()
        .name(name)
        .alias("d1")
        .severity(Severity::High)
        .severities([Severity::Low, Severity::Unknown("urgent".into())])
        .min_size(size)
        .sizes([1, 2])
        .level("low")
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].line,
        "GET /things/disk%201/v1?alias=d1&severity=high&severities=low&severities=urgent&min_size=1024&sizes=1%2C2&level=low"
    );
}

#[test]
fn enums_written_as_one_of_are_open_enums_with_their_words() {
    use enum_one_of::models::{IdOrder, Project, ProjectKind, SortOrder, Visibility};
    let wire = json!({"visibility": "public", "kind": "vm", "mode": "id_asc", "sort": "name_desc"});
    let p: Project = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(
        (p.visibility, p.kind, p.mode, p.sort),
        (
            Some(Visibility::Public),
            Some(ProjectKind::Vm),
            Some(IdOrder::IdAsc),
            Some(SortOrder::NameDesc)
        )
    );
    // "Known values or any string": the open enum keeps the rest.
    let p: Project =
        serde_json::from_value(json!({"visibility": "internal", "kind": "disk"})).unwrap();
    assert_eq!(p.visibility, Some(Visibility::Unknown("internal".into())));
    assert_eq!(serde_json::to_value(&p).unwrap()["visibility"], "internal");
    assert_eq!(SortOrder::IdAsc.as_str(), "id_asc");
    // A `$ref`'d enum parameter takes the enum or any string.
    let op = &enum_one_of::table::PROJECTS_LIST_V1;
    assert_eq!(
        op.param("sort_by").unwrap().kind,
        falcon_runtime::operation::STRING
    );
    fn _setters(c: &enum_one_of::Client) {
        let _ = c
            .projects_list_v1()
            .sort_by(SortOrder::NameAsc)
            .state("open");
        let _ = c.projects_list_v1().sort_by("id_asc");
    }
}

#[tokio::test]
async fn names_that_differ_by_case_or_symbols_keep_their_wire_spelling() {
    use name_folding::models::{Reaction, ReactionCreateV1BodyOp, ReactionRollup};
    let wire = json!({"+1": 3, "-1": 1, "no-action": "n", "no_action": "m", "total_count": 4});
    let rollup: ReactionRollup = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(
        (
            rollup.plus_1,
            rollup.minus_1,
            rollup.no_dash_action.as_deref(),
            rollup.no_action.as_deref()
        ),
        (Some(3), Some(1), Some("n"), Some("m"))
    );
    assert_eq!(serde_json::to_value(&rollup).unwrap(), wire);
    let reactions: Vec<Reaction> =
        serde_json::from_value(json!(["+1", "-1", "laugh", "unknown", "Unknown", "rocket"]))
            .unwrap();
    assert_eq!(
        reactions,
        [
            Reaction::Plus1,
            Reaction::Minus1,
            Reaction::Laugh,
            Reaction::unknown,
            Reaction::Unknown_,
            Reaction::Unknown("rocket".into())
        ]
    );
    assert_eq!(
        serde_json::to_value(&reactions).unwrap(),
        json!(["+1", "-1", "laugh", "unknown", "Unknown", "rocket"])
    );
    let ops = [
        ReactionCreateV1BodyOp::add,
        ReactionCreateV1BodyOp::Add,
        ReactionCreateV1BodyOp::remove,
        ReactionCreateV1BodyOp::Remove,
    ];
    assert_eq!(
        ops.map(|o| o.to_string()),
        ["add", "Add", "remove", "Remove"]
    );

    // Parameters too: each setter sends its own wire name.
    let (url, seen) = support::server(vec![(200, "{}")]).await;
    client_at!(name_folding, &url)
        .reaction_create_v1()
        .x_dash_trace("header")
        .x_trace("query")
        .From("upper")
        .from("lower")
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].line,
        "POST /reactions/v1?x_trace=query&From=upper&from=lower"
    );
    assert_eq!(seen[0].header("x-trace"), Some("header"));
}

#[tokio::test]
async fn enums_that_list_nothing_or_only_null() {
    use empty_enums::models::{Holder, HolderMaybe};
    // `enum: [null]` is the null type; `enum: []` constrains nothing: a string.
    let h: Holder =
        serde_json::from_value(json!({"none": null, "free": "anything", "maybe": "a"})).unwrap();
    assert_eq!(
        (h.none, h.free.as_deref(), h.maybe),
        (None, Some("anything"), Some(HolderMaybe::A))
    );
    let (url, seen) = support::server(vec![(200, "null"), (200, "")]).await;
    let client = client_at!(empty_enums, &url);
    let reply: falcon_runtime::ApiResponse<()> = client.snapshot_take_v1().send().await.unwrap();
    assert_eq!(reply.status, 200);
    let reply: falcon_runtime::ApiResponse<()> = client.hold_set_v1().send().await.unwrap();
    assert_eq!(reply.body, ());
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[test]
fn request_models_send_only_what_was_set() {
    use request_models::models::{Kind, Line, Order, Receipt, Wide};
    use std::collections::BTreeMap;
    let order = Order::new(
        Kind::A,
        BTreeMap::from([("k".to_string(), "v".to_string())]),
        [Line::new("s1").qty(2)],
        1.5,
    )
    .kinds(["b", "z"])
    .ids([1, 2])
    .parent(Order::default().note("up"))
    .extra(json!({"x": 1}));
    assert_eq!(
        serde_json::to_value(&order).unwrap(),
        json!({
            "extra": {"x": 1},
            "ids": [1, 2],
            "kind": "a",
            "kinds": ["b", "z"],
            "labels": {"k": "v"},
            "lines": [{"qty": 2, "sku": "s1"}],
            "parent": {"note": "up"},
            "weight": 1.5,
        })
    );
    // Required lists of a request model are left out unless set.
    assert_eq!(serde_json::to_value(Order::default()).unwrap(), json!({}));
    // A field named like the constructor or `Default::default` has no setter; it is set
    // directly, and `Order::default()` is still `Default`'s.
    let flagged = Order {
        new: Some(true),
        default: Some(false),
        ..Order::default()
    };
    assert_eq!(
        serde_json::to_value(&flagged).unwrap(),
        json!({"default": false, "new": true})
    );
    // Eight required fields: eight arguments.
    let wide = Wide::new("a", "b", "c", "d", "e", "f", "g", "h");
    assert_eq!(wide.h.as_deref(), Some("h"));
    // A response model keeps its required list a list, `null` read as empty; `Line`, in both a
    // request and a response, reads a reply as any model does.
    let r: Receipt = serde_json::from_value(json!({"lines": null})).unwrap();
    assert!(r.lines.is_empty());
    let r: Receipt = serde_json::from_value(json!({"lines": [{"sku": "a"}], "total": 1})).unwrap();
    assert_eq!(r.lines, [Line::new("a")]);
}

#[test]
fn enum_parameters_take_the_enum_or_a_string() {
    use falcon_runtime::operation::{ArrayStyle, Kind as Wire, Scalar};
    use request_models::models::Kind;
    fn _calls(c: &request_models::Client) {
        let _ = c
            .orders_list_v2()
            .kind(Kind::A)
            .kinds([Kind::B, "c".into()]);
        let _ = c.orders_list_v2().kind("a").kinds(["a", "b"]);
        let _ = c.list_orders();
    }
    // On the wire and for `command()` they are strings, as before.
    let op = &request_models::table::ORDERS_LIST_V2;
    assert_eq!(op.param("kind").unwrap().kind, Wire::Scalar(Scalar::String));
    assert_eq!(
        op.param("kinds").unwrap().kind,
        Wire::Array(Scalar::String, ArrayStyle::Multi)
    );
    assert_eq!(Kind::from("b"), Kind::B);
    assert_eq!(Kind::from("c"), Kind::Unknown("c".into()));
}

#[tokio::test]
async fn operations_without_an_id_are_named_after_method_and_path() {
    let (url, seen) = support::server(vec![(200, "{}"), (204, ""), (200, "{}")]).await;
    let client = client_at!(missing_ids, &url);
    client.get_pets().limit(2).send().await.unwrap();
    client
        .delete_pets_by_pet_id()
        .pet_id("p 1")
        .send()
        .await
        .unwrap();
    // The derived id is the `command()` id as well.
    client.command("get_root", json!({})).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    let lines: Vec<&str> = seen.iter().map(|s| s.line.as_str()).collect();
    assert_eq!(lines, ["GET /pets?limit=2", "DELETE /pets/p%201", "GET /"]);
    assert_eq!(
        missing_ids::table::DELETE_PETS_BY_PET_ID.id(),
        "delete_pets_by_pet_id"
    );
}

#[tokio::test]
async fn openapi_31_is_read_as_its_30_meaning() {
    use openapi31::models::{Key, KeyObject};
    let (url, seen) = support::server(vec![(
        200,
        r#"{"id": "k1", "object": "api_key", "name": null, "expires_at": null, "previous": null, "owner": {"name": "ops"}}"#,
    )])
    .await;
    let client = client_at!(openapi31, &url);
    let key: Key = client
        .get_key()
        .key_id("k1")
        .limit(10)
        .send()
        .await
        .unwrap()
        .body;
    // `type: [T, "null"]` and `anyOf: [T, {type: "null"}]` are optional fields that take null.
    assert_eq!(
        (key.name, key.expires_at, key.previous, key.object),
        (None, None, None, Some(KeyObject::ApiKey))
    );
    assert_eq!(key.owner.unwrap().name.as_deref(), Some("ops"));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].line, "GET /keys/k1?limit=10");
}

#[tokio::test]
async fn form_fields_that_are_references_are_sent() {
    use form_refs::models::CallEnumTrack;
    let (url, seen) = support::server(vec![(200, "{}"), (200, "{}")]).await;
    let client = client_at!(form_refs, &url);
    client
        .create_call()
        .to("+1555")
        .track(CallEnumTrack::BothTracks)
        .timeout(30)
        .send()
        .await
        .unwrap();
    client
        .command(
            "CreateCall",
            json!({"To": "+1555", "Track": "inbound_track", "Timeout": 5}),
        )
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let bodies: Vec<String> = seen
        .iter()
        .map(|s| String::from_utf8_lossy(&s.body).into_owned())
        .collect();
    assert_eq!(
        bodies,
        [
            "Timeout=30&To=%2B1555&Track=both_tracks",
            "Timeout=5&To=%2B1555&Track=inbound_track"
        ]
    );
}

#[tokio::test]
async fn same_named_parameters_are_told_apart_by_location() {
    let (url, seen) = support::server(vec![(200, "{}")]).await;
    let client = client_at!(same_names, &url);
    // The path's `path` keeps the name; the query's is `query_path`; of a query and a header
    // `trace` (none in the path), the query's keeps it and the header's is `header_trace`.
    client
        .proxy_get()
        .name("n")
        .path("a/b")
        .query_path("/healthz")
        .trace("q")
        .header_trace("h")
        .send()
        .await
        .unwrap();
    client
        .command(
            "ProxyGet",
            json!({"name": "n", "path": "p", "query_path": "/x", "header_trace": "h2"}),
        )
        .await
        .unwrap();
    // Twilio's path `AccountSid` beside a form field `AccountSid` (`form_AccountSid`).
    client
        .create_call()
        .account_sid("AC1")
        .form_account_sid("AC2")
        .to("+1555")
        .send()
        .await
        .unwrap();
    client
        .command(
            "CreateCall",
            json!({"AccountSid": "AC3", "form_AccountSid": "AC4", "To": "+1"}),
        )
        .await
        .unwrap();
    // A wire name that two parameters share names the one the rule kept.
    client
        .command("CreateCall", json!({"AccountSid": "AC5", "To": "+1"}))
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let lines: Vec<&str> = seen.iter().map(|s| s.line.as_str()).collect();
    assert_eq!(
        lines,
        [
            "GET /proxy/n/a%2Fb?path=%2Fhealthz&trace=q",
            "GET /proxy/n/p?path=%2Fx",
            "POST /Accounts/AC1/Calls",
            "POST /Accounts/AC3/Calls",
            "POST /Accounts/AC5/Calls",
        ]
    );
    assert_eq!(
        (seen[0].header("trace"), seen[1].header("trace")),
        (Some("h"), Some("h2"))
    );
    let bodies: Vec<String> = seen[2..]
        .iter()
        .map(|s| String::from_utf8_lossy(&s.body).into_owned())
        .collect();
    assert_eq!(
        bodies,
        [
            "AccountSid=AC2&To=%2B1555",
            "AccountSid=AC4&To=%2B1",
            "To=%2B1"
        ]
    );
    // The table row carries the name calls use; the runtime only looks it up.
    let row = &same_names::table::PROXY_GET;
    let query = row.param("query_path").unwrap();
    assert_eq!(
        (query.name, query.location),
        ("path", falcon_runtime::operation::Location::Query)
    );
    assert_eq!(
        row.param("path").unwrap().location,
        falcon_runtime::operation::Location::Path
    );
    let refused = client
        .command(
            "ProxyGet",
            json!({"name": "n", "path": "p", "query.path": "/x"}),
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("query_path"), "{refused}");
}

#[tokio::test]
async fn inline_types_named_like_components_make_way() {
    use inline_names::models::{
        Classification, ClassificationOwnerInline2, ClassificationTemplate,
        ClassificationTemplateInline, ClassificationTemplateInlineKind, ClassificationTemplateKind,
    };
    let (url, seen) = support::server(vec![
        (
            200,
            r#"{"template": {"id": "t1", "kind": "inline_b"}, "owner": {"name": "ops"}}"#,
        ),
        (
            200,
            r#"[{"id": "t1", "kind": "component_a", "displayName": "T"}]"#,
        ),
    ])
    .await;
    let client = client_at!(inline_names, &url);
    let got: Classification = client
        .get_classification()
        .id("c1")
        .send()
        .await
        .unwrap()
        .body;
    // The component keeps `ClassificationTemplate`; the inline object is `…Inline`.
    let template: ClassificationTemplateInline = got.template.unwrap();
    assert_eq!(
        (template.id.as_deref(), template.kind),
        (Some("t1"), Some(ClassificationTemplateInlineKind::InlineB))
    );
    let owner: ClassificationOwnerInline2 = got.owner.unwrap();
    assert_eq!(owner.name.as_deref(), Some("ops"));
    let listed: Vec<ClassificationTemplate> = client.list_templates().send().await.unwrap().body;
    assert_eq!(listed[0].kind, Some(ClassificationTemplateKind::ComponentA));
    let seen = seen.lock().unwrap().clone();
    let lines: Vec<&str> = seen.iter().map(|s| s.line.as_str()).collect();
    assert_eq!(lines, ["GET /classifications/c1", "GET /templates"]);
}

/// The raw parts of a `multipart/form-data` body (headers and content, as sent), split at its
/// boundary.
fn multipart_parts(seen: &support::Seen) -> Vec<String> {
    let content_type = seen.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let body = String::from_utf8_lossy(&seen.body).into_owned();
    let (parts, end) = body
        .rsplit_once(&format!("--{boundary}--"))
        .expect("closing delimiter");
    assert_eq!(end, "\r\n");
    parts
        .split(&format!("--{boundary}\r\n"))
        .skip(1)
        .map(|p| p.strip_suffix("\r\n").unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn objects_in_the_query_go_in_their_style() {
    use falcon_runtime::operation::{DEEP_OBJECT, FORM_EXPLODED, FORM_JOINED, Scalar, indexed};
    use structured_params::models::{Filter, SearchCreated, SearchRange};
    let (url, seen) = support::server(vec![(200, "{}"), (200, "{}")]).await;
    let client = client_at!(structured_params, &url);
    client
        .search()
        .filter(Filter::new().status("open").limit(5))
        .range(SearchRange::new().gte(1).lte(9))
        .created(SearchCreated::new().gte(100))
        .metadata([("k".to_string(), "v".to_string())])
        .expand(["a", "b"])
        .rows(vec![Filter::new().status("x")])
        .send()
        .await
        .unwrap();
    client
        .command(
            "search",
            json!({
                "filter": {"status": "open", "limit": 5},
                "range": {"gte": 1, "lte": 9},
                "created": {"gte": 100},
                "metadata": {"k": "v"},
                "expand": ["a", "b"],
                "rows": [{"status": "x"}],
            }),
        )
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    // form exploded: each property a pair (`limit=5&status=open`); not exploded: one pair
    // `range=gte,1,lte,9`; deepObject: `created[gte]=100`, `expand[0]=a`; a list of objects in
    // form style: its JSON text.
    let line = "GET /search?limit=5&status=open&range=gte%2C1%2Clte%2C9&created%5Bgte%5D=100\
                &metadata%5Bk%5D=v&expand%5B0%5D=a&expand%5B1%5D=b\
                &rows=%5B%7B%22status%22%3A%22x%22%7D%5D";
    assert_eq!(seen[0].line, line);
    assert_eq!(
        seen[1].line, line,
        "command() sends what the typed setters send"
    );
    let op = &structured_params::table::SEARCH;
    let kind = |name: &str| op.param(name).unwrap().kind;
    assert_eq!(
        [kind("filter"), kind("range"), kind("created"), kind("rows")],
        [FORM_EXPLODED, FORM_JOINED, DEEP_OBJECT, FORM_EXPLODED]
    );
    assert_eq!(kind("expand"), indexed(Scalar::String));
}

#[tokio::test]
async fn nested_form_fields_go_as_stripe_reads_them() {
    use structured_params::models::{
        CreateCustomerAddress, CreateCustomerAddressGeo, CreateCustomerTaxIdsItem,
    };
    let (url, seen) = support::server(vec![(200, "{}"), (200, "{}"), (200, "{}")]).await;
    let client = client_at!(structured_params, &url);
    client
        .create_customer()
        .name("Jo")
        .address(
            CreateCustomerAddress::new()
                .city("Oslo")
                .geo(CreateCustomerAddressGeo::new().lat(59.9).lon(10.75)),
        )
        .tax_ids(vec![
            CreateCustomerTaxIdsItem::new().type_("eu_vat").value("NO1"),
        ])
        .shipping(json!({"phone": "+47"}))
        .expand(["customer"])
        .tags(["a", "b"])
        .send()
        .await
        .unwrap();
    client
        .command(
            "createCustomer",
            json!({
                "name": "Jo",
                "address": {"city": "Oslo", "geo": {"lat": 59.9, "lon": 10.75}},
                "tax_ids": [{"type": "eu_vat", "value": "NO1"}],
                "shipping": {"phone": "+47"},
                "expand": ["customer"],
                "tags": ["a", "b"],
            }),
        )
        .await
        .unwrap();
    // The other branch of the union: "" clears the field, as Stripe takes it.
    client
        .create_customer()
        .name("Jo")
        .shipping("")
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let bodies: Vec<String> = seen
        .iter()
        .map(|s| String::from_utf8_lossy(&s.body).into_owned())
        .collect();
    let full = "address%5Bcity%5D=Oslo&address%5Bgeo%5D%5Blat%5D=59.9\
                &address%5Bgeo%5D%5Blon%5D=10.75&expand%5B0%5D=customer&name=Jo\
                &shipping%5Bphone%5D=%2B47&tags=a&tags=b\
                &tax_ids%5B0%5D%5Btype%5D=eu_vat&tax_ids%5B0%5D%5Bvalue%5D=NO1";
    assert_eq!(bodies, [full, full, "name=Jo&shipping="]);
    assert_eq!(
        seen[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn objects_in_a_multipart_body_are_json_parts_or_deep_object_parts() {
    use falcon_runtime::FileUpload;
    use structured_params::models::{
        UploadFormAttributes, UploadFormAttributesParent, UploadFormLink,
    };
    let (url, seen) = support::server(vec![(200, "{}"), (200, "{}")]).await;
    let client = client_at!(structured_params, &url);
    client
        .upload_file()
        .file(FileUpload::new("a.txt", b"hi".to_vec()).content_type("text/plain"))
        .attributes(
            UploadFormAttributes::new("a.txt").parent(UploadFormAttributesParent::new().id("7")),
        )
        .link(UploadFormLink::new().create(true).expires_at(99))
        .send()
        .await
        .unwrap();
    client
        .command(
            "uploadFile",
            json!({
                "file": {"file_name": "a.txt", "content": "hi", "content_type": "text/plain"},
                "attributes": {"name": "a.txt", "parent": {"id": "7"}},
                "link": {"create": true, "expires_at": 99},
            }),
        )
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let expected = [
        "Content-Disposition: form-data; name=\"attributes\"\r\n\
         Content-Type: application/json\r\n\r\n\
         {\"name\":\"a.txt\",\"parent\":{\"id\":\"7\"}}",
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
         Content-Type: text/plain\r\n\r\nhi",
        "Content-Disposition: form-data; name=\"link[create]\"\r\n\r\ntrue",
        "Content-Disposition: form-data; name=\"link[expires_at]\"\r\n\r\n99",
    ];
    assert_eq!(multipart_parts(&seen[0]), expected);
    assert_eq!(multipart_parts(&seen[1]), expected, "command() alike");
}

#[tokio::test]
async fn a_spec_in_several_files_is_one_client() {
    use multi_file::models::{NewPet, Owner, Pet};
    let (url, seen) = support::server(vec![
        (
            200,
            r#"[{"id": "p1", "name": "Rex", "owner": {"name": "Ann", "manager": {"name": "Bo"}}}]"#,
        ),
        (201, r#"{"id": "p2", "name": "Tom"}"#),
        (200, r#"{"id": "p1", "name": "Rex"}"#),
    ])
    .await;
    let client = client_at!(multi_file, &url);
    // A path item, a parameter and schemas from other files.
    let pets: Vec<Pet> = client.list_pets().limit(2).send().await.unwrap().body;
    let owner: Owner = pets[0].owner.clone().unwrap();
    assert_eq!(owner.manager.unwrap().name.as_deref(), Some("Bo"));
    // A whole file's schema, named after the file.
    let created: Pet = client
        .create_pet()
        .body(NewPet::new("Tom").tag("cat"))
        .send()
        .await
        .unwrap()
        .body;
    assert_eq!(created.id.as_deref(), Some("p2"));
    // An operation from a file of its own.
    let pet: Pet = client.get_pet().id("p1").send().await.unwrap().body;
    assert_eq!(pet.name.as_deref(), Some("Rex"));
    let seen = seen.lock().unwrap().clone();
    let lines: Vec<&str> = seen.iter().map(|s| s.line.as_str()).collect();
    assert_eq!(lines, ["GET /pets?limit=2", "POST /pets", "GET /pets/p1"]);
    assert_eq!(seen[1].body, br#"{"name":"Tom","tag":"cat"}"#);
}
