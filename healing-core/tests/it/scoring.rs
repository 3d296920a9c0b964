//! Public-API tests of scoring: reference cases for every instrument (both
//! sides of every band boundary and cut-off, flags, prorating, invalid
//! answers) and property tests.

use healing_core::scoring::{
    self, BandId, Completeness, DerivedValue, Error, Flag, Instrument, InstrumentId, Requirement,
    Score, ScoringRule, SubscaleId, SuicideRiskLevel, ValidatedAnswers,
};
use proptest::prelude::*;

/// Answers for a summed instrument whose values add up to `total`: every
/// item starts at its lowest value, then items are raised from the last one
/// backwards by the largest step that fits (so items with sparse values, like
/// AUDIT 9 and 10, are filled first).
fn answers_summing_to(instrument: &Instrument, total: u16) -> Vec<Option<u8>> {
    let lowest: u16 = instrument
        .items
        .iter()
        .map(|item| u16::from(item.minimum_value()))
        .sum();
    let mut remaining = total
        .checked_sub(lowest)
        .expect("total at or above the lowest possible");
    let mut answers = vec![None; instrument.items.len()];
    for (item, answer) in instrument.items.iter().zip(answers.iter_mut()).rev() {
        let minimum = item.minimum_value();
        let value = item
            .options
            .iter()
            .map(|option| option.value)
            .filter(|&value| u16::from(value - minimum) <= remaining)
            .max()
            .expect("the lowest option always fits");
        remaining -= u16::from(value - minimum);
        *answer = Some(value);
    }
    assert_eq!(
        remaining, 0,
        "could not build answers for {} summing to {total}",
        instrument.id
    );
    answers
}

fn score_total(id: InstrumentId, total: u16) -> Score {
    let instrument = id.instrument();
    let validated = ValidatedAnswers::new(instrument, &answers_summing_to(instrument, total))
        .expect("answers built from option values are valid");
    scoring::score(&validated)
}

fn band_of(score: &Score) -> Option<BandId> {
    score.band.as_ref().map(|band| band.id)
}

fn yes_no(answers: &[Option<u8>]) -> Result<Score, Error> {
    scoring::score_answers("cssrs_screener", answers)
}

#[test]
fn every_band_boundary_falls_on_the_published_side() {
    use BandId::*;
    use InstrumentId::*;
    // (instrument, total, band) from the sources cited in instruments.rs:
    // the lowest and highest total of every band.
    let cases = [
        (Phq9, 0, Minimal),
        (Phq9, 4, Minimal),
        (Phq9, 5, Mild),
        (Phq9, 9, Mild),
        (Phq9, 10, Moderate),
        (Phq9, 14, Moderate),
        (Phq9, 15, ModeratelySevere),
        (Phq9, 19, ModeratelySevere),
        (Phq9, 20, Severe),
        (Phq9, 27, Severe),
        (Gad7, 0, Minimal),
        (Gad7, 4, Minimal),
        (Gad7, 5, Mild),
        (Gad7, 9, Mild),
        (Gad7, 10, Moderate),
        (Gad7, 14, Moderate),
        (Gad7, 15, Severe),
        (Gad7, 21, Severe),
        (Wsas, 0, Subclinical),
        (Wsas, 9, Subclinical),
        (Wsas, 10, SignificantImpairment),
        (Wsas, 20, SignificantImpairment),
        (Wsas, 21, ModeratelySevereImpairment),
        (Wsas, 40, ModeratelySevereImpairment),
        (Phq15, 0, Minimal),
        (Phq15, 4, Minimal),
        (Phq15, 5, Low),
        (Phq15, 9, Low),
        (Phq15, 10, Medium),
        (Phq15, 14, Medium),
        (Phq15, 15, High),
        (Phq15, 30, High),
        (Core10, 0, NonClinical),
        (Core10, 10, NonClinical),
        (Core10, 11, Mild),
        (Core10, 14, Mild),
        (Core10, 15, Moderate),
        (Core10, 19, Moderate),
        (Core10, 20, ModeratelySevere),
        (Core10, 24, ModeratelySevere),
        (Core10, 25, Severe),
        (Core10, 40, Severe),
        (Audit, 0, LowerRisk),
        (Audit, 7, LowerRisk),
        (Audit, 8, IncreasingRisk),
        (Audit, 15, IncreasingRisk),
        (Audit, 16, HigherRisk),
        (Audit, 19, HigherRisk),
        (Audit, 20, PossibleDependence),
        (Audit, 40, PossibleDependence),
        (Epds, 0, BelowThreshold),
        (Epds, 9, BelowThreshold),
        (Epds, 10, PossibleDepression),
        (Epds, 12, PossibleDepression),
        (Epds, 13, ProbableDepression),
        (Epds, 30, ProbableDepression),
    ];
    for (id, total, expected) in cases {
        let score = score_total(id, total);
        assert_eq!(score.total, Some(total), "{id} total");
        assert_eq!(band_of(&score), Some(expected), "{id} total {total}");
    }
}

