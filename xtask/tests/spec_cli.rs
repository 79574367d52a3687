//! The `cargo xtask spec` and `codegen` command lines: arguments, files written, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-spec-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn diff_exits_non_zero_on_breaking_changes_only_when_asked() {
    // A variant of spec/ioc.yaml without one operation: a breaking change.
    let subset = temp("subset.yaml");
    let out = xtask(&[
        "spec",
        "import",
        "spec/ioc.yaml",
        "--tag",
        "iocs",
        "--out",
        subset.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");

    let same = xtask(&[
        "spec",
        "diff",
        "spec/ioc.yaml",
        "spec/ioc.yaml",
        "--deny-breaking",
    ]);
    assert!(same.status.success(), "{same:?}");
    assert_eq!(
        String::from_utf8_lossy(&same.stdout),
        "0 changes, 0 breaking\n"
    );

    let shrunk = xtask(&["spec", "diff", "spec/ioc.yaml", subset.to_str().unwrap()]);
    assert!(shrunk.status.success());
    let report = String::from_utf8_lossy(&shrunk.stdout);
    assert!(report.contains("- removed operation `"), "{report}");
    assert!(report.contains("[BREAKING]"), "{report}");

    let denied = xtask(&[
        "spec",
        "diff",
        "spec/ioc.yaml",
        subset.to_str().unwrap(),
        "--deny-breaking",
    ]);
    assert!(!denied.status.success());
    assert!(String::from_utf8_lossy(&denied.stderr).contains("breaking changes (--deny-breaking)"));

    // Growing is not breaking.
    let grown = xtask(&[
        "spec",
        "diff",
        subset.to_str().unwrap(),
        "spec/ioc.yaml",
        "--deny-breaking",
    ]);
    assert!(grown.status.success(), "{grown:?}");
}

#[test]
fn codegen_runtime_flag_chooses_how_the_crate_reaches_the_runtime() {
    let runtime_line = |args: &[&str]| -> String {
        let dir = temp(&format!(
            "runtime-{}",
            args.join("-").replace([':', '/', '#'], "_")
        ));
        let mut all = vec![
            "codegen",
            "--spec",
            "spec/ioc.yaml",
            "--out",
            dir.to_str().unwrap(),
        ];
        all.extend_from_slice(args);
        let out = xtask(&all);
        assert!(out.status.success(), "{out:?}");
        let cargo = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
        assert!(lib.contains("pub use falcon_runtime::reqwest;"), "{lib}");
        cargo
            .lines()
            .find(|l| l.starts_with("falcon-runtime = "))
            .unwrap_or_else(|| panic!("{cargo}"))
            .to_string()
    };
    assert_eq!(
        runtime_line(&["--runtime", "version:0.1"]),
        "falcon-runtime = \"0.1\""
    );
    assert_eq!(
        runtime_line(&["--runtime", "git:https://git.example/falcon-ioc-rs#v0.1.0"]),
        "falcon-runtime = { git = \"https://git.example/falcon-ioc-rs\", rev = \"v0.1.0\" }"
    );
    assert_eq!(
        runtime_line(&["--runtime", "git:https://git.example/falcon-ioc-rs"]),
        "falcon-runtime = { git = \"https://git.example/falcon-ioc-rs\" }"
    );
    assert_eq!(
        runtime_line(&["--runtime", "path:../falcon-runtime"]),
        "falcon-runtime = { path = \"../falcon-runtime\" }"
    );
    assert!(runtime_line(&["--runtime", "path"]).starts_with("falcon-runtime = { path = \"../"));
    for bad in ["version:", "git:", "crates", "git:https://x#"] {
        let dir = temp("runtime-bad");
        let out = xtask(&[
            "codegen",
            "--spec",
            "spec/ioc.yaml",
            "--out",
            dir.to_str().unwrap(),
            "--runtime",
            bad,
        ]);
        assert!(!out.status.success(), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--runtime takes `path`"),
            "{bad}: {out:?}"
        );
    }
    // A module folder inside a crate has no Cargo.toml of its own to say it in.
    let out = xtask(&[
        "codegen",
        "--spec",
        "spec/ioc.yaml",
        "--out",
        "ioc-client/src/other",
        "--runtime",
        "version:0.1",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--runtime is for a whole crate"));
}

#[test]
fn codegen_writes_a_whole_crate_outside_any_crate_sources() {
    let dir = temp("crate-out");
    let patches = temp("patches.yaml");
    std::fs::write(
        &patches,
        "patches:\n  - {op: nullable, at: '#/components/schemas/msa.ReplyMetaOnly/properties/errors', reason: the service sends null}\n",
    )
    .unwrap();
    let out = xtask(&[
        "codegen",
        "--spec",
        "spec/ioc.yaml",
        "--out",
        dir.to_str().unwrap(),
        "--patches",
        patches.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let cargo = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("name = \"crate-out\""), "{cargo}");
    // The runtime is reached by a relative path, the same on every machine for this layout.
    let path = cargo
        .split("falcon-runtime = { path = \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a path dependency on the runtime");
    assert!(path.starts_with(".."), "{cargo}");
    let runtime = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../falcon-runtime");
    assert_eq!(
        dir.join(path).canonicalize().unwrap(),
        runtime.canonicalize().unwrap()
    );
    assert!(dir.join("src/lib.rs").is_file());
    assert!(dir.join("src/generated/models.rs").is_file());
    // Regenerating is a no-op, and --check agrees.
    let check = xtask(&[
        "codegen",
        "--check",
        "--spec",
        "spec/ioc.yaml",
        "--out",
        dir.to_str().unwrap(),
        "--patches",
        patches.to_str().unwrap(),
    ]);
    assert!(check.status.success(), "{check:?}");
    // A hand-written file is never replaced.
    std::fs::write(dir.join("src/lib.rs"), "// mine\n").unwrap();
    let refused = xtask(&[
        "codegen",
        "--spec",
        "spec/ioc.yaml",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("not written by cargo xtask codegen")
    );
}

#[test]
fn bad_arguments_are_refused_with_the_usage() {
    let out = xtask(&["spec", "diff", "spec/ioc.yaml"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage:"));
    let out = xtask(&["spec", "import", "spec/ioc.yaml", "--out", "/dev/null"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing selected"));
}
