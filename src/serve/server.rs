//! Accepting connections: hyper's HTTP/1.1 (keep-alive, 400/414/431, a deadline for each
//! request head) under a cap on open connections. Past the cap a new connection gets a `503`
//! at once instead of waiting; an accept error (out of file descriptors) pauses accepting
//! briefly instead of ending the server.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt as _;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio_util::task::TaskTracker;

/// How much a client may take of the server.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Open connections at once (each idle one costs a task and a small buffer).
    pub max_connections: usize,
    /// From the moment a connection waits for a request to the end of its head (slow clients,
    /// idle keep-alive connections).
    pub header_timeout: Duration,
    /// The largest request head: a longer URI is 414, more or larger headers 431.
    pub max_head: usize,
}

impl Limits {
    /// The limits for a process allowed `open_files` file descriptors.
    pub(crate) fn for_open_files(open_files: u64) -> Self {
        let spare = usize::try_from(open_files.saturating_sub(128)).unwrap_or(usize::MAX);
        Self {
            max_connections: spare.clamp(16, 8_192),
            header_timeout: Duration::from_secs(10),
            max_head: 128 * 1024,
        }
    }
}

/// Serves `router` on `listener` until `stop` turns true; then lets open connections finish
/// (up to `grace`) and returns.
pub(crate) async fn run(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
    grace: Duration,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let service = TowerToHyperService::new(router);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_head.max(8192))
        .keep_alive(true);
    let tasks = TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.changed() => break,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors or a connection reset before accept: try again soon.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            tasks.spawn(shed(stream));
            continue;
        };
        let connection = http
            .serve_connection(TokioIo::new(stream), service.clone())
            .with_upgrades();
        let mut stop = stop.clone();
        tasks.spawn(async move {
            let _permit = permit;
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    tasks.close();
    let _ = tokio::time::timeout(grace, tasks.wait()).await;
}

/// Tells a client over the connection cap to come back later, and closes.
async fn shed(mut stream: TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 43\r\nRetry-After: 1\r\nConnection: close\r\n\r\ntebiki serve has too many open connections\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(BUSY)).await;
    let _ = stream.shutdown().await;
}
