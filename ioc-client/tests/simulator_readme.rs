//! The two examples of the simulator's README, run as a downstream crate's tests: each
//! `mod` holds one block (`the_readme_shows_these_tests` checks that they match), and
//! `cargo xtask package` runs the same blocks, taken from the packaged README, in a crate
//! outside the repository.

mod async_example {
    use std::time::Duration;

    use ioc_client::{Client, ErrorKind, RetryConfig};
    use ioc_simulator::{Config, Fault, FaultKind, Simulator};

    /// The code under test: the domains the tenant flags at high severity, sorted.
    async fn high_severity_domains(client: &Client) -> Result<Vec<String>, ioc_client::Error> {
        let reply = client
            .indicator_combined_v1()
            .filter("type:'domain'+severity:'high'")
            .sort("value.asc")
            .send()
            .await?;
        Ok(reply
            .body
            .resources
            .into_iter()
            .filter_map(|i| i.value)
            .collect())
    }

    /// A client of the simulator, with short waits between retries.
    fn client_of(sim: &Simulator) -> Client {
        Client::builder()
            .base_url(sim.base_url())
            .client_id(sim.client_id())
            .client_secret(sim.client_secret())
            .timeout(Duration::from_secs(2))
            .retry(RetryConfig {
                max_retries: 2,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(100),
                max_total_wait: Duration::from_secs(10),
            })
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn finds_the_high_severity_domains() {
        let sim = Simulator::start(Config::default()).await.unwrap();
        // Rows as a sync feed holds them: one JSON object per line.
        sim.seed_jsonl(
            r#"
    {"type":"domain","value":"b.example","action":"detect","severity":"high","platforms":["windows","mac"],"applied_globally":true,"tags":["feed"],"source":"my-feed"}
    {"type":"domain","value":"a.example","action":"detect","severity":"high","platforms":["linux"],"applied_globally":true}
    {"type":"domain","value":"c.example","action":"detect","severity":"low","platforms":["linux"],"applied_globally":true}
    "#,
        )
        .unwrap();
        let client = client_of(&sim);

        // A 429 on the next call: the client waits the second out and sends it again.
        sim.inject(Fault::next_calls(1, FaultKind::rate_limited(1)));
        let found = high_severity_domains(&client).await.unwrap();
        assert_eq!(found, ["a.example", "b.example"]);

        // What the service received: the operation, and the query the code built.
        let calls = sim.requests_to("indicator.combined.v1");
        assert_eq!(calls.len(), 2, "the rate-limited call and its retry");
        assert_eq!(
            calls[1].query_value("filter"),
            Some("type:'domain'+severity:'high'")
        );

        // A dropped connection and a slow reply (past the client's timeout) are retried.
        sim.inject(Fault::next_calls(1, FaultKind::DropConnection));
        assert_eq!(high_severity_domains(&client).await.unwrap().len(), 2);
        sim.inject(Fault::next_calls(
            1,
            FaultKind::Delay(Duration::from_secs(5)),
        ));
        assert_eq!(high_severity_domains(&client).await.unwrap().len(), 2);

        // One operation failing for good: the error reaches the caller.
        sim.inject(Fault::new("indicator.combined.v1", FaultKind::Status(503)));
        let err = high_severity_domains(&client).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(err.status(), Some(503));

        // A fresh simulator for the next case: no indicators, requests or faults.
        sim.reset();
        assert!(high_severity_domains(&client).await.unwrap().is_empty());
        assert_eq!(sim.requests().len(), 1, "the token is still valid");
    }
}

mod blocking_example {
    use ioc_simulator::{Config, Fault, FaultKind, SeedIndicator, Simulator};

    /// The code under test, blocking: the ids of the indicators tagged `tag`.
    fn tagged(
        client: &ioc_client::blocking::Client,
        tag: &str,
    ) -> Result<Vec<String>, ioc_client::Error> {
        let reply = client
            .indicator_search_v1()
            .filter(format!("tags:'{tag}'"))
            .send()?;
        Ok(reply.body.resources)
    }

    #[test]
    fn finds_the_tagged_indicators() {
        // The simulator runs on a thread of its own: no async runtime here.
        let sim = Simulator::start_blocking(Config::default()).unwrap();
        let seeded = sim
            .seed([
                SeedIndicator::new("sha256", "a".repeat(64)).tags(["ransomware"]),
                SeedIndicator::new("md5", "b".repeat(32)).tags(["ransomware", "2026"]),
                SeedIndicator::new("domain", "c.example").severity("low"),
            ])
            .unwrap();
        let client = ioc_client::blocking::Client::builder()
            .base_url(sim.base_url())
            .client_id(sim.client_id())
            .client_secret(sim.client_secret())
            .build()
            .unwrap();

        // A 500 on the next call: the client retries it.
        sim.inject(Fault::next_calls(1, FaultKind::Status(500)));
        let mut found = tagged(&client, "ransomware").unwrap();
        found.sort();
        let mut expected = seeded[..2].to_vec();
        expected.sort();
        assert_eq!(found, expected);
        assert_eq!(sim.requests_to("indicator_search_v1").len(), 2);
    }
}

/// The README's ```` ```rust,ignore ```` blocks, each found in this file (indentation aside).
#[test]
fn the_readme_shows_these_tests() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ioc-simulator/README.md");
    let readme = std::fs::read_to_string(path).expect("the simulator's README");
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let here = lines(include_str!("simulator_readme.rs")).join("\n");
    let blocks: Vec<&str> = readme
        .split("```rust,ignore\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or_default())
        .collect();
    assert_eq!(blocks.len(), 2, "an async and a blocking example");
    for block in blocks {
        let block = lines(block).join("\n");
        assert!(
            here.contains(&block),
            "a README example differs from this file: make them the same\n{block}"
        );
    }
}
