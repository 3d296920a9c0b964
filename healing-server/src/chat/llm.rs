//! A client for any OpenAI-compatible chat-completions API (`POST
//! {base}/chat/completions`), such as Groq's `https://api.groq.com/openai/v1`,
//! through `reqwest`.
//!
//! Every call has a connect timeout and a total deadline covering all its
//! attempts, so a slow or dead model never holds a patient past
//! `HEALING_LLM_TIMEOUT_SECONDS`. An answer of 429 or 5xx is retried a bounded
//! number of times, after the `Retry-After` the server asked for (seconds or an
//! HTTP-date, capped at [`MAX_RETRY_AFTER`]) or else an exponential backoff, and never past the
//! deadline. Nothing is logged here: the caller logs the error kind, never text.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use zeroize::Zeroizing;

use super::prompt::WireMessage;

/// The longest `Retry-After` honoured; a server asking for more is not waited for
/// longer than this (and never past the call's deadline).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// The first backoff when the server gives no `Retry-After`; it doubles per retry.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(250);

/// The most characters of a reply kept; a model that runs on is cut here.
pub const MAX_REPLY_CHARS: usize = 4_000;

/// The most tokens the model is asked to write (about 300 words).
const MAX_TOKENS: u32 = 400;

/// Where the model is and how long to wait for it.
#[derive(Clone)]
pub struct LlmConfig {
    /// The API's base URL, e.g. `https://api.groq.com/openai/v1`.
    pub base_url: reqwest::Url,
    /// The bearer token.
    pub api_key: Zeroizing<String>,
    /// The model name, e.g. `llama-3.3-70b-versatile`.
    pub model: String,
    /// The longest a connection may take to open.
    pub connect_timeout: Duration,
    /// The longest one reply may take, all attempts and the whole stream included.
    pub timeout: Duration,
    /// Retries after a 429 or 5xx answer (0: none).
    pub max_retries: u32,
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("base_url", &self.base_url.as_str())
            .field("model", &self.model)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// Why the model gave no reply. Carries no text of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    /// The deadline passed.
    #[error("the model did not answer in time")]
    TimedOut,
    /// No connection could be made, or it broke.
    #[error("the model could not be reached")]
    Unreachable,
    /// The model answered with an error status (after any retries).
    #[error("the model answered HTTP {status}")]
    Status {
        /// The HTTP status.
        status: u16,
    },
    /// The answer was not a chat completion.
    #[error("the model's answer was not a chat completion")]
    BadAnswer,
    /// The answer held no text.
    #[error("the model's answer held no text")]
    Empty,
}

/// The model client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct LlmClient {
    config: Arc<LlmConfig>,
    http: reqwest::Client,
    endpoint: String,
}

#[derive(Serialize)]
struct CompletionRequest<'a> {
    model: &'a str,
    messages: &'a [WireMessage],
    stream: bool,
    max_tokens: u32,
    temperature: f32,
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<CompletionChoice>,
}

#[derive(Deserialize)]
struct CompletionChoice {
    message: CompletionMessage,
}

#[derive(Deserialize)]
struct CompletionMessage {
    content: Option<String>,
}

#[derive(Deserialize)]
struct StreamChunk {
    #[serde(default)]
    choices: Vec<StreamChoice>,
}

#[derive(Deserialize)]
struct StreamChoice {
    #[serde(default)]
    delta: StreamDelta,
}

#[derive(Default, Deserialize)]
struct StreamDelta {
    content: Option<String>,
}

