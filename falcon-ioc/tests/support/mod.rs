//! Running the real `falcon-ioc` binary against the IOC simulator, started in-process on a
//! runtime of its own so the test thread is free to wait for the child.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

use ioc_simulator::{Config, RecordedRequest, Simulator};
use serde_json::Value;

/// A simulator and the runtime serving it. (Fields drop in order: the server stops first.)
pub struct Sim {
    pub sim: Simulator,
    _runtime: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start() -> Sim {
        Sim::with(Config::default())
    }

    pub fn with(config: Config) -> Sim {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let sim = runtime
            .block_on(Simulator::start(config))
            .expect("simulator starts");
        Sim {
            sim,
            _runtime: runtime,
        }
    }

    /// The binary, configured for this simulator through the environment as a user would.
    pub fn cli(&self) -> Cli {
        Cli::bare()
            .env("FALCON_CLIENT_ID", &self.sim.config().client_id)
            .env("FALCON_CLIENT_SECRET", &self.sim.config().client_secret)
            .env("FALCON_CLOUD", &self.sim.base_url())
    }

    /// API requests received (OAuth left out), in order.
    pub fn api_requests(&self) -> Vec<RecordedRequest> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| !r.path.starts_with("/oauth2/"))
            .collect()
    }

    /// Operation ids of the API requests received, in order.
    pub fn operations(&self) -> Vec<String> {
        self.api_requests()
            .into_iter()
            .filter_map(|r| r.operation_id)
            .collect()
    }
}

/// One invocation of the binary being put together.
pub struct Cli {
    command: Command,
    stdin: Option<Vec<u8>>,
}

/// What a run gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout as one JSON document.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }

    /// Stdout as JSON lines.
    pub fn lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// `resources` of the reply.
    pub fn resources(&self) -> Vec<Value> {
        self.json()["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Asserts success and returns the run.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "{self:?}");
        self
    }
}

impl Cli {
    /// The binary with no Falcon configuration and no proxy from the test's environment.
    pub fn bare() -> Cli {
        let mut command = Command::new(env!("CARGO_BIN_EXE_falcon-ioc"));
        for var in [
            "FALCON_CLIENT_ID",
            "FALCON_CLIENT_SECRET",
            "FALCON_CLOUD",
            "FALCON_MEMBER_CID",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            command.env_remove(var);
        }
        Cli {
            command,
            stdin: None,
        }
    }

    pub fn env(mut self, name: &str, value: &str) -> Cli {
        self.command.env(name, value);
        self
    }

    pub fn env_remove(mut self, name: &str) -> Cli {
        self.command.env_remove(name);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Cli {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs with these arguments and waits.
    pub fn run<S: AsRef<str>>(mut self, args: &[S]) -> Run {
        let mut child = self
            .command
            .args(args.iter().map(AsRef::as_ref))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut stdin = child.stdin.take().expect("stdin");
        if let Some(bytes) = self.stdin.take() {
            stdin.write_all(&bytes).expect("stdin written");
        }
        drop(stdin);
        let out = child.wait_with_output().expect("the binary ends");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}
