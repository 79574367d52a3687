use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    for _ in 0..1 {
        let t = Instant::now();
        let doc = codegen::load::read(&text).unwrap();
        let t1 = t.elapsed();
        let loaded = doc.load().unwrap();
        let t2 = t.elapsed();
        let (api, _) = codegen::lower::lower(&loaded.doc).unwrap();
        let t3 = t.elapsed();
        let opts = codegen::EmitOptions {
            tag_features: true,
            ..Default::default()
        };
        let files = codegen::emit::emit(&api, &opts).unwrap();
        let t4 = t.elapsed();
        drop(files);
        drop(api);
        drop(loaded);
        let t5 = t.elapsed();
        println!(
            "parse {:?} load {:?} lower {:?} emit {:?} drop {:?}",
            t1,
            t2 - t1,
            t3 - t2,
            t4 - t3,
            t5 - t4
        );
    }
}
