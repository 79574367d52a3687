use super::*;

fn rows(text: &str, format: Format) -> Vec<Result<FeedRow, FeedError>> {
    read(text.as_bytes(), format).collect()
}

#[test]
fn csv_reads_fields_in_any_order_and_numbers_rows() {
    let got = rows(
        "value,type,tags,applied_globally\nevil.example.com,domain,a;b,true\n,,,maybe\n",
        Format::Csv,
    );
    let first = got[0].as_ref().unwrap();
    assert_eq!(first.number, 1);
    let row = first.row.as_ref().unwrap();
    assert_eq!(row.kind, "domain");
    assert_eq!(row.tags, Some(vec!["a".to_string(), "b".to_string()]));
    assert_eq!(row.applied_globally, Some(true));
    assert!(
        got[1]
            .as_ref()
            .unwrap()
            .row
            .as_ref()
            .unwrap_err()
            .contains("true or false")
    );
}

#[test]
fn csv_header_must_name_type_and_value_and_nothing_unknown() {
    assert!(rows("kind,value\n", Format::Csv)[0].is_err());
    let e = rows("type,value,severty\n", Format::Csv)
        .remove(0)
        .unwrap_err();
    assert!(e.0.contains("severty"), "{e}");
}

#[test]
fn stix_maps_supported_patterns_and_skips_others() {
    let bundle = r#"{"type":"bundle","objects":[
      {"type":"identity","name":"x"},
      {"type":"indicator","pattern":"[domain-name:value = 'evil.example.com']","name":"bad","labels":["c2"],"valid_until":"2030-01-01T00:00:00Z"},
      {"type":"indicator","pattern":"[file:hashes.'SHA-256' = 'AB']"},
      {"type":"indicator","pattern":"[url:value = 'http://x']"}
    ]}"#;
    let got = rows(bundle, Format::Stix);
    assert_eq!(got.len(), 3);
    let first = got[0].as_ref().unwrap();
    assert_eq!(first.number, 2);
    let row = first.row.as_ref().unwrap();
    assert_eq!(
        (row.kind.as_str(), row.value.as_str()),
        ("domain", "evil.example.com")
    );
    assert_eq!(row.description.as_deref(), Some("bad"));
    assert_eq!(row.expiration.as_deref(), Some("2030-01-01T00:00:00Z"));
    assert_eq!(
        got[1].as_ref().unwrap().row.as_ref().unwrap().kind,
        "sha256"
    );
    assert!(
        got[2]
            .as_ref()
            .unwrap()
            .row
            .as_ref()
            .unwrap_err()
            .contains("url:value")
    );
}

#[test]
fn written_rows_read_back_the_same() {
    let row = Row {
        kind: "domain".into(),
        value: "evil.example.com".into(),
        action: Some("detect".into()),
        platforms: Some(vec!["mac".into(), "windows".into()]),
        description: Some("a, \"quoted\" text".into()),
        applied_globally: Some(true),
        ..Row::default()
    };
    for format in [Format::Csv, Format::Jsonl] {
        let mut out = Vec::new();
        write([row.clone()], format, &mut out).unwrap();
        let back = rows(std::str::from_utf8(&out).unwrap(), format);
        assert_eq!(
            back[0].as_ref().unwrap().row.as_ref().unwrap(),
            &row,
            "{format:?}"
        );
    }
}
