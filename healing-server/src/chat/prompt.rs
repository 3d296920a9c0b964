//! What the model is sent: the system prompt, then the latest part of the
//! conversation it may read, each message with its role (the patient's as `user`,
//! the model's own earlier replies as `assistant`), trimmed to a budget.
//!
//! Only message bodies and the system prompt leave the server: no username, name,
//! email, id or time (data minimisation); the store has already left out every
//! message written without `ai_chat` consent ([`healing_store::ChatStore::chat_context`]).

use healing_store::{ChatAuthor, ChatMessage};
use serde::Serialize;

/// The companion's instructions. Written for a supportive, non-diagnostic
/// companion informed by cognitive behavioural therapy (CBT) self-help: it listens,
/// reflects, asks open questions and suggests everyday CBT techniques (noticing
/// thoughts, weighing evidence, balanced thoughts, behavioural activation, paced
/// breathing), as described in the NHS "Every Mind Matters" CBT self-help pages.
/// Its safety lines follow the Samaritans media and online-safety guidance of not
/// discussing methods. It is project wording, reviewed for tone, not a validated
/// clinical intervention (unsure: no trial of this prompt exists).
pub const SYSTEM_PROMPT: &str = "\
You are the companion in Healing, a mental-health support app used alongside care from a clinical team.
You are an AI language model. You are not a person, not a therapist, not a doctor and not a clinician, \
and you never claim or imply to be one. If you are asked whether you are a person, a human, a therapist \
or a clinician, say plainly that you are an AI companion and that the person's care team are the people \
to talk to about their care.
Be warm, calm and brief (at most about 120 words). Listen first: reflect back what the person says and \
how they seem to feel, and ask one open question at a time.
Draw gently on cognitive behavioural therapy self-help: noticing thoughts and feelings, looking at the \
evidence for and against a thought, finding a more balanced thought, planning small rewarding activities, \
and slow breathing or grounding. Offer these as suggestions, never as instructions.
Never diagnose, never name or suggest a condition, never advise on medication or doses, and never give \
medical, legal or financial advice; suggest the person talks to their clinician or GP instead.
Never describe or discuss ways of self-harm or suicide. If the person may be at risk, encourage them to \
contact their care team, NHS 111 (option 2 for mental health), Samaritans on 116 123, or 999 in an emergency.
You know nothing about the person beyond this conversation; do not ask for their name, contact details \
or other identifying information.
The app has a mood log, a journal, questionnaires and a pet to look after; you may suggest them.";

/// How many of the latest messages the model may read are fetched as candidates.
pub const CONTEXT_MESSAGES: u32 = 40;

/// The most characters of conversation sent (about 2 000 tokens of English), so a
/// long conversation costs a bounded request; the oldest messages go first.
pub const CONTEXT_BUDGET_CHARS: usize = 8_000;

/// A chat-completions message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WireMessage {
    /// `system`, `user` or `assistant`.
    pub role: &'static str,
    /// The text.
    pub content: String,
}

/// The messages of one request: the system prompt, then the newest messages of
/// `context` (oldest first, as the store gives them) that fit the budget, always
/// including the newest. The conversation starts with a `user` message, as
/// chat-completions models expect.
pub fn conversation(context: &[ChatMessage]) -> Vec<WireMessage> {
    let mut kept = Vec::new();
    let mut used = 0usize;
    for message in context.iter().rev() {
        let length = message.body.chars().count();
        if !kept.is_empty() && used + length > CONTEXT_BUDGET_CHARS {
            break;
        }
        used += length;
        kept.push(message);
    }
    while kept
        .last()
        .is_some_and(|message| message.author == ChatAuthor::Companion)
    {
        kept.pop();
    }
    let mut messages = vec![WireMessage {
        role: "system",
        content: SYSTEM_PROMPT.to_owned(),
    }];
    messages.extend(kept.into_iter().rev().map(|message| WireMessage {
        role: match message.author {
            ChatAuthor::Patient => "user",
            ChatAuthor::Companion => "assistant",
        },
        content: message.body.clone(),
    }));
    messages
}

#[cfg(test)]
mod tests {
    use healing_core::ids::PersonId;
    use healing_core::timestamp::Timestamp;
    use healing_store::ChatSource;

    use super::*;

    fn message(seq: i64, author: ChatAuthor, body: &str) -> ChatMessage {
        ChatMessage {
            id: format!("m{seq}"),
            patient_id: PersonId::new("p1").unwrap(),
            seq,
            author,
            source: (author == ChatAuthor::Companion).then_some(ChatSource::Model),
            body: body.to_owned(),
            model_may_read: true,
            written_at: Timestamp::from_unix_seconds(0).unwrap(),
        }
    }

    #[test]
    fn sends_roles_in_order_after_the_system_prompt() {
        let sent = conversation(&[
            message(1, ChatAuthor::Patient, "hello"),
            message(2, ChatAuthor::Companion, "hi, how are you?"),
            message(3, ChatAuthor::Patient, "tired"),
        ]);
        let roles: Vec<_> = sent.iter().map(|m| (m.role, m.content.as_str())).collect();
        assert_eq!(roles[0].0, "system");
        assert_eq!(
            roles[1..],
            [
                ("user", "hello"),
                ("assistant", "hi, how are you?"),
                ("user", "tired")
            ]
        );
    }

    #[test]
    fn drops_the_oldest_messages_past_the_budget_and_starts_with_the_patient() {
        let long = "x".repeat(CONTEXT_BUDGET_CHARS - 8);
        let sent = conversation(&[
            message(1, ChatAuthor::Patient, "old"),
            message(2, ChatAuthor::Companion, &long),
            message(3, ChatAuthor::Patient, "newest"),
        ]);
        // The long reply fits with the newest, but "old" does not; a reply cannot
        // open the conversation, so it goes too.
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[1].content, "newest");
    }
}