#[test]
fn every_cut_off_flags_at_the_published_total_and_not_one_below() {
    use InstrumentId::*;
    // (instrument, lowest total that crosses, flag raised)
    let cases = [
        (Phq9, 10, Flag::ClinicalRange),
        (Gad7, 8, Flag::ClinicalRange),
        (Phq2, 3, Flag::ScreenPositive),
        (Gad2, 3, Flag::ScreenPositive),
        (AuditC, 5, Flag::ScreenPositive),
        (Core10, 11, Flag::ClinicalRange),
        (Spin, 19, Flag::ClinicalRange),
        (Pdss, 8, Flag::ClinicalRange),
        (Pcl5, 32, Flag::ClinicalRange),
        (IesR, 33, Flag::ClinicalRange),
        (OciR, 21, Flag::ClinicalRange),
        (Shai, 18, Flag::ClinicalRange),
    ];
    for (id, cut_off, flag) in cases {
        assert!(
            score_total(id, cut_off).flags.contains(&flag),
            "{id} at {cut_off}"
        );
        assert!(
            !score_total(id, cut_off - 1).flags.contains(&flag),
            "{id} at {}",
            cut_off - 1
        );
    }
}

#[test]
fn phq9_item_nine_above_zero_flags_self_harm_even_with_a_minimal_total() {
    let score = scoring::score_answers(
        "phq9",
        &[
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(1),
        ],
    )
    .expect("valid answers");
    assert_eq!(score.total, Some(1));
    assert_eq!(band_of(&score), Some(BandId::Minimal));
    assert_eq!(
        score.flags,
        vec![Flag::SelfHarmThoughts { item: 9, answer: 1 }]
    );
    assert!(score.needs_clinician_review());
}

#[test]
fn phq9_item_nine_at_zero_raises_no_flag_even_with_a_severe_total() {
    let answers = [3, 3, 3, 3, 3, 3, 3, 3, 0];
    let score = scoring::score(
        &ValidatedAnswers::complete(InstrumentId::Phq9.instrument(), &answers).expect("valid"),
    );
    assert_eq!(score.total, Some(24));
    assert_eq!(band_of(&score), Some(BandId::Severe));
    assert_eq!(score.flags, vec![Flag::ClinicalRange]);
    assert!(!score.needs_clinician_review());
}

#[test]
fn epds_item_ten_above_zero_flags_self_harm() {
    let mut answers = vec![Some(0); 10];
    answers[9] = Some(2);
    let score = scoring::score_answers("epds", &answers).expect("valid answers");
    assert_eq!(
        score.flags,
        vec![Flag::SelfHarmThoughts {
            item: 10,
            answer: 2
        }]
    );
    assert_eq!(band_of(&score), Some(BandId::BelowThreshold));
}

#[test]
fn epds_reverse_keyed_items_list_their_options_from_three_down() {
    let epds = InstrumentId::Epds.instrument();
    for item in epds.items {
        let values: Vec<u8> = item.options.iter().map(|option| option.value).collect();
        let reversed = [3, 5, 6, 7, 8, 9, 10].contains(&item.number);
        assert_eq!(
            values,
            if reversed {
                vec![3, 2, 1, 0]
            } else {
                vec![0, 1, 2, 3]
            },
            "item {}",
            item.number
        );
    }
}

#[test]
fn core10_items_two_and_three_are_reverse_keyed() {
    let core10 = InstrumentId::Core10.instrument();
    let reversed: Vec<u8> = core10
        .items
        .iter()
        .filter(|item| item.options.first().map(|option| option.value) == Some(4))
        .map(|item| item.number)
        .collect();
    assert_eq!(reversed, vec![2, 3]);
}

