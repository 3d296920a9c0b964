//! Why a set of answers could not be validated for scoring.

use crate::scoring::InstrumentId;

/// Why a set of answers could not be validated for scoring.
///
/// Item numbers are 1-based, as printed on the questionnaire.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// No instrument in the registry has this id.
    #[error("no instrument has the id '{id}'")]
    UnknownInstrument {
        /// The id given, cut to 64 characters.
        id: String,
    },
    /// The number of answers differs from the number of items.
    #[error("{instrument} has {expected} items but {found} answers were given")]
    WrongNumberOfAnswers {
        /// The instrument.
        instrument: InstrumentId,
        /// Its number of items.
        expected: usize,
        /// The number of answers given.
        found: usize,
    },
    /// An answer is above the item's largest option value.
    #[error("answer to item {item} of {instrument} is {value}, above the maximum of {maximum}")]
    AnswerAboveMaximum {
        /// The instrument.
        instrument: InstrumentId,
        /// 1-based item number.
        item: u8,
        /// The answer given.
        value: u8,
        /// The item's largest option value.
        maximum: u8,
    },
    /// An answer is below the item's smallest option value.
    #[error("answer to item {item} of {instrument} is {value}, below the minimum of {minimum}")]
    AnswerBelowMinimum {
        /// The instrument.
        instrument: InstrumentId,
        /// 1-based item number.
        item: u8,
        /// The answer given.
        value: u8,
        /// The item's smallest option value.
        minimum: u8,
    },
    /// An answer is within range but is not one of the item's option values
    /// (AUDIT items 9 and 10 score 0, 2 or 4).
    #[error(
        "answer to item {item} of {instrument} is {value}, which is not one of its option values"
    )]
    AnswerNotAnOption {
        /// The instrument.
        instrument: InstrumentId,
        /// 1-based item number.
        item: u8,
        /// The answer given.
        value: u8,
    },
    /// A required item was left blank.
    #[error("item {item} of {instrument} is required but was not answered")]
    MissingAnswer {
        /// The instrument.
        instrument: InstrumentId,
        /// 1-based item number.
        item: u8,
    },
    /// More items were left blank than the instrument's rule allows.
    #[error("{missing} items of {instrument} were not answered, above the maximum of {maximum}")]
    TooManyMissingAnswers {
        /// The instrument.
        instrument: InstrumentId,
        /// How many were left blank.
        missing: u8,
        /// The most that may be left blank.
        maximum: u8,
    },
    /// An item that skip logic says is not asked was answered anyway.
    #[error(
        "item {item} of {instrument} was answered but is asked only when item {asked_when_item} is answered {asked_when_answer}"
    )]
    AnswerToSkippedItem {
        /// The instrument.
        instrument: InstrumentId,
        /// 1-based number of the item that should be blank.
        item: u8,
        /// 1-based number of the item whose answer decides.
        asked_when_item: u8,
        /// The answer to that item that makes this one asked.
        asked_when_answer: u8,
    },
}

impl Error {
    /// The variant's stable `snake_case` name (`"unknown_instrument"`), for callers that
    /// branch on the kind of error without parsing its message.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::UnknownInstrument { .. } => "unknown_instrument",
            Self::WrongNumberOfAnswers { .. } => "wrong_number_of_answers",
            Self::AnswerAboveMaximum { .. } => "answer_above_maximum",
            Self::AnswerBelowMinimum { .. } => "answer_below_minimum",
            Self::AnswerNotAnOption { .. } => "answer_not_an_option",
            Self::MissingAnswer { .. } => "missing_answer",
            Self::TooManyMissingAnswers { .. } => "too_many_missing_answers",
            Self::AnswerToSkippedItem { .. } => "answer_to_skipped_item",
        }
    }
}
