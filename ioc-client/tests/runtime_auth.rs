//! The OAuth2 lifecycle, clouds, headers, `Debug` redaction and tracing, over real HTTP against
//! the simulator on 127.0.0.1.

mod support;

use std::time::Duration;

use ioc_client::{Client, Cloud, ErrorKind, RetryConfig};
use ioc_simulator::{Config, Fault, FaultKind};
use support::*;

#[tokio::test]
async fn a_token_is_reused_then_renewed_before_it_expires() {
    // Tokens live 2 s; renewing 1 s early makes one stale after 1 s.
    let sim = sim_with(Config {
        token_ttl: Duration::from_secs(2),
        ..Config::default()
    })
    .await;
    let client: Client = builder(&sim)
        .renew_window(Duration::from_secs(1))
        .build()
        .unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(sim.token_requests(), 2, "the stale token was renewed");
    // Renewed before use: no call was refused and retried.
    assert_eq!(api_requests(&sim).len(), 2);

    // With the default window (120 s) a 1799 s token serves many calls, and so does a 60 s
    // token (shorter than the window: it is renewed halfway through its life instead).
    for ttl in [1799, 60] {
        let sim = sim_with(Config {
            token_ttl: Duration::from_secs(ttl),
            ..Config::default()
        })
        .await;
        let client = support::client(&sim);
        for _ in 0..5 {
            client.ioc_type_query_v1().send().await.unwrap();
        }
        assert_eq!(sim.token_requests(), 1, "token lifetime {ttl} s");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_login_for_100_concurrent_calls() {
    let sim = sim().await;
    let client = client(&sim);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.ioc_type_query_v1().send().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(sim.token_requests(), 1);
    assert_eq!(client.runtime().login_count(), 1);
    assert_eq!(api_requests(&sim).len(), 100);
}

#[tokio::test]
async fn a_401_logs_in_again_once_and_retries() {
    let sim = sim().await;
    let client = client(&sim);
    client.ioc_type_query_v1().send().await.unwrap();
    sim.inject(Fault::times("ioc.type.query.v1", FaultKind::Status401, 1));
    client.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(sim.token_requests(), 2);
    let ops: Vec<_> = sim.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        ops[2..],
        [
            "/iocs/queries/ioc-types/v1",
            "/oauth2/token",
            "/iocs/queries/ioc-types/v1"
        ]
    );

    // A 401 that persists: one re-login, one retry, then the 401 comes back.
    sim.clear_requests();
    sim.inject(Fault::new("ioc.type.query.v1", FaultKind::Status401));
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.status(), Some(401));
    assert_eq!(sim.token_requests(), 3);
    assert_eq!(api_requests(&sim).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_login_is_an_auth_error_and_sends_no_api_call() {
    let sim = sim().await;
    let client: Client = builder(&sim)
        .client_secret("WRONG-SECRET-7731")
        .build()
        .unwrap();
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert_eq!(err.status(), Some(403));
    assert!(!err.is_retryable());
    assert!(api_requests(&sim).is_empty(), "no API call without a token");
    // The service's reason, then what to do about it.
    let message = err.to_string();
    assert!(message.contains("invalid client credentials"), "{message}");
    assert!(
        message.contains("check the client ID and secret"),
        "{message}"
    );

    // Concurrent callers waiting on a failing login share its error.
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.ioc_type_query_v1().send().await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap_err().kind(), ErrorKind::Auth);
    }
    assert!(api_requests(&sim).is_empty());
    eprintln!(
        "token requests for 1 + 20 calls with a bad secret: {}",
        sim.token_requests()
    );

    // A token the service refuses to issue because the token endpoint fails.
    let sim = support::sim().await;
    sim.inject(Fault::new("token", FaultKind::Status(500)));
    let client = client_of(&sim);
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Auth);
    assert!(api_requests(&sim).is_empty());
    assert!(err.to_string().contains("try again later"), "{err}");
}

fn client_of(sim: &ioc_simulator::Simulator) -> Client {
    support::client(sim)
}

#[tokio::test]
async fn logout_revokes_with_basic_auth_and_the_next_call_logs_in_again() {
    let sim = sim().await;
    let client = client(&sim);
    client.ioc_type_query_v1().send().await.unwrap();
    client.runtime().logout().await.unwrap();
    let revoke = sim
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth2/revoke")
        .expect("a revoke request");
    assert!(
        header(&revoke, "authorization")
            .unwrap()
            .starts_with("basic ")
    );
    let form = String::from_utf8_lossy(&revoke.raw_body).into_owned();
    assert!(form.contains("token="), "{form}");
    client.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(sim.token_requests(), 2);
    // Logging out without a token does nothing.
    client.runtime().logout().await.unwrap();
    client.runtime().logout().await.unwrap();
    assert_eq!(
        sim.requests()
            .iter()
            .filter(|r| r.path == "/oauth2/revoke")
            .count(),
        2
    );
}