impl LlmClient {
    /// A client for `config`.
    pub fn new(config: LlmConfig) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("healing-server/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let endpoint = format!(
            "{}/chat/completions",
            config.base_url.as_str().trim_end_matches('/')
        );
        Ok(Self {
            config: Arc::new(config),
            http,
            endpoint,
        })
    }

    /// The settings.
    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// One whole reply (`stream: false`).
    pub async fn complete(&self, messages: &[WireMessage]) -> Result<String, LlmError> {
        let deadline = Instant::now() + self.config.timeout;
        tokio::time::timeout_at(deadline, async {
            let response = self.send(messages, false, deadline).await?;
            let answer: Completion = response.json().await.map_err(read_error)?;
            let text = answer
                .choices
                .into_iter()
                .next()
                .and_then(|choice| choice.message.content)
                .unwrap_or_default();
            non_empty(truncated(text))
        })
        .await
        .map_err(|_| LlmError::TimedOut)?
    }

    /// A reply as the model writes it (`stream: true`, server-sent events):
    /// `on_text` gets each piece of text as it arrives; the whole reply is
    /// returned at the end.
    pub async fn stream(
        &self,
        messages: &[WireMessage],
        mut on_text: impl FnMut(&str) + Send,
    ) -> Result<String, LlmError> {
        let deadline = Instant::now() + self.config.timeout;
        tokio::time::timeout_at(deadline, async {
            let mut response = self.send(messages, true, deadline).await?;
            let mut pending: Vec<u8> = Vec::new();
            let mut reply = String::new();
            'read: while let Some(bytes) = response.chunk().await.map_err(read_error)? {
                pending.extend_from_slice(&bytes);
                while let Some(end) = pending.iter().position(|byte| *byte == b'\n') {
                    let line: Vec<u8> = pending.drain(..=end).collect();
                    match parse_stream_line(&line)? {
                        StreamLine::Text(text) => {
                            if reply.chars().count() + text.chars().count() > MAX_REPLY_CHARS {
                                break 'read;
                            }
                            on_text(&text);
                            reply.push_str(&text);
                        }
                        StreamLine::Done => break 'read,
                        StreamLine::Other => {}
                    }
                }
            }
            non_empty(reply)
        })
        .await
        .map_err(|_| LlmError::TimedOut)?
    }

    /// Sends the request, retrying a 429 or 5xx answer while retries and time
    /// remain; returns the first successful response.
    async fn send(
        &self,
        messages: &[WireMessage],
        stream: bool,
        deadline: Instant,
    ) -> Result<reqwest::Response, LlmError> {
        let request = CompletionRequest {
            model: &self.config.model,
            messages,
            stream,
            max_tokens: MAX_TOKENS,
            temperature: 0.7,
        };
        let mut retries = 0;
        loop {
            let response = self
                .http
                .post(&self.endpoint)
                .bearer_auth(self.config.api_key.as_str())
                .json(&request)
                .send()
                .await
                .map_err(read_error)?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            let wait = retry_wait(response.headers(), retries, SystemTime::now());
            if !retryable || retries >= self.config.max_retries || Instant::now() + wait >= deadline
            {
                return Err(LlmError::Status {
                    status: status.as_u16(),
                });
            }
            tokio::time::sleep(wait).await;
            retries += 1;
        }
    }
}

/// How long to wait before retry number `retries + 1`: the server's
/// `Retry-After` (RFC 9110 §10.2.3: delay seconds, or an HTTP-date read against
/// `now`, a date already past meaning at once), capped at [`MAX_RETRY_AFTER`];
/// without one, or with one that is neither form, a backoff doubling from
/// [`FIRST_BACKOFF`].
pub fn retry_wait(headers: &reqwest::header::HeaderMap, retries: u32, now: SystemTime) -> Duration {
    let asked = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .and_then(|value| retry_after(value, now));
    match asked {
        Some(wait) => wait.min(MAX_RETRY_AFTER),
        None => FIRST_BACKOFF
            .saturating_mul(2u32.saturating_pow(retries.min(8)))
            .min(MAX_RETRY_AFTER),
    }
}

/// A `Retry-After` value as a wait from `now`: delay seconds, or an HTTP-date
/// (the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete forms
/// recipients must accept), which is zero once past.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

fn read_error(error: reqwest::Error) -> LlmError {
    if error.is_timeout() {
        LlmError::TimedOut
    } else if error.is_decode() {
        LlmError::BadAnswer
    } else {
        LlmError::Unreachable
    }
}

