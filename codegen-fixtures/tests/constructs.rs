//! What the generated code of each construct does at run time, not only that it compiles.

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
    // A field named like the constructor has no setter; it is set directly.
    let flagged = Order {
        new: Some(true),
        ..Order::default()
    };
    assert_eq!(
        serde_json::to_value(&flagged).unwrap(),
        json!({"new": true})
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
