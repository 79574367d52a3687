//! What `spec/overlay.yaml` changes in upstream's structure, undone: the value sets and
//! `required` lists its `fixes` set on purpose. Tests that compare `spec/ioc.yaml` with upstream,
//! or run the overlay on it again, start from this.

// Each test file uses part of this.
#![allow(dead_code)]

use serde_json::Value;

/// `spec` as it was before the overlay's `fixes`: each fix's target back to what it expects
/// (gone, where it expects nothing), so the fixes apply to it again. `overlay` is
/// `spec/overlay.yaml`, read.
pub fn undo_fixes(spec: &mut Value, overlay: &Value) {
    for fix in overlay["fixes"].as_array().into_iter().flatten() {
        let at = fix["at"].as_str().unwrap().trim_start_matches('#');
        let (parent, key) = at.rsplit_once('/').unwrap();
        let key = key.replace("~1", "/").replace("~0", "~");
        let parent = spec
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap();
        match &fix["expect"] {
            Value::Null => parent.remove(&key),
            expected => parent.insert(key, expected.clone()),
        };
    }
}

/// `spec/ioc.yaml` with its fixes undone ([`undo_fixes`]), as JSON text.
pub fn ioc_spec_unfixed(root: &std::path::Path) -> String {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let mut spec: Value = serde_yaml_ng::from_str(&read("spec/ioc.yaml")).unwrap();
    let overlay: Value = serde_yaml_ng::from_str(&read("spec/overlay.yaml")).unwrap();
    undo_fixes(&mut spec, &overlay);
    serde_json::to_string(&spec).unwrap()
}
