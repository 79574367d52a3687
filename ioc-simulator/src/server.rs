//! The accept loop: one hyper HTTP/1.1 connection task per client, over plain TCP or TLS,
//! each serving the axum router behind a compression layer. A response marked
//! [`DropConnection`] makes the service fail, which makes hyper close the socket without
//! writing anything: the client sees a connection error.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::Response;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tower::ServiceExt;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;

use crate::config::TlsIdentity;
use crate::envelope::DropConnection;
use crate::routes;
use crate::state::Shared;

/// A TLS acceptor presenting `identity`, speaking HTTP/1.1. Bad PEM is an `InvalidInput` error.
pub fn tls_acceptor(identity: &TlsIdentity) -> std::io::Result<TlsAcceptor> {
    let invalid = |what: &str, e: &dyn std::fmt::Display| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{what}: {e}"))
    };
    let chain = CertificateDer::pem_slice_iter(identity.cert_chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid("bad certificate PEM", &e))?;
    if chain.is_empty() {
        return Err(invalid("no certificate in the PEM", &"expected one"));
    }
    let key = PrivateKeyDer::from_pem_slice(identity.key_pem.as_bytes())
        .map_err(|e| invalid("bad private key PEM", &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid("TLS versions", &e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| invalid("certificate and key", &e))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// The error a connection's service returns to abort it.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

/// Serves until `shutdown` fires (or its sender is dropped); then aborts open connections.
/// With `tls`, each connection is a TLS one; a failed handshake just closes it.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    tls: Option<TlsAcceptor>,
    mut shutdown: oneshot::Receiver<()>,
) {
    // gzip or deflate when the request's Accept-Encoding asks for it, for bodies of 32 bytes
    // and more (tower-http's default), as the service's front end does. At the fastest level:
    // the level is the sender's choice (the client decodes any), and on loopback the default
    // level's deflate was a fifth of the simulator's CPU time in a 100,000-indicator sync.
    let router = Router::new()
        .fallback(routes::dispatch)
        .with_state(shared)
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .deflate(true)
                .quality(CompressionLevel::Fastest),
        );
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let router = router.clone();
                let tls = tls.clone();
                conns.spawn(async move {
                    match tls {
                        None => serve_connection(stream, router).await,
                        Some(tls) => {
                            if let Ok(stream) = tls.accept(stream).await {
                                serve_connection(stream, router).await;
                            }
                        }
                    }
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    conns.abort_all();
}

/// Serves one connection until the client closes it (or a fault drops it).
async fn serve_connection<S>(stream: S, router: Router)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let svc = hyper::service::service_fn(move |req: Request<Incoming>| {
        let router = router.clone();
        async move {
            let resp: Response<Body> = router
                .oneshot(req.map(Body::new))
                .await
                .unwrap_or_else(|never| match never {});
            if resp.extensions().get::<DropConnection>().is_some() {
                Err(Dropped)
            } else {
                Ok(resp)
            }
        }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .title_case_headers(true)
        .serve_connection(TokioIo::new(stream), svc)
        .await;
}