#[tokio::test]
async fn auto_cloud_follows_x_cs_region_but_a_given_url_is_never_rewritten() {
    let sim = sim_with(Config {
        region: Some("eu-1".into()),
        ..Config::default()
    })
    .await;
    // A cloud target (reached at the simulator first) moves to the region's URL after login.
    // Nothing is sent there: the test only logs in.
    let auto: Client = builder(&sim)
        .cloud_via(Cloud::Auto, sim.base_url())
        .build()
        .unwrap();
    auto.runtime().login().await.unwrap();
    assert_eq!(
        auto.runtime().base_url(),
        "https://api.eu-1.crowdstrike.com"
    );

    // A URL the caller gave stays, and calls keep going there.
    let fixed = client(&sim);
    fixed.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(fixed.runtime().base_url(), sim.base_url());
    fixed.ioc_type_query_v1().send().await.unwrap();
    assert_eq!(api_requests(&sim).len(), 2);

    // An unknown region leaves even a cloud target where it is.
    let sim = sim_with(Config {
        region: Some("mars-9".into()),
        ..Config::default()
    })
    .await;
    let auto: Client = builder(&sim)
        .cloud_via(Cloud::Auto, sim.base_url())
        .build()
        .unwrap();
    auto.runtime().login().await.unwrap();
    assert_eq!(auto.runtime().base_url(), sim.base_url());
}

#[test]
fn cloud_names_are_case_insensitive_with_or_without_dashes() {
    for (name, url) in [
        ("us-1", "https://api.crowdstrike.com"),
        ("US2", "https://api.us-2.crowdstrike.com"),
        ("us-3", "https://api.us-3.crowdstrike.com"),
        ("Eu-1", "https://api.eu-1.crowdstrike.com"),
        ("usgov1", "https://api.laggar.gcw.crowdstrike.com"),
        ("US-GOV-2", "https://api.us-gov-2.crowdstrike.mil"),
        ("auto", "https://api.crowdstrike.com"),
        ("http://127.0.0.1:9/", "http://127.0.0.1:9"),
        ("proxy.example.test", "https://proxy.example.test"),
    ] {
        let client = Client::builder()
            .base_url(name)
            .client_id("id")
            .client_secret("secret")
            .build()
            .unwrap();
        assert_eq!(client.runtime().base_url(), url, "{name}");
    }
}

#[tokio::test]
async fn user_agent_and_sdk_headers_go_on_every_request() {
    let sim = sim().await;
    let client: Client = builder(&sim).user_agent("my-tool/1.2").build().unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
    let requests = sim.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        let ua = header(r, "user-agent").unwrap();
        assert!(
            ua.starts_with("falcon-ioc-rs/") && ua.ends_with(" my-tool/1.2"),
            "{ua}"
        );
        assert!(
            header(r, "crowdstrike-sdk")
                .unwrap()
                .starts_with("falcon-ioc-rs/")
        );
    }
}

#[tokio::test]
async fn debug_never_shows_a_secret_or_a_token() {
    const SECRET: &str = "TOPSECRET-4242-abcdef";
    let sim = sim_with(Config {
        client_secret: SECRET.into(),
        ..Config::default()
    })
    .await;
    let builder = builder::<Client>(&sim)
        .member_cid("child-cid")
        .proxy("http://proxyuser:PROXYPASS-99@127.0.0.1:9");
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains(SECRET) && !shown.contains("PROXYPASS-99"),
        "{shown}"
    );

    let client: Client = support::builder(&sim).build().unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
    let token = header(&api_requests(&sim)[0], "authorization")
        .unwrap()
        .trim_start_matches("Bearer ")
        .to_string();
    assert!(token.len() > 8);
    for shown in [format!("{client:?}"), format!("{:#?}", client.runtime())] {
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains(&token), "{shown}");
    }

    let with_token: Client = Client::builder()
        .base_url(sim.base_url())
        .access_token(token.clone())
        .build()
        .unwrap();
    assert!(!format!("{with_token:?}").contains(&token));

    // Errors: a refused login, a refused call.
    let bad: Client = support::builder(&sim)
        .client_secret("OTHER-SECRET-777")
        .build()
        .unwrap();
    let err = bad.ioc_type_query_v1().send().await.unwrap_err();
    for shown in [format!("{err:?}"), err.to_string()] {
        assert!(!shown.contains("OTHER-SECRET-777"), "{shown}");
    }
    sim.inject(Fault::times("ioc.type.query.v1", FaultKind::Status401, 2));
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    for shown in [format!("{err:?}"), err.to_string()] {
        assert!(
            !shown.contains(SECRET) && !shown.contains(&token),
            "{shown}"
        );
    }
}

