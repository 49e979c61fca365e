//! The one HTTP path every platform client goes through: timeouts, retries on 429/5xx with
//! `Retry-After`, proxies from the environment, and errors that never carry the token.

use std::thread;
use std::time::Duration;

use jiff::Timestamp;

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
        Self::build(retry_base, ureq::Proxy::try_from_env(), REQUEST_TIMEOUT)
    }

    /// Without any proxy, whatever the environment says: for tests against 127.0.0.1.
    pub fn without_proxy(retry_base: Duration) -> Self {
        Self::build(retry_base, None, REQUEST_TIMEOUT)
    }

    /// [`Http::without_proxy`] with another limit per request than the 30 s default: for tests
    /// of a server that never answers.
    pub fn without_proxy_timing_out_after(retry_base: Duration, timeout: Duration) -> Self {
        Self::build(retry_base, None, timeout)
    }

    fn build(retry_base: Duration, proxy: Option<ureq::Proxy>, timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
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
            let rate_limit = RateLimit {
                remaining: header("x-ratelimit-remaining"),
                reset: header("x-ratelimit-reset"),
            };
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
            let asked = requested_wait(retry_after.as_deref(), &rate_limit, Timestamp::now());
            // GitHub answers its secondary rate limits with 403 and says so in these headers
            // (its REST guide): such a 403 is retried like a 429; any other 403 is a refusal.
            let retryable = status == 429 || (500..600).contains(&status) || (status == 403 && asked.is_some());
            if retryable && attempt < MAX_ATTEMPTS {
                let backoff = self.retry_base.saturating_mul(1 << (attempt - 1));
                let wait = asked.unwrap_or(backoff);
                if wait <= MAX_SINGLE_WAIT {
                    thread::sleep(wait);
                    continue;
                }
            }
            let mut summary = summarize(&text);
            if let Some(wait) = asked.filter(|w| retryable && *w > MAX_SINGLE_WAIT) {
                // Said, so that a user knows a later run may succeed and why this one did not wait.
                summary.push_str(&format!(
                    " (the server asks to wait {} s, longer than planguard waits: {} s)",
                    wait.as_secs(),
                    MAX_SINGLE_WAIT.as_secs()
                ));
            }
            return Err(CommentError::Http { call, status, summary });
        }
    }
}

/// GitHub's rate-limit headers: `x-ratelimit-remaining` and `x-ratelimit-reset` (UTC epoch seconds).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimit {
    pub remaining: Option<String>,
    pub reset: Option<String>,
}

/// How long the server asks to wait before the next attempt: `Retry-After` (delay-seconds or an
/// HTTP-date, RFC 9110 section 10.2.3), else the rate-limit reset when no request is left.
/// `None` when the server says nothing usable. A date already past asks for no wait.
pub fn requested_wait(retry_after: Option<&str>, rate_limit: &RateLimit, now: Timestamp) -> Option<Duration> {
    if let Some(value) = retry_after.map(str::trim).filter(|v| !v.is_empty()) {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Some(date) = http_date(value) {
            return Some(until(date, now));
        }
    }
    let exhausted = rate_limit.remaining.as_deref().map(str::trim) == Some("0");
    let reset = rate_limit.reset.as_deref().and_then(|r| r.trim().parse::<i64>().ok());
    match (exhausted, reset) {
        (true, Some(epoch)) => Timestamp::from_second(epoch).ok().map(|date| until(date, now)),
        _ => None,
    }
}

fn until(date: Timestamp, now: Timestamp) -> Duration {
    let millis = date.as_millisecond().saturating_sub(now.as_millisecond());
    Duration::from_millis(u64::try_from(millis).unwrap_or(0))
}

/// An HTTP-date in any of the three forms RFC 9110 says a recipient must accept: IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`).
pub fn http_date(text: &str) -> Option<Timestamp> {
    if let Ok(date) = jiff::fmt::rfc2822::DateTimeParser::new().parse_timestamp(text) {
        return Some(date);
    }
    let civil = |format: &str, text: &str| {
        jiff::fmt::strtime::parse(format, text)
            .ok()?
            .to_datetime()
            .ok()?
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    };
    if let Some(rest) = text.strip_suffix(" GMT") {
        if let Some(date) = civil("%A, %d-%b-%y %H:%M:%S", rest) {
            return Some(date);
        }
    }
    // asctime pads a one-digit day with a space; strtime's fields take no padding of their own.
    let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    civil("%a %b %d %H:%M:%S %Y", &squeezed)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    #[test]
    fn the_three_http_date_forms_read_the_same_instant() {
        let expected = at("1994-11-06T08:49:37Z");
        assert_eq!(http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(expected));
        assert_eq!(http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(expected));
        assert_eq!(http_date("Sun Nov  6 08:49:37 1994"), Some(expected));
        assert_eq!(http_date("next tuesday"), None);
        assert_eq!(http_date("Sun, 06 Nov 1994 25:49:37 GMT"), None);
    }

    #[test]
    fn retry_after_seconds_or_date_and_rate_limit_reset() {
        let now = at("2026-12-04T02:00:00Z");
        let none = RateLimit::default();
        assert_eq!(requested_wait(Some(" 7 "), &none, now), Some(Duration::from_secs(7)));
        assert_eq!(
            requested_wait(Some("Fri, 04 Dec 2026 02:00:30 GMT"), &none, now),
            Some(Duration::from_secs(30))
        );
        // A date already past: retry now rather than never.
        assert_eq!(
            requested_wait(Some("Fri, 04 Dec 2026 01:00:00 GMT"), &none, now),
            Some(Duration::ZERO)
        );
        assert_eq!(requested_wait(Some("soon"), &none, now), None);
        assert_eq!(requested_wait(None, &none, now), None);
        let reset = now.as_second() + 45;
        let exhausted = RateLimit {
            remaining: Some("0".into()),
            reset: Some(reset.to_string()),
        };
        assert_eq!(requested_wait(None, &exhausted, now), Some(Duration::from_secs(45)));
        // Retry-After wins over the reset when both are sent.
        assert_eq!(requested_wait(Some("2"), &exhausted, now), Some(Duration::from_secs(2)));
        let left = RateLimit {
            remaining: Some("10".into()),
            reset: Some(reset.to_string()),
        };
        assert_eq!(
            requested_wait(None, &left, now),
            None,
            "requests are left: not a rate limit"
        );
        let no_reset = RateLimit {
            remaining: Some("0".into()),
            reset: None,
        };
        assert_eq!(requested_wait(None, &no_reset, now), None);
    }
}
