//! The AI companion chat: one patient message in, one companion reply out, both
//! stored (sealed) in the patient's conversation.
//!
//! A turn goes in this order, so safety comes before anything leaves the server:
//! 1. [`begin`]: the message is screened ([`crate::screening`]) and stored with
//!    its safety event and any alert, in one transaction; whether it may ever be
//!    sent to the model is decided now, from the `ai_chat` consent in force and
//!    the risk level, and stored with it.
//! 2. [`Turn::answer`]: at high or critical risk the reply is the crisis response
//!    with resources and nothing is sent; without `ai_chat` consent, without a
//!    configured model, or when the model fails or is too slow, the offline
//!    companion ([`offline`]) answers and says why; otherwise the conversation the
//!    model may read ([`prompt`]) goes to the model ([`llm`]).
//! 3. The model's reply is screened before the patient sees it; a reply that
//!    would raise a concern is replaced by a safe fallback and its screening is
//!    stored as an alert for staff to review (never its words, never in a log).
//!    When streaming, text is released sentence by sentence, each only once the
//!    reply so far screens clear.

pub mod llm;
pub mod offline;
pub mod prompt;

use healing_core::consent::Purpose;
use healing_core::ids::PersonId;
use healing_core::safety::{RiskLevel, Source};
use healing_store::prelude::*;
use healing_store::{ChatMessage, ChatSource, NewChatReply, Screened, ScreeningOutcome};

use crate::error::ApiError;
use crate::screening::{SafetyView, Screener};
use crate::state::{AppState, store_error};
use offline::OfflineReason;

/// Longest chat message accepted, in characters.
pub const CHAT_MAX_CHARS: usize = 2_000;

/// A patient message stored and screened, waiting for its reply.
#[derive(Debug)]
pub struct Turn {
    /// The stored message.
    pub message: ChatMessage,
    /// What the patient must be shown about it.
    pub safety: SafetyView,
    route: Route,
}

/// Who answers a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Crisis,
    Offline(OfflineReason),
    Model,
}

/// A finished turn.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The patient's stored message.
    pub message: ChatMessage,
    /// The stored reply.
    pub reply: ChatMessage,
    /// What wrote the reply.
    pub source: ChatSource,
    /// What the patient must be shown about their message.
    pub safety: SafetyView,
    /// Why the offline companion answered, if it did.
    pub offline_reason: Option<OfflineReason>,
}

/// Checks, screens and stores the patient's message, and decides who answers it.
pub async fn begin(
    state: &AppState,
    patient_id: &PersonId,
    text: String,
) -> Result<Turn, ApiError> {
    let chars = text.chars().count();
    if text.trim().is_empty() || chars > CHAT_MAX_CHARS {
        return Err(ApiError::validation(format!(
            "message has {chars} characters; use 1 to {CHAT_MAX_CHARS}"
        )));
    }
    let screened = state.screener().screen(text, Source::Chat);
    let safety = state.screener().view(screened.outcome());
    let now = state.now();
    let consented = crate::routes::consent::ledger_of(state, patient_id)
        .await?
        .is_allowed(Purpose::AiChat, now);
    let route = if is_crisis(screened.outcome()) {
        Route::Crisis
    } else if state.companion_model().is_none() {
        Route::Offline(OfflineReason::NoModel)
    } else if !consented {
        Route::Offline(OfflineReason::NoConsent)
    } else {
        Route::Model
    };
    // Decided once, at writing: a message written without consent, or a crisis
    // message, is never sent to the model, now or later as history.
    let model_may_read = consented && route != Route::Crisis;
    let message = state
        .store()
        .add_chat_message(patient_id, &screened, model_may_read, now)
        .await
        .map_err(store_error)?;
    Ok(Turn {
        message,
        safety,
        route,
    })
}

/// High or critical, or screening failed (which fails closed as critical).
fn is_crisis(outcome: &ScreeningOutcome) -> bool {
    match outcome {
        ScreeningOutcome::Assessed { level, .. } => *level >= RiskLevel::High,
        ScreeningOutcome::FailedClosed => true,
    }
}

impl Turn {
    /// Produces and stores the reply. With `on_text`, the model is asked to
    /// stream and each piece of text that has screened clear is passed on as it
    /// is released; the stored result is the return value either way.
    pub async fn answer(
        self,
        state: &AppState,
        on_text: Option<&(dyn Fn(String) + Send + Sync)>,
    ) -> Result<Finished, ApiError> {
        let patient_id = self.message.patient_id.clone();
        let (reply, offline_reason) = match self.route {
            Route::Crisis => (
                NewChatReply {
                    body: crisis_reply(&self.safety),
                    source: ChatSource::Crisis,
                    model_may_read: false,
                    withheld: None,
                },
                None,
            ),
            Route::Offline(reason) => (self.offline(), Some(reason)),
            Route::Model => match self.ask_model(state, on_text).await? {
                ModelOutcome::Clear(text) => (
                    NewChatReply {
                        body: text,
                        source: ChatSource::Model,
                        model_may_read: true,
                        withheld: None,
                    },
                    None,
                ),
                ModelOutcome::Withheld(screened) => (
                    NewChatReply {
                        body: offline::withheld_fallback(),
                        source: ChatSource::Offline,
                        model_may_read: false,
                        withheld: Some(screened),
                    },
                    Some(OfflineReason::ReplyWithheld),
                ),
                ModelOutcome::Failed => (self.offline(), Some(OfflineReason::Unavailable)),
            },
        };
        let stored = state
            .store()
            .add_chat_reply(&patient_id, &reply, state.now())
            .await
            .map_err(store_error)?;
        Ok(Finished {
            source: reply.source,
            message: self.message,
            reply: stored,
            safety: self.safety,
            offline_reason,
        })
    }

