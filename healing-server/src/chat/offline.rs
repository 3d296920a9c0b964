//! The offline companion: a built-in, rule-based helper that answers when the AI
//! model may not or cannot (no model configured, no `ai_chat` consent, the model
//! unreachable or too slow, or a model reply withheld by screening).
//!
//! It is deterministic — the same message, turn number and reason give the same
//! words — and it is labelled in every reply as not AI and not a person.
//! It reflects back the feeling the patient named (reflective listening), asks
//! one CBT-style question, and points to the app's own tools.
//!
//! The questions are the everyday prompts of cognitive behavioural therapy
//! self-help (noticing thoughts, weighing the evidence, the "what would you tell a
//! friend" reframe, behavioural activation), as in the NHS "Every Mind Matters"
//! CBT self-help pages and Mind's CBT guide; they are project wording, reviewed for
//! tone, not a clinical protocol.

/// Why the offline companion answered rather than the AI model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfflineReason {
    /// The server has no AI model configured.
    NoModel,
    /// The patient's `ai_chat` consent is not in force.
    NoConsent,
    /// The model did not answer in time, or answered with an error.
    Unavailable,
    /// The model's reply did not pass screening and was withheld.
    ReplyWithheld,
}

impl OfflineReason {
    /// The stable name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoModel => "no_model",
            Self::NoConsent => "no_consent",
            Self::Unavailable => "model_unavailable",
            Self::ReplyWithheld => "reply_withheld",
        }
    }

    /// What the patient is told about why the AI companion did not answer.
    pub const fn notice(self) -> &'static str {
        match self {
            Self::NoModel => {
                "The AI companion is not set up on this service, so the offline companion answered."
            }
            Self::NoConsent => {
                "The AI companion is off because you have not agreed to AI chat in your consent \
                 choices, so the offline companion answered. Nothing you write is sent to an AI model \
                 until you agree, and what you write before then never will be."
            }
            Self::Unavailable => {
                "The AI companion could not be reached just now, so the offline companion answered."
            }
            Self::ReplyWithheld => {
                "The AI companion's reply was held back by a safety check, so the offline companion answered."
            }
        }
    }
}

/// The label every offline reply ends with.
pub const LABEL: &str =
    "(Offline companion: built-in replies, not AI and not a person. In an emergency call 999.)";

/// Feeling words the companion reflects back, with how it names them. Matched as
/// whole lower-case words; the first match in this order wins.
const FEELINGS: &[(&str, &str)] = &[
    ("overwhelmed", "overwhelmed"),
    ("anxious", "anxious"),
    ("worried", "worried"),
    ("worrying", "worried"),
    ("scared", "scared"),
    ("frightened", "scared"),
    ("panicky", "panicky"),
    ("stressed", "stressed"),
    ("lonely", "lonely"),
    ("alone", "alone"),
    ("sad", "sad"),
    ("low", "low"),
    ("down", "low"),
    ("depressed", "low"),
    ("hopeless", "hopeless"),
    ("angry", "angry"),
    ("frustrated", "frustrated"),
    ("tired", "tired"),
    ("exhausted", "exhausted"),
    ("guilty", "guilty"),
    ("ashamed", "ashamed"),
    ("numb", "numb"),
    ("happy", "happy"),
    ("calm", "calm"),
    ("proud", "proud"),
    ("better", "a bit better"),
];

/// Feelings the companion is glad to hear rather than sorry about.
const GOOD_FEELINGS: &[&str] = &["happy", "calm", "proud", "a bit better"];

/// One CBT-style question per turn, in rotation.
const PROMPTS: &[&str] = &[
    "What was going through your mind just before you started to feel this way?",
    "If a good friend told you this, what might you say to them?",
    "What is one small thing you could do in the next hour that usually helps a little?",
    "What evidence is there for that thought, and is there any evidence against it?",
    "On a scale of 0 to 10, how strong is the feeling right now?",
    "Is there a kinder or more balanced way of seeing what happened?",
];

/// The app's tools the companion points to, in rotation.
const TOOLS: &[&str] = &[
    "You could note how you feel in your mood log (/mood).",
    "Writing it down in your journal (/journal) can help to untangle it.",
    "A short questionnaire (/questionnaires) can help you and your clinician see how things are going.",
    "Looking after your pet (/pet) is a small, kind thing you can do today.",
];

/// The offline companion's reply to `message`, the `turn`-th message of the
/// conversation (which picks the question and the tool, in rotation).
pub fn reply(message: &str, turn: i64) -> String {
    let index = usize::try_from(turn.unsigned_abs()).unwrap_or(0);
    let reflection = match feeling_in(message) {
        Some(feeling) if GOOD_FEELINGS.contains(&feeling) => {
            format!("It's good to hear you're feeling {feeling}.")
        }
        Some(feeling) => format!("It sounds like you're feeling {feeling}, and that's hard."),
        None => "Thank you for telling me.".to_owned(),
    };
    let prompt = PROMPTS[index % PROMPTS.len()];
    let tool = TOOLS[index % TOOLS.len()];
    format!("{reflection} {prompt} {tool}\n\n{LABEL}")
}

/// What the companion says in place of a model reply that screening withheld.
pub fn withheld_fallback() -> String {
    format!(
        "I'm sorry, I can't give a good answer to that here. If things feel hard, \
         talking to someone you trust or your clinician can help, and the crisis page \
         (/crisis) lists people you can contact at any time.\n\n{LABEL}"
    )
}

/// The first feeling word of [`FEELINGS`] that `message` contains as a whole word.
fn feeling_in(message: &str) -> Option<&'static str> {
    let lower = message.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|word| !word.is_empty())
        .collect();
    FEELINGS
        .iter()
        .find(|(word, _)| words.contains(word))
        .map(|(_, named)| *named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflects_the_feeling_named_and_labels_itself() {
        let text = reply("I feel so anxious about tomorrow", 1);
        assert!(
            text.starts_with("It sounds like you're feeling anxious"),
            "{text}"
        );
        assert!(text.contains("not AI"));
        assert!(text.contains(PROMPTS[1]));
    }

    #[test]
    fn is_deterministic_and_rotates_its_question() {
        let first = reply("a quiet day", 3);
        assert_eq!(first, reply("a quiet day", 3));
        assert_ne!(first, reply("a quiet day", 4));
        assert!(first.starts_with("Thank you for telling me."));
    }

    #[test]
    fn is_glad_about_good_feelings() {
        assert!(reply("today I feel calm", 1).starts_with("It's good to hear"));
    }
}