#[test]
fn core10_risk_item_six_flags_self_harm() {
    let mut answers = vec![Some(0); 10];
    answers[5] = Some(1);
    let score = scoring::score_answers("core10", &answers).expect("valid answers");
    assert_eq!(
        score.flags,
        vec![Flag::SelfHarmThoughts { item: 6, answer: 1 }]
    );
}

#[test]
fn core10_prorates_one_missing_item_rounding_half_up() {
    // Nine answered items summing to 10: 10 x 10 / 9 = 11.1, so 11 (clinical range).
    let answers = [
        None,
        Some(2),
        Some(2),
        Some(1),
        Some(1),
        Some(0),
        Some(1),
        Some(1),
        Some(1),
        Some(1),
    ];
    let score = scoring::score_answers("core10", &answers).expect("one blank is allowed");
    assert_eq!(score.total, Some(11));
    assert_eq!(score.completeness, Completeness::Prorated { missing: 1 });
    assert_eq!(band_of(&score), Some(BandId::Mild));
    assert!(score.flags.contains(&Flag::ClinicalRange));
}

#[test]
fn core10_rejects_two_missing_items() {
    let answers = [
        None,
        None,
        Some(2),
        Some(1),
        Some(1),
        Some(0),
        Some(1),
        Some(1),
        Some(1),
        Some(1),
    ];
    assert_eq!(
        scoring::score_answers("core10", &answers),
        Err(Error::TooManyMissingAnswers {
            instrument: InstrumentId::Core10,
            missing: 2,
            maximum: 1
        })
    );
}

#[test]
fn core10_never_prorates_the_risk_item() {
    let mut answers = vec![Some(1); 10];
    answers[5] = None;
    assert_eq!(
        scoring::score_answers("core10", &answers),
        Err(Error::MissingAnswer {
            instrument: InstrumentId::Core10,
            item: 6
        })
    );
}

#[test]
fn phq9_rejects_a_blank_item_because_it_is_not_prorated() {
    let mut answers = vec![Some(1); 9];
    answers[2] = None;
    let error = scoring::score_answers("phq9", &answers).expect_err("no prorating");
    assert_eq!(
        error,
        Error::MissingAnswer {
            instrument: InstrumentId::Phq9,
            item: 3
        }
    );
    assert_eq!(
        error.to_string(),
        "item 3 of phq9 is required but was not answered"
    );
}

#[test]
fn rejects_answer_above_three_on_phq9() {
    let error = ValidatedAnswers::complete(
        InstrumentId::Phq9.instrument(),
        &[0, 0, 4, 0, 0, 0, 0, 0, 0],
    )
    .expect_err("4 is above the maximum");
    assert_eq!(
        error.to_string(),
        "answer to item 3 of phq9 is 4, above the maximum of 3"
    );
}

#[test]
fn rejects_the_wrong_number_of_answers() {
    let error = ValidatedAnswers::complete(InstrumentId::Gad7.instrument(), &[0; 6])
        .expect_err("six answers");
    assert_eq!(
        error,
        Error::WrongNumberOfAnswers {
            instrument: InstrumentId::Gad7,
            expected: 7,
            found: 6
        }
    );
    assert_eq!(
        error.to_string(),
        "gad7 has 7 items but 6 answers were given"
    );
}

#[test]
fn rejects_an_audit_harm_answer_that_is_not_an_option_value() {
    let error = scoring::score_answers(
        "audit",
        &[Some(0); 8]
            .iter()
            .copied()
            .chain([Some(3), Some(0)])
            .collect::<Vec<_>>(),
    )
    .expect_err("3 is not 0, 2 or 4");
    assert_eq!(
        error,
        Error::AnswerNotAnOption {
            instrument: InstrumentId::Audit,
            item: 9,
            value: 3
        }
    );
}

#[test]
fn rejects_a_swemwbs_answer_of_zero() {
    let error =
        ValidatedAnswers::complete(InstrumentId::Swemwbs.instrument(), &[3, 3, 0, 3, 3, 3, 3])
            .expect_err("0 is below 1");
    assert_eq!(
        error,
        Error::AnswerBelowMinimum {
            instrument: InstrumentId::Swemwbs,
            item: 3,
            value: 0,
            minimum: 1
        }
    );
}

#[test]
fn rejects_an_unknown_instrument_id() {
    assert_eq!(
        scoring::score_answers("phq10", &[]),
        Err(Error::UnknownInstrument {
            id: "phq10".to_owned()
        })
    );
}

