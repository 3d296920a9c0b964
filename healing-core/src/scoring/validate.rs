//! Checking raw answers against an instrument, once, before scoring.

use crate::scoring::{Error, Instrument, MAX_ITEMS, Prorating, Requirement, ScoringRule};

/// Answers that have been checked against their instrument and can be scored.
///
/// The only way to get one is [`ValidatedAnswers::new`] (or
/// [`ValidatedAnswers::complete`]), so [`crate::scoring::score`] never fails.
/// Answers are held in a fixed array: validating and scoring do not allocate
/// (apart from the subscale and flag lists of the result).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedAnswers {
    instrument: &'static Instrument,
    answers: [Option<u8>; MAX_ITEMS],
    prorated_items: u8,
}

impl ValidatedAnswers {
    /// Checks `answers` (one per item, in item order, `None` for a blank) against `instrument`.
    ///
    /// Checks, in this order: the number of answers; each answer is one of
    /// its item's option values; skip logic (an item asked only after a given
    /// answer is blank otherwise, and answered when asked); required items are
    /// answered; blanks are within the instrument's prorating or blank-item
    /// allowance. The first failure is returned.
    pub fn new(instrument: &'static Instrument, answers: &[Option<u8>]) -> Result<Self, Error> {
        let id = instrument.id;
        if answers.len() != instrument.items.len() || answers.len() > MAX_ITEMS {
            return Err(Error::WrongNumberOfAnswers {
                instrument: id,
                expected: instrument.items.len(),
                found: answers.len(),
            });
        }

        let mut stored = [None; MAX_ITEMS];
        let mut prorated_items: u8 = 0;
        let mut first_prorated_item = None;
        let mut optional_blanks: u8 = 0;
        for ((item, &answer), slot) in instrument.items.iter().zip(answers).zip(stored.iter_mut()) {
            // The skip condition refers to an earlier item; `answers.get`
            // keeps an out-of-range reference from panicking, although the
            // registry's compile-time checks rule it out.
            let asked = match item.requirement {
                Requirement::AskedWhen {
                    item: earlier,
                    answer: expected,
                } => {
                    let earlier_answer = answers
                        .get(usize::from(earlier).wrapping_sub(1))
                        .copied()
                        .flatten();
                    Some((earlier, expected, earlier_answer == Some(expected)))
                }
                Requirement::Required | Requirement::Proratable | Requirement::Optional => None,
            };
            match answer {
                Some(value) => {
                    check_value(instrument, item.number, value)?;
                    if let Some((earlier, expected, false)) = asked {
                        return Err(Error::AnswerToSkippedItem {
                            instrument: id,
                            item: item.number,
                            asked_when_item: earlier,
                            asked_when_answer: expected,
                        });
                    }
                }
                None => match item.requirement {
                    Requirement::Required => {
                        return Err(Error::MissingAnswer {
                            instrument: id,
                            item: item.number,
                        });
                    }
                    Requirement::Proratable => {
                        prorated_items = prorated_items.saturating_add(1);
                        first_prorated_item.get_or_insert(item.number);
                    }
                    Requirement::Optional => optional_blanks = optional_blanks.saturating_add(1),
                    Requirement::AskedWhen { .. } => {
                        if let Some((_, _, true)) = asked {
                            return Err(Error::MissingAnswer {
                                instrument: id,
                                item: item.number,
                            });
                        }
                    }
                },
            }
            *slot = answer;
        }

        if let Some(item) = first_prorated_item {
            match instrument.prorating {
                Prorating::NotAllowed => {
                    return Err(Error::MissingAnswer {
                        instrument: id,
                        item,
                    });
                }
                Prorating::UpTo { max_missing } if prorated_items > max_missing => {
                    return Err(Error::TooManyMissingAnswers {
                        instrument: id,
                        missing: prorated_items,
                        maximum: max_missing,
                    });
                }
                Prorating::UpTo { .. } => {}
            }
        }
        if let ScoringRule::MeanOfAnswered { max_blank } = instrument.scoring
            && optional_blanks > max_blank
        {
            return Err(Error::TooManyMissingAnswers {
                instrument: id,
                missing: optional_blanks,
                maximum: max_blank,
            });
        }

        Ok(Self {
            instrument,
            answers: stored,
            prorated_items,
        })
    }

    /// Checks a fully answered form: `answers` holds one value per item, in item order.
    pub fn complete(instrument: &'static Instrument, answers: &[u8]) -> Result<Self, Error> {
        let mut optional = [None; MAX_ITEMS];
        let Some(slots) = optional.get_mut(..answers.len()) else {
            return Err(Error::WrongNumberOfAnswers {
                instrument: instrument.id,
                expected: instrument.items.len(),
                found: answers.len(),
            });
        };
        for (slot, &value) in slots.iter_mut().zip(answers) {
            *slot = Some(value);
        }
        Self::new(instrument, slots)
    }

    /// The instrument the answers belong to.
    pub fn instrument(&self) -> &'static Instrument {
        self.instrument
    }

    /// The answers, one per item in item order, `None` for a blank.
    pub fn answers(&self) -> &[Option<u8>] {
        let count = self.instrument.items.len().min(MAX_ITEMS);
        self.answers.get(..count).unwrap_or(&[])
    }

    /// The answer to 1-based item `number`, `None` if blank or if there is no such item.
    pub fn answer(&self, number: u8) -> Option<u8> {
        self.answers()
            .get(usize::from(number).wrapping_sub(1))
            .copied()
            .flatten()
    }

    /// How many items were left blank and will be prorated.
    pub fn prorated_items(&self) -> u8 {
        self.prorated_items
    }
}

/// Checks one answer value against its item's options.
fn check_value(instrument: &Instrument, number: u8, value: u8) -> Result<(), Error> {
    let id = instrument.id;
    let Some(item) = instrument.items.get(usize::from(number).wrapping_sub(1)) else {
        return Err(Error::WrongNumberOfAnswers {
            instrument: id,
            expected: instrument.items.len(),
            found: usize::from(number),
        });
    };
    let maximum = item.maximum_value();
    if value > maximum {
        return Err(Error::AnswerAboveMaximum {
            instrument: id,
            item: number,
            value,
            maximum,
        });
    }
    let minimum = item.minimum_value();
    if value < minimum {
        return Err(Error::AnswerBelowMinimum {
            instrument: id,
            item: number,
            value,
            minimum,
        });
    }
    if !item.options.iter().any(|option| option.value == value) {
        return Err(Error::AnswerNotAnOption {
            instrument: id,
            item: number,
            value,
        });
    }
    Ok(())
}