    fn offline(&self) -> NewChatReply {
        NewChatReply {
            body: offline::reply(&self.message.body, self.message.seq),
            source: ChatSource::Offline,
            // The model reads only its own replies besides the patient's words.
            model_may_read: false,
            withheld: None,
        }
    }

    async fn ask_model(
        &self,
        state: &AppState,
        on_text: Option<&(dyn Fn(String) + Send + Sync)>,
    ) -> Result<ModelOutcome, ApiError> {
        let Some(model) = state.companion_model() else {
            return Ok(ModelOutcome::Failed);
        };
        let context = state
            .store()
            .chat_context(&self.message.patient_id, prompt::CONTEXT_MESSAGES)
            .await
            .map_err(store_error)?;
        let messages = prompt::conversation(&context);
        let result = match on_text {
            None => model.complete(&messages).await,
            Some(on_text) => {
                let mut gate = ReleaseGate::new(state.screener().clone());
                model
                    .stream(&messages, |piece| {
                        if let Some(released) = gate.push(piece) {
                            on_text(released);
                        }
                    })
                    .await
            }
        };
        let text = match result {
            Ok(text) => text,
            Err(error) => {
                // The kind of failure only: no words of the conversation.
                tracing::warn!(%error, "the AI model gave no reply; the offline companion answers");
                return Ok(ModelOutcome::Failed);
            }
        };
        let screened = state.screener().screen_reply(text);
        if screened.outcome().alert_severity().is_some() {
            tracing::warn!("a model reply did not pass screening; withheld for review");
            return Ok(ModelOutcome::Withheld(screened));
        }
        Ok(ModelOutcome::Clear(screened.text().to_owned()))
    }
}

enum ModelOutcome {
    Clear(String),
    Withheld(Screened),
    Failed,
}

/// Releases streamed text a sentence at a time, each only once the whole reply
/// so far screens below medium; after the first that does not, nothing more.
struct ReleaseGate {
    screener: Screener,
    received: String,
    released: usize,
    stopped: bool,
}

impl ReleaseGate {
    fn new(screener: Screener) -> Self {
        Self {
            screener,
            received: String::new(),
            released: 0,
            stopped: false,
        }
    }

    /// Takes a piece of text; returns what may now be shown, if anything.
    fn push(&mut self, piece: &str) -> Option<String> {
        self.received.push_str(piece);
        if self.stopped {
            return None;
        }
        let boundary = self.received[self.released..]
            .rfind(['.', '!', '?', '\n'])
            .map(|at| self.released + at + 1)?;
        let candidate = self.received[..boundary].to_owned();
        let screened = self.screener.screen_reply(candidate);
        if screened.outcome().alert_severity().is_some() {
            self.stopped = true;
            return None;
        }
        let released = self.received[self.released..boundary].to_owned();
        self.released = boundary;
        Some(released)
    }
}

/// The crisis response: a person is needed now, with the resources to reach one.
fn crisis_reply(safety: &SafetyView) -> String {
    let mut text = String::from(
        "Thank you for telling me. What you have written sounds serious, and you deserve \
         support from a person right now. I am not able to help with this here, and your \
         message has not been sent to the AI companion.",
    );
    if safety.resources.is_empty() {
        text.push_str(
            " Please call 999 if you are in danger now, or Samaritans on 116 123 at any time.",
        );
    } else {
        text.push_str(" Please contact one of these now:");
        for resource in &safety.resources {
            text.push_str(&format!("\n- {}: {}", resource.name, resource.contact));
        }
    }
    text.push_str("\nIf you are in immediate danger, call 999.");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_clear_sentences_and_holds_back_after_a_concern() {
        let mut gate = ReleaseGate::new(Screener::standard());
        assert_eq!(gate.push("That sounds "), None);
        assert_eq!(
            gate.push("hard. What"),
            Some("That sounds hard.".to_owned())
        );
        assert_eq!(gate.push(" helps? "), Some(" What helps?".to_owned()));
        assert_eq!(
            gate.push("I've saved up my pills and I'm taking them tonight."),
            None
        );
        assert_eq!(gate.push(" Anyway. "), None);
    }
}
