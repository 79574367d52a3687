//! Offset and `after` pagination over 1,200 indicators, and the service's paging limits.

use crate::common::H;
use std::collections::HashSet;

const SEARCH: &str = "/iocs/queries/indicators/v1";

async fn seeded() -> (H, Vec<String>) {
    let h = H::new().await;
    let ids = h.sim.seed_indicators(1200);
    assert_eq!(ids.len(), 1200);
    (h, ids)
}

fn ids_of(r: &crate::common::R) -> Vec<String> {
    r.resources()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn offset_pages_cover_everything_once() {
    let (h, all) = seeded().await;
    let mut seen = Vec::new();
    for offset in ["0", "500", "1000"] {
        let r = h.get(SEARCH, &[("offset", offset), ("limit", "500")]).await;
        assert_eq!(r.status, 200);
        let p = &r.body["meta"]["pagination"];
        assert_eq!(p["total"], 1200);
        assert_eq!(p["limit"], 500);
        assert_eq!(p["offset"].to_string(), offset);
        seen.extend(ids_of(&r));
    }
    assert_eq!(seen, all); // default order is creation order
    // default limit is 100
    let r = h.get(SEARCH, &[]).await;
    assert_eq!(r.resources().len(), 100);
}

#[tokio::test]
async fn after_tokens_walk_all_pages() {
    let (h, all) = seeded().await;
    let filter = "tags:'seed'";
    let sort = "created_on.desc";
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut q = vec![("limit", "500"), ("filter", filter), ("sort", sort)];
        if let Some(a) = after.as_deref() {
            q.push(("after", a));
        }
        let r = h.get(SEARCH, &q).await;
        assert_eq!(r.status, 200, "{}", r.body);
        seen.extend(ids_of(&r));
        pages += 1;
        match r.body["meta"]["pagination"]["after"].as_str() {
            Some(a) if !a.is_empty() => after = Some(a.to_string()),
            _ => break,
        }
    }
    assert_eq!(pages, 3);
    let expected: Vec<String> = all.iter().rev().cloned().collect();
    assert_eq!(seen, expected);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 1200);
}

#[tokio::test]
async fn combined_pages_carry_records() {
    let (h, _) = seeded().await;
    let r = h
        .get(
            "/iocs/combined/indicator/v1",
            &[("limit", "3"), ("offset", "1197")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.resources().len(), 3);
    assert!(r.resources()[0]["value"].is_string());
    assert!(r.body["meta"]["pagination"].get("after").is_none());
}

#[tokio::test]
async fn paging_limits() {
    let (h, _) = seeded().await;
    for limit in ["0", "501", "-1"] {
        let r = h.get(SEARCH, &[("limit", limit)]).await;
        assert_eq!(r.status, 400, "limit {limit}");
        assert!(r.first_error().contains("limit"));
    }
    let r = h.get(SEARCH, &[("offset", "9600"), ("limit", "500")]).await;
    assert_eq!(r.status, 400);
    assert!(r.first_error().contains("after"), "{}", r.body);
    let r = h.get(SEARCH, &[("offset", "9500"), ("limit", "500")]).await;
    assert_eq!(r.status, 200);
    assert!(r.resources().is_empty());

    let first = h.get(SEARCH, &[("limit", "10")]).await;
    let token = first.body["meta"]["pagination"]["after"]
        .as_str()
        .unwrap()
        .to_string();
    let r = h
        .get(
            SEARCH,
            &[("limit", "10"), ("offset", "10"), ("after", &token)],
        )
        .await;
    assert_eq!(r.status, 400);
    let r = h
        .get(SEARCH, &[("limit", "10"), ("after", "garbage")])
        .await;
    assert_eq!(r.status, 400);
    let r = h
        .get(
            SEARCH,
            &[("limit", "10"), ("after", &token), ("filter", "type:'md5'")],
        )
        .await;
    assert_eq!(r.status, 400);
    let r = h.get(SEARCH, &[("limit", "10"), ("after", &token)]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["meta"]["pagination"]["offset"], 10);
}