#[test]
fn audit_c_scores_the_first_three_audit_items() {
    let score = scoring::score_answers("audit_c", &[Some(2), Some(1), Some(2)]).expect("valid");
    assert_eq!(score.total, Some(5));
    assert_eq!(score.flags, vec![Flag::ScreenPositive]);
}

#[test]
fn phq15_allows_the_menstrual_item_to_be_blank_without_prorating() {
    let mut answers = vec![Some(1); 15];
    answers[3] = None;
    let score = scoring::score_answers("phq15", &answers).expect("item 4 is optional");
    assert_eq!(score.total, Some(14));
    assert_eq!(score.completeness, Completeness::Complete);
    assert_eq!(band_of(&score), Some(BandId::Medium));
}

#[test]
fn swemwbs_converts_raw_totals_with_the_published_table() {
    // (raw total, metric score in hundredths) from the Warwick conversion table.
    for (raw, metric) in [
        (7, 700),
        (8, 951),
        (14, 1532),
        (21, 1925),
        (23, 2073),
        (28, 2503),
        (34, 3255),
        (35, 3500),
    ] {
        let score = score_total(InstrumentId::Swemwbs, raw);
        assert_eq!(score.total, Some(raw));
        assert_eq!(
            score.derived,
            Some(DerivedValue::SwemwbsMetric { hundredths: metric }),
            "raw {raw}"
        );
    }
    let score = score_total(InstrumentId::Swemwbs, 23);
    assert_eq!(
        score.derived.map(|value| value.to_string()),
        Some("20.73".to_owned())
    );
}

#[test]
fn mobility_inventory_flags_a_mean_strictly_above_two_point_three() {
    let mean_of = |values: &[u8]| {
        let mut answers: Vec<Option<u8>> = values.iter().copied().map(Some).collect();
        answers.resize(27, None);
        scoring::score_answers("mobility_inventory_alone", &answers).expect("valid")
    };
    // 27 answers summing to 62: mean 2.296, below.
    let below: Vec<u8> = [3; 8].into_iter().chain([2; 19]).collect();
    assert_eq!(below.iter().map(|&v| u32::from(v)).sum::<u32>(), 62);
    let score = mean_of(&below);
    assert!(!score.flags.contains(&Flag::ClinicalRange));
    assert_eq!(
        score.derived,
        Some(DerivedValue::MeanItemScore {
            hundredths: 230,
            items_answered: 27
        })
    );
    // 27 answers summing to 63: mean 2.333, above.
    let above: Vec<u8> = [3; 9].into_iter().chain([2; 18]).collect();
    assert!(mean_of(&above).flags.contains(&Flag::ClinicalRange));
    // 23 answers summing to 53: mean 2.3043 is above 2.3 although it shows as 2.30.
    let close: Vec<u8> = [3; 7].into_iter().chain([2; 16]).collect();
    let score = mean_of(&close);
    assert_eq!(
        score.derived.map(|value| value.to_string()),
        Some("2.30".to_owned())
    );
    assert!(score.flags.contains(&Flag::ClinicalRange));
    assert_eq!(score.total, None);
}

#[test]
fn mobility_inventory_rejects_more_than_five_blank_situations() {
    let mut answers = vec![Some(1); 21];
    answers.resize(27, None);
    assert_eq!(
        scoring::score_answers("mobility_inventory_alone", &answers),
        Err(Error::TooManyMissingAnswers {
            instrument: InstrumentId::MobilityInventoryAlone,
            missing: 6,
            maximum: 5
        })
    );
}

#[test]
fn pcl5_meets_the_dsm5_pattern_with_one_b_one_c_two_d_and_two_e_items_at_two() {
    let mut answers = vec![Some(0); 20];
    for item in [1, 6, 8, 9, 15, 16] {
        answers[item - 1] = Some(2);
    }
    let score = scoring::score_answers("pcl5", &answers).expect("valid");
    assert_eq!(score.total, Some(12));
    assert_eq!(score.flags, vec![Flag::ProvisionalPtsdDiagnosis]);
    let clusters: Vec<(SubscaleId, u16)> =
        score.subscales.iter().map(|s| (s.id, s.total)).collect();
    assert_eq!(
        clusters,
        vec![
            (SubscaleId::ClusterBIntrusion, 2),
            (SubscaleId::ClusterCAvoidance, 2),
            (SubscaleId::ClusterDNegativeCognitionsAndMood, 4),
            (SubscaleId::ClusterEArousalAndReactivity, 4),
        ]
    );
    // One E item fewer, or an item at 1 instead of 2, breaks the pattern.
    answers[15] = Some(1);
    let score = scoring::score_answers("pcl5", &answers).expect("valid");
    assert!(!score.flags.contains(&Flag::ProvisionalPtsdDiagnosis));
}