mod capture {
    //! A minimal `tracing` subscriber that writes every span and event, with its fields, to
    //! a shared list of lines.

    use std::fmt::Debug;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub struct Capture {
        pub lines: Arc<Mutex<Vec<String>>>,
        next: Arc<AtomicU64>,
    }

    struct Fields(String);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
            self.0.push_str(&format!(" {}={:?}", field.name(), value));
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
            let mut f = Fields(format!("span#{id} {}", span.metadata().name()));
            span.record(&mut f);
            self.lines.lock().unwrap().push(f.0);
            Id::from_u64(id)
        }
        fn record(&self, span: &Id, values: &Record<'_>) {
            let mut f = Fields(format!("record#{}", span.into_u64()));
            values.record(&mut f);
            self.lines.lock().unwrap().push(f.0);
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut f = Fields("event".into());
            event.record(&mut f);
            self.lines.lock().unwrap().push(f.0);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn each_call_has_a_span_with_its_fields_and_no_secret() {
    const SECRET: &str = "TRACE-SECRET-5150";
    let sim = sim_with(Config {
        client_secret: SECRET.into(),
        ..Config::default()
    })
    .await;
    let client = client(&sim);
    let capture = capture::Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    client
        .indicator_search_v1()
        .filter("type:'sha256'")
        .send()
        .await
        .unwrap();
    drop(_guard);
    let lines = capture.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    let span = lines
        .iter()
        .find(|l| l.contains("falcon.call"))
        .unwrap_or_else(|| panic!("no call span:\n{all}"));
    for field in [
        "operation=indicator.search.v1",
        "method=\"GET\"",
        "path=/iocs/queries/indicators/v1",
    ] {
        assert!(span.contains(field), "{field} missing: {span}");
    }
    let id = span
        .split_whitespace()
        .next()
        .unwrap()
        .trim_start_matches("span");
    let recorded: String = lines
        .iter()
        .filter(|l| l.starts_with(&format!("record{id} ")))
        .cloned()
        .collect();
    for field in ["attempt=1", "status=200", "latency_ms="] {
        assert!(recorded.contains(field), "{field} missing:\n{all}");
    }
    let token = header(&api_requests(&sim)[0], "authorization")
        .unwrap()
        .trim_start_matches("Bearer ")
        .to_string();
    assert!(!all.contains(SECRET) && !all.contains(&token), "{all}");
}

#[tokio::test]
async fn a_loopback_base_url_without_a_scheme_is_refused_at_build_saying_so() {
    let sim = sim().await;
    let bare = sim.base_url().trim_start_matches("http://").to_string();
    let err = ioc_client::Client::builder()
        .base_url(&bare)
        .client_id("sim-client-id")
        .client_secret("sim-client-secret")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    let message = err.to_string();
    assert!(message.contains("has no scheme"), "{message}");
    assert!(message.contains(&format!("http://{bare}")), "{message}");
    // Written as the error says, it reaches the simulator.
    let client: Client = builder(&sim)
        .base_url(format!("http://{bare}"))
        .build()
        .unwrap();
    client.ioc_type_query_v1().send().await.unwrap();
}

#[tokio::test]
async fn a_login_that_gets_no_reply_is_a_transport_error_naming_the_attempts() {
    // A port nobody listens on: the connection is refused.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client: Client = ioc_client::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .client_id("id")
        .client_secret("SECRET-4411")
        .retry(RetryConfig {
            max_retries: 2,
            ..support::fast_retry()
        })
        .build()
        .unwrap();
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(err.is_retryable());
    let message = err.to_string();
    assert!(message.contains("logging in got no reply"), "{message}");
    assert!(message.contains("after 3 attempts over"), "{message}");
    assert!(!message.contains("SECRET-4411"), "{message}");
    // `login()` says the same.
    assert_eq!(
        client.runtime().login().await.unwrap_err().kind(),
        ErrorKind::Transport
    );
}