fn truncated(text: String) -> String {
    if text.chars().count() <= MAX_REPLY_CHARS {
        text
    } else {
        text.chars().take(MAX_REPLY_CHARS).collect()
    }
}

fn non_empty(text: String) -> Result<String, LlmError> {
    if text.trim().is_empty() {
        Err(LlmError::Empty)
    } else {
        Ok(text)
    }
}

/// One line of a chat-completions event stream.
#[derive(Debug, PartialEq, Eq)]
enum StreamLine {
    /// A piece of the reply.
    Text(String),
    /// `data: [DONE]`.
    Done,
    /// A blank line, a comment, another field, or a chunk without text.
    Other,
}

fn parse_stream_line(line: &[u8]) -> Result<StreamLine, LlmError> {
    let line = std::str::from_utf8(line).map_err(|_| LlmError::BadAnswer)?;
    let Some(data) = line.trim_end_matches(['\r', '\n']).strip_prefix("data:") else {
        return Ok(StreamLine::Other);
    };
    let data = data.trim();
    if data == "[DONE]" {
        return Ok(StreamLine::Done);
    }
    let chunk: StreamChunk = serde_json::from_str(data).map_err(|_| LlmError::BadAnswer)?;
    Ok(chunk
        .choices
        .into_iter()
        .next()
        .and_then(|choice| choice.delta.content)
        .filter(|text| !text.is_empty())
        .map_or(StreamLine::Other, StreamLine::Text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_done_and_other_lines_of_a_stream() {
        let text = br#"data: {"choices":[{"delta":{"content":"Hi"}}]}"#;
        assert_eq!(
            parse_stream_line(text),
            Ok(StreamLine::Text("Hi".to_owned()))
        );
        assert_eq!(parse_stream_line(b"data: [DONE]\n"), Ok(StreamLine::Done));
        assert_eq!(parse_stream_line(b": keep-alive\n"), Ok(StreamLine::Other));
        assert_eq!(
            parse_stream_line(br#"data: {"choices":[{"delta":{"role":"assistant"}}]}"#),
            Ok(StreamLine::Other)
        );
        assert_eq!(parse_stream_line(b"data: {oops"), Err(LlmError::BadAnswer));
    }

    #[test]
    fn honours_retry_after_seconds_up_to_the_cap_and_backs_off_without_it() {
        let now = SystemTime::now();
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(retry_wait(&headers, 0, now), FIRST_BACKOFF);
        assert_eq!(retry_wait(&headers, 2, now), FIRST_BACKOFF * 4);
        headers.insert(reqwest::header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(retry_wait(&headers, 0, now), Duration::from_secs(2));
        headers.insert(reqwest::header::RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(retry_wait(&headers, 0, now), MAX_RETRY_AFTER);
        // Neither form: the backoff, as with no header.
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_wait(&headers, 1, now), FIRST_BACKOFF * 2);
    }

    #[test]
    fn honours_retry_after_as_an_http_date_up_to_the_cap() {
        // Sun, 06 Nov 1994 08:49:37 GMT, the example date of RFC 9110.
        let date = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap(),
        );
        let three_seconds_before = date - Duration::from_secs(3);
        assert_eq!(
            retry_wait(&headers, 0, three_seconds_before),
            Duration::from_secs(3)
        );
        // An hour ahead: capped like the seconds form.
        let an_hour_before = date - Duration::from_secs(3_600);
        assert_eq!(retry_wait(&headers, 0, an_hour_before), MAX_RETRY_AFTER);
        // Already past: retry at once, not the backoff.
        let later = date + Duration::from_secs(60);
        assert_eq!(retry_wait(&headers, 3, later), Duration::ZERO);
        // The obsolete RFC 850 form of the same instant is read alike.
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Sunday, 06-Nov-94 08:49:37 GMT".parse().unwrap(),
        );
        assert_eq!(
            retry_wait(&headers, 0, three_seconds_before),
            Duration::from_secs(3)
        );
    }
}