#[test]
fn ies_r_and_oci_r_and_spin_and_shai_report_their_subscales() {
    let ascending = |count: u8, maximum: u8| -> Vec<Option<u8>> {
        (1..=count).map(|n| Some(n % (maximum + 1))).collect()
    };
    let subscale_totals = |id: &str, answers: &[Option<u8>]| -> Vec<(SubscaleId, u16)> {
        scoring::score_answers(id, answers)
            .expect("valid")
            .subscales
            .iter()
            .map(|s| (s.id, s.total))
            .collect()
    };
    // Item n answered n mod 5 (IES-R, OCI-R, SPIN) or n mod 4 (SHAI).
    assert_eq!(
        subscale_totals("ies_r", &ascending(22, 4)),
        vec![
            (SubscaleId::Intrusion, 16),
            (SubscaleId::Avoidance, 15),
            (SubscaleId::Hyperarousal, 12)
        ]
    );
    assert_eq!(
        subscale_totals("oci_r", &ascending(18, 4)),
        vec![
            (SubscaleId::Washing, 3),
            (SubscaleId::Obsessing, 6),
            (SubscaleId::Hoarding, 6),
            (SubscaleId::Ordering, 7),
            (SubscaleId::Checking, 9),
            (SubscaleId::Neutralising, 5),
        ]
    );
    assert_eq!(
        subscale_totals("spin", &ascending(17, 4)),
        vec![
            (SubscaleId::Fear, 8),
            (SubscaleId::Avoidance, 16),
            (SubscaleId::PhysiologicalArousal, 9)
        ]
    );
    assert_eq!(
        subscale_totals("shai", &ascending(18, 3)),
        vec![
            (SubscaleId::IllnessLikelihood, 21),
            (SubscaleId::NegativeConsequences, 6)
        ]
    );
}

#[test]
fn cssrs_all_no_answers_identify_no_risk() {
    let score = yes_no(&[Some(0), Some(0), None, None, None, Some(0), None]).expect("valid");
    assert_eq!(band_of(&score), Some(BandId::NoRiskIdentified));
    assert_eq!(score.total, None);
    assert!(score.flags.is_empty());
}

#[test]
fn cssrs_triage_follows_the_published_rule() {
    use SuicideRiskLevel::*;
    let cases: [([Option<u8>; 7], BandId, Option<SuicideRiskLevel>); 8] = [
        (
            [Some(1), Some(0), None, None, None, Some(0), None],
            BandId::LowRisk,
            Some(Low),
        ),
        (
            [Some(0), Some(1), Some(0), Some(0), Some(0), Some(0), None],
            BandId::LowRisk,
            Some(Low),
        ),
        (
            [Some(1), Some(1), Some(1), Some(0), Some(0), Some(0), None],
            BandId::ModerateRisk,
            Some(Moderate),
        ),
        (
            [Some(0), Some(0), None, None, None, Some(1), Some(0)],
            BandId::ModerateRisk,
            Some(Moderate),
        ),
        (
            [Some(0), Some(1), Some(0), Some(1), Some(0), Some(0), None],
            BandId::HighRisk,
            Some(High),
        ),
        (
            [Some(0), Some(1), Some(0), Some(0), Some(1), Some(0), None],
            BandId::HighRisk,
            Some(High),
        ),
        (
            [Some(0), Some(0), None, None, None, Some(1), Some(1)],
            BandId::HighRisk,
            Some(High),
        ),
        (
            [Some(0), Some(0), None, None, None, Some(0), None],
            BandId::NoRiskIdentified,
            None,
        ),
    ];
    for (answers, band, level) in cases {
        let score = yes_no(&answers).expect("valid");
        assert_eq!(band_of(&score), Some(band), "{answers:?}");
        let flagged = score.flags.iter().find_map(|flag| match flag {
            Flag::SuicideRisk { level } => Some(*level),
            _ => None,
        });
        assert_eq!(flagged, level, "{answers:?}");
    }
}

