//! The one HTTP path every platform client goes through: timeouts, retries on 429/5xx with
//! `Retry-After`, proxies from the environment, and errors that never carry the token.

use std::thread;
use std::time::Duration;

use crate::CommentError;

/// How long one request (connect, send, receive) may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Attempts per call, the first included.
const MAX_ATTEMPTS: u32 = 4;
/// A server asking for a longer pause than this is not waited for: the run would look hung.
const MAX_SINGLE_WAIT: Duration = Duration::from_secs(60);
/// Error bodies are cut to this many characters: enough to see the server's reason.
const BODY_SUMMARY_CHARS: usize = 200;

/// An HTTP method the clients use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A successful (2xx) response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The `Link` header (GitHub pagination), when present.
    pub link: Option<String>,
    /// The `x-ms-continuationtoken` header (Azure DevOps pagination), when present.
    pub continuation: Option<String>,
    /// The `X-Next-Page` header (GitLab pagination), when present.
    pub next_page: Option<String>,
    pub body: String,
}

/// The shared HTTP agent.
pub struct Http {
    agent: ureq::Agent,
    retry_base: Duration,
}

impl Http {
    /// `retry_base` is the first backoff pause (doubled on each retry) when the server sends no
    /// `Retry-After`; tests pass a few milliseconds. Proxies come from `HTTPS_PROXY`/`NO_PROXY`.
    pub fn new(retry_base: Duration) -> Self {
        Self::build(retry_base, ureq::Proxy::try_from_env())
    }

    /// Without any proxy, whatever the environment says: for tests against 127.0.0.1.
    pub fn without_proxy(retry_base: Duration) -> Self {
        Self::build(retry_base, None)
    }

    fn build(retry_base: Duration, proxy: Option<ureq::Proxy>) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            // Statuses are read here so that errors can name the call; ureq's own error would not.
            .http_status_as_error(false)
            // A redirect could carry the Authorization header to another host.
            .max_redirects(0)
            .proxy(proxy)
            .user_agent(concat!("planguard/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Http { agent, retry_base }
    }

    /// Sends one request, retrying on 429 and 5xx. `call` names the API call in errors.
    pub fn send(
        &self,
        call: &'static str,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Reply, CommentError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = ureq::http::Request::builder().method(method.as_str()).uri(url);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            if body.is_some() {
                request = request.header("Content-Type", "application/json");
            }
            let request = request
                .body(body.unwrap_or("").to_string())
                .map_err(|_| CommentError::Transport {
                    call,
                    reason: "the request URL is not valid",
                })?;
            let mut response = self.agent.run(request).map_err(|e| CommentError::Transport {
                call,
                reason: transport_reason(&e),
            })?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let link = header("link");
            let continuation = header("x-ms-continuationtoken");
            let next_page = header("x-next-page");
            let retry_after = header("retry-after");
            let text = response
                .body_mut()
                .with_config()
                .limit(64 * 1024 * 1024)
                .read_to_string()
                .unwrap_or_default();
            if (200..300).contains(&status) {
                return Ok(Reply {
                    status,
                    link,
                    continuation,
                    next_page,
                    body: text,
                });
            }
            let retryable = status == 429 || (500..600).contains(&status);
            if retryable && attempt < MAX_ATTEMPTS {
                let backoff = self.retry_base.saturating_mul(1 << (attempt - 1));
                let wait = match retry_after.as_deref().and_then(|v| v.trim().parse::<u64>().ok()) {
                    Some(seconds) => Duration::from_secs(seconds),
                    None => backoff,
                };
                if wait <= MAX_SINGLE_WAIT {
                    thread::sleep(wait);
                    continue;
                }
            }
            return Err(CommentError::Http {
                call,
                status,
                summary: summarize(&text),
            });
        }
    }
}

/// A short, single-line view of an error body.
fn summarize(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = flat.chars().take(BODY_SUMMARY_CHARS).collect();
    if flat.chars().count() > BODY_SUMMARY_CHARS {
        cut.push('…');
    }
    if cut.is_empty() {
        cut.push_str("(empty body)");
    }
    cut
}

/// Fixed words for transport failures: ureq's own messages may quote the URL.
fn transport_reason(error: &ureq::Error) -> &'static str {
    match error {
        ureq::Error::Timeout(_) => "timed out",
        ureq::Error::HostNotFound => "host not found",
        ureq::Error::ConnectionFailed => "connection failed",
        ureq::Error::Io(e) => match e.kind() {
            std::io::ErrorKind::ConnectionRefused => "connection refused",
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => "connection reset",
            std::io::ErrorKind::TimedOut => "timed out",
            _ => "connection error",
        },
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => "TLS error",
        ureq::Error::ConnectProxyFailed(_) => "proxy connection failed",
        _ => "transport error",
    }
}