#[test]
fn cssrs_wish_to_be_dead_flags_self_harm_thoughts() {
    let score = yes_no(&[Some(1), Some(0), None, None, None, Some(0), None]).expect("valid");
    assert_eq!(
        score.flags,
        vec![
            Flag::SelfHarmThoughts { item: 1, answer: 1 },
            Flag::SuicideRisk {
                level: SuicideRiskLevel::Low
            }
        ]
    );
}

#[test]
fn cssrs_rejects_an_answer_to_a_question_that_skip_logic_skips() {
    let error =
        yes_no(&[Some(0), Some(0), Some(1), None, None, Some(0), None]).expect_err("3 is skipped");
    assert_eq!(
        error,
        Error::AnswerToSkippedItem {
            instrument: InstrumentId::CssrsScreener,
            item: 3,
            asked_when_item: 2,
            asked_when_answer: 1
        }
    );
    assert_eq!(
        error.to_string(),
        "item 3 of cssrs_screener was answered but is asked only when item 2 is answered 1"
    );
}

#[test]
fn cssrs_requires_the_follow_up_questions_once_they_are_asked() {
    assert_eq!(
        yes_no(&[Some(0), Some(1), None, Some(0), Some(0), Some(0), None]),
        Err(Error::MissingAnswer {
            instrument: InstrumentId::CssrsScreener,
            item: 3
        })
    );
    assert_eq!(
        yes_no(&[Some(0), Some(0), None, None, None, Some(1), None]),
        Err(Error::MissingAnswer {
            instrument: InstrumentId::CssrsScreener,
            item: 7
        })
    );
}

#[test]
fn registry_lists_each_instrument_once_under_its_own_id() {
    let instruments = scoring::instruments();
    assert_eq!(instruments.len(), 19);
    for instrument in instruments {
        assert_eq!(
            scoring::instrument(instrument.id.as_str()),
            Some(*instrument)
        );
        assert_eq!(instrument.id.instrument(), *instrument);
        let json = serde_json::to_value(instrument.id).expect("ids serialise");
        assert_eq!(
            json,
            serde_json::Value::String(instrument.id.as_str().to_owned())
        );
    }
    assert_eq!(scoring::instrument("PHQ9"), None);
}

#[test]
fn every_instrument_cites_a_source_and_a_licence() {
    for instrument in scoring::instruments() {
        assert!(!instrument.source.is_empty(), "{}", instrument.id);
        assert!(!instrument.licence.is_empty(), "{}", instrument.id);
    }
}

#[test]
fn instruments_ship_item_text_only_where_the_licence_allows() {
    use InstrumentId::*;
    for instrument in scoring::instruments() {
        let shipped = instrument.items.iter().all(|item| item.text.is_some());
        let free_to_reproduce = matches!(
            instrument.id,
            Phq9 | Gad7 | Phq2 | Gad2 | Phq15 | Audit | AuditC | Pcl5
        );
        assert_eq!(shipped, free_to_reproduce, "{}", instrument.id);
        if !shipped {
            assert!(
                instrument.items.iter().all(|item| item.text.is_none()),
                "{}",
                instrument.id
            );
        }
    }
}

#[test]
fn registry_serialises_to_json_for_form_rendering() {
    let json = serde_json::to_value(scoring::instruments()).expect("the registry serialises");
    let phq9 = &json[0];
    assert_eq!(phq9["id"], "phq9");
    assert_eq!(
        phq9["items"][8]["text"],
        "Thoughts that you would be better off dead or of hurting yourself in some way"
    );
    assert_eq!(phq9["items"][0]["options"][3]["label"], "Nearly every day");
    assert_eq!(phq9["bands"][3]["id"], "moderately_severe");
    let cssrs = &json[18];
    assert_eq!(cssrs["items"][2]["text"], serde_json::Value::Null);
    assert_eq!(cssrs["items"][2]["label"], "Item 3");
    assert_eq!(
        cssrs["items"][2]["requirement"],
        serde_json::json!({"kind": "asked_when", "item": 2, "answer": 1})
    );
}

#[test]
fn score_round_trips_through_json() {
    let score = scoring::score_answers("pcl5", &[Some(2); 20]).expect("valid");
    let json = serde_json::to_string(&score).expect("serialises");
    let back: Score = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, score);
}

/// Valid answers for `instrument` chosen by `choices` (option index per item)
/// and `blanks` (leave an item blank where its rules allow).
fn valid_answers(instrument: &Instrument, choices: &[usize], blanks: &[bool]) -> Vec<Option<u8>> {
    let mut answers: Vec<Option<u8>> = Vec::with_capacity(instrument.items.len());
    let mut prorated = 0;
    let mut optional = 0;
    let max_prorated = match instrument.prorating {
        scoring::Prorating::NotAllowed => 0,
        scoring::Prorating::UpTo { max_missing } => max_missing,
    };
    let max_optional = match instrument.scoring {
        ScoringRule::MeanOfAnswered { max_blank } => max_blank,
        _ => u8::MAX,
    };
    for (index, item) in instrument.items.iter().enumerate() {
        let value = item.options[choices[index] % item.options.len()].value;
        let blank = blanks[index];
        let answer = match item.requirement {
            Requirement::Required => Some(value),
            Requirement::Proratable if blank && prorated < max_prorated => {
                prorated += 1;
                None
            }
            Requirement::Proratable => Some(value),
            Requirement::Optional if blank && optional < max_optional => {
                optional += 1;
                None
            }
            Requirement::Optional => Some(value),
            Requirement::AskedWhen { item, answer } => {
                (answers[usize::from(item) - 1] == Some(answer)).then_some(value)
            }
        };
        answers.push(answer);
    }
    answers
}

fn instrument_index() -> impl Strategy<Value = usize> {
    0..scoring::instruments().len()
}

proptest! {
    #[test]
    fn no_valid_answer_set_fails_to_score_and_totals_stay_in_bounds(
        index in instrument_index(),
        choices in proptest::collection::vec(any::<usize>(), scoring::MAX_ITEMS),
        blanks in proptest::collection::vec(any::<bool>(), scoring::MAX_ITEMS),
    ) {
        let instrument = scoring::instruments()[index];
        let answers = valid_answers(instrument, &choices, &blanks);
        let validated = ValidatedAnswers::new(instrument, &answers);
        prop_assert!(validated.is_ok(), "{:?} for {:?}", validated, answers);
        let score = scoring::score(&validated.expect("checked above"));
        prop_assert_eq!(score.instrument, instrument.id);
        let maximum: u16 = instrument.items.iter().map(|item| u16::from(item.maximum_value())).sum();
        let minimum: u16 = instrument
            .items
            .iter()
            .filter(|item| matches!(item.requirement, Requirement::Required | Requirement::Proratable))
            .map(|item| u16::from(item.minimum_value()))
            .sum();
        if let Some(total) = score.total {
            prop_assert!(minimum <= total && total <= maximum, "total {} outside {}..={}", total, minimum, maximum);
        }
        if !instrument.bands.is_empty() {
            prop_assert!(score.band.is_some());
        }
        match score.derived {
            Some(DerivedValue::SwemwbsMetric { hundredths }) => prop_assert!((700..=3500).contains(&hundredths)),
            Some(DerivedValue::MeanItemScore { hundredths, .. }) => prop_assert!((100..=500).contains(&hundredths)),
            None => {}
        }
        prop_assert_eq!(score.subscales.len(), instrument.subscales.len());
    }

    #[test]
    fn no_optional_answer_list_panics(
        index in instrument_index(),
        answers in proptest::collection::vec(proptest::option::of(any::<u8>()), 0..40),
    ) {
        let id = scoring::instruments()[index].id.as_str();
        // Any outcome is fine; the property is that there is one.
        let _outcome = scoring::score_answers(id, &answers);
    }

    #[test]
    fn no_complete_answer_list_panics(
        index in instrument_index(),
        answers in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let instrument = scoring::instruments()[index];
        if let Ok(validated) = ValidatedAnswers::complete(instrument, &answers) {
            let score = scoring::score(&validated);
            prop_assert_eq!(score.completeness, Completeness::Complete);
        }
    }

    #[test]
    fn phq9_self_harm_flag_is_raised_exactly_when_item_nine_is_above_zero(
        choices in proptest::collection::vec(0usize..4, 9),
    ) {
        let answers: Vec<u8> = choices.iter().map(|&choice| u8::try_from(choice).expect("below 4")).collect();
        let score = scoring::score(&ValidatedAnswers::complete(InstrumentId::Phq9.instrument(), &answers).expect("valid"));
        let flagged = score.flags.contains(&Flag::SelfHarmThoughts { item: 9, answer: answers[8] });
        prop_assert_eq!(flagged, answers[8] > 0);
    }
}
