//! Every code system, profile, canonical URL and code this module writes, each
//! with its source. Nothing here is made up on the fly in the exporters.

/// LOINC's code system URI (HL7 terminology, <http://hl7.org/fhir/R4/loinc.html>).
pub(crate) const LOINC: &str = "http://loinc.org";
/// SNOMED CT's code system URI (<http://hl7.org/fhir/R4/snomedct.html>).
pub(crate) const SNOMED_CT: &str = "http://snomed.info/sct";
/// UCUM's code system URI (<http://hl7.org/fhir/R4/ucum.html>).
pub(crate) const UCUM: &str = "http://unitsofmeasure.org";
/// The NHS number identifier system (UK Core, "NHS Number" NamingSystem,
/// <https://simplifier.net/hl7fhirukcorer4>).
pub(crate) const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// The UK Core Patient profile, UK Core R4 (STU 2, 2023), cited by the brief.
pub(crate) const UK_CORE_PATIENT_PROFILE: &str =
    "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";
/// FHIR R4 observation-category code system (<http://hl7.org/fhir/R4/codesystem-observation-category.html>).
pub(crate) const OBSERVATION_CATEGORY: &str =
    "http://terminology.hl7.org/CodeSystem/observation-category";
/// FHIR R4 consent-scope code system (<http://hl7.org/fhir/R4/codesystem-consentscope.html>).
pub(crate) const CONSENT_SCOPE: &str = "http://terminology.hl7.org/CodeSystem/consentscope";
/// LOINC's consent category codes as R4 lists them in the consent-category value set
/// (<http://hl7.org/fhir/R4/valueset-consent-category.html>): 59284-0 "Patient Consent".
pub(crate) const LOINC_PATIENT_CONSENT: &str = "59284-0";
/// HL7 v3 ActReason, the R4 `Consent.provision.purpose` value set's system
/// (<http://hl7.org/fhir/R4/v3/PurposeOfUse/vs.html>).
pub(crate) const V3_ACT_REASON: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
/// FHIR R4 flag-category code system (<http://hl7.org/fhir/R4/codesystem-flag-category.html>);
/// we use its `safety` code ("Safety": potential risk to the patient or others).
pub(crate) const FLAG_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/flag-category";
/// ISO-ASTM E1762-95 signature types, R4 `Signature.type`
/// (<http://hl7.org/fhir/R4/valueset-signature-type.html>).
pub(crate) const SIGNATURE_TYPE: &str = "urn:iso-astm:E1762-95:2013";
/// E1762-95 "Source Signature": the signature of the party that is the source of
/// the data, which is what an export's integrity signature is.
/// unconfirmed: the code and display were not checked against the R4
/// signature-type value set page in this session (written from memory of it).
pub(crate) const SIGNATURE_TYPE_SOURCE: &str = "1.2.840.10065.1.12.1.14";
/// FHIR R4 provenance-participant-type code system
/// (<http://hl7.org/fhir/R4/codesystem-provenance-participant-type.html>).
pub(crate) const PROVENANCE_PARTICIPANT_TYPE: &str =
    "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
/// HL7 v3 DataOperation, the R4 `Provenance.activity` value set's system.
pub(crate) const V3_DATA_OPERATION: &str = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";

/// Our own canonical base. Every Questionnaire, CodeSystem and identifier
/// system this crate defines lives under it, so a receiving server can tell our
/// definitions from anybody else's. A deployment that publishes these resources
/// under its own domain changes this one constant.
pub const CANONICAL_BASE: &str = "https://healing.example/fhir";

/// A code from a code system, with the display text its publisher gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Code {
    /// The code system URI.
    pub(crate) system: &'static str,
    /// The code.
    pub(crate) code: &'static str,
    /// The publisher's display text.
    pub(crate) display: &'static str,
}

const fn loinc(code: &'static str, display: &'static str) -> Code {
    Code {
        system: LOINC,
        code,
        display,
    }
}

const fn snomed(code: &'static str, display: &'static str) -> Code {
    Code {
        system: SNOMED_CT,
        code,
        display,
    }
}

/// How one instrument of the scoring registry is coded in FHIR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InstrumentCodes {
    /// The instrument's id in the scoring registry (`phq9`).
    pub(crate) instrument_id: &'static str,
    /// The LOINC panel for the whole questionnaire.
    pub(crate) panel: Code,
    /// The total-score observation codes: LOINC first, then SNOMED CT if any.
    pub(crate) total: &'static [Code],
    /// The LOINC question code of each scored item, in the instrument's order.
    pub(crate) items: &'static [Code],
    /// The LOINC answer code of each option value, indexed by the value (0, 1, ...).
    pub(crate) answers: &'static [Code],
}

/// LOINC answer list LL358-3, "PHQ_Freq" (0 Not at all ... 3 Nearly every day),
/// shared by the PHQ-9, PHQ-2 and GAD-7 items. Codes checked against the LOINC
/// Questionnaire for panel 44249-1 and LOINC's page for panel 69729-2 (PHQ-SADS).
/// unconfirmed: the answer list's own id (LL358-3); the four LA codes are confirmed.
const FREQUENCY_ANSWERS: [Code; 4] = [
    loinc("LA6568-5", "Not at all"),
    loinc("LA6569-3", "Several days"),
    loinc("LA6570-1", "More than half the days"),
    loinc("LA6571-9", "Nearly every day"),
];

/// LOINC answer list LL359-1 "PHQ.10" for the PHQ-9 difficulty question 69722-7
/// (loinc.org/LL359-1, LOINC 2.78). Note the order: LA6575-0 is "Very
/// difficult" and LA6574-3 is "Extremely difficult", not the numeric order.
/// The difficulty question is not part of the PHQ-9 total.
pub(crate) const DIFFICULTY_ANSWERS: [Code; 4] = [
    loinc("LA6572-7", "Not difficult at all"),
    loinc("LA6573-5", "Somewhat difficult"),
    loinc("LA6575-0", "Very difficult"),
    loinc("LA6574-3", "Extremely difficult"),
];

/// LOINC 69722-7, the PHQ-9's tenth (difficulty) question (loinc.org/LL359-1).
pub(crate) const PHQ9_DIFFICULTY_ITEM: Code = loinc(
    "69722-7",
    "How difficult have these made it for you to do your work, take care of things at home, or get along with other people",
);

/// PHQ-9: LOINC panel 44249-1 "PHQ-9 quick depression assessment panel
/// [Reported.PHQ]"; items in questionnaire order as LOINC's page for the
/// PHQ-SADS panel 69729-2 and the LOINC-derived Questionnaire 44249-1 list them;
/// total 44261-6 "Patient Health Questionnaire 9 item (PHQ-9) total score
/// [Reported]" (loinc.org/44261-6, LOINC 2.78). The PHQ-9 has no tenth scored
/// item; its difficulty question is [`PHQ9_DIFFICULTY_ITEM`].
/// SNOMED CT 720433000 "Patient Health Questionnaire Nine Item score
/// (observable entity)": confirmed from NHS England's SNOMED code usage
/// statistics (secondary source), unconfirmed against the SNOMED CT browser.
pub(crate) const PHQ9: InstrumentCodes = InstrumentCodes {
    instrument_id: "phq9",
    panel: loinc(
        "44249-1",
        "PHQ-9 quick depression assessment panel [Reported.PHQ]",
    ),
    total: &[
        loinc(
            "44261-6",
            "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        ),
        snomed("720433000", "Patient Health Questionnaire Nine Item score"),
    ],
    items: &[
        loinc("44250-9", "Little interest or pleasure in doing things"),
        loinc("44255-8", "Feeling down, depressed, or hopeless"),
        loinc(
            "44259-0",
            "Trouble falling or staying asleep, or sleeping too much",
        ),
        loinc("44254-1", "Feeling tired or having little energy"),
        loinc("44251-7", "Poor appetite or overeating"),
        loinc(
            "44258-2",
            "Feeling bad about yourself-or that you are a failure or have let yourself or your family down",
        ),
        loinc(
            "44252-5",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
        ),
        loinc(
            "44253-3",
            "Moving or speaking so slowly that other people could have noticed. Or the opposite-being so fidgety or restless that you have been moving around a lot more than usual",
        ),
        loinc(
            "44260-8",
            "Thoughts that you would be better off dead, or of hurting yourself in some way",
        ),
    ],
    answers: &FREQUENCY_ANSWERS,
};

/// GAD-7: LOINC panel 69737-5 "Generalized anxiety disorder 7 item (GAD-7)";
/// items in order as LOINC's page for panel 69729-2 lists them. The second item
/// is 68509-9 (not 68509-0, which our brief had: LOINC's page and HL7's PGHD
/// implementation guide both give 68509-9). Total 70274-6 "Generalized anxiety
/// disorder 7 item (GAD-7) total score [Reported.PHQ]".
/// SNOMED CT 445455005 "Generalized anxiety disorder 7 item score": confirmed
/// from the NHS Talking Therapies PROM code table and NHS England's SNOMED code
/// usage statistics (secondary sources); unconfirmed against the SNOMED CT browser.
pub(crate) const GAD7: InstrumentCodes = InstrumentCodes {
    instrument_id: "gad7",
    panel: loinc("69737-5", "Generalized anxiety disorder 7 item (GAD-7)"),
    total: &[
        loinc(
            "70274-6",
            "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
        ),
        snomed("445455005", "Generalized anxiety disorder 7 item score"),
    ],
    items: &[
        loinc("69725-0", "Feeling nervous, anxious or on edge"),
        loinc(
            "68509-9",
            "Over the past 2 weeks have you not been able to stop or control worrying",
        ),
        loinc("69733-4", "Worrying too much about different things"),
        loinc("69734-2", "Trouble relaxing"),
        loinc("69735-9", "Being so restless that it is hard to sit still"),
        loinc("69689-8", "Becoming easily annoyed or irritable."),
        loinc(
            "69736-7",
            "Feeling afraid as if something awful might happen",
        ),
    ],
    answers: &FREQUENCY_ANSWERS,
};

/// PHQ-2: the first two PHQ-9 items; total 55758-7 "Patient Health
/// Questionnaire 2 item (PHQ-2) total score [Reported]" (seen in Synthea's
/// LOINC-coded data, secondary source).
/// unconfirmed: the PHQ-2 panel code 55757-9 "Patient Health Questionnaire 2
/// item (PHQ-2) [Reported]" was not checked against loinc.org.
pub(crate) const PHQ2: InstrumentCodes = InstrumentCodes {
    instrument_id: "phq2",
    panel: loinc(
        "55757-9",
        "Patient Health Questionnaire 2 item (PHQ-2) [Reported]",
    ),
    total: &[loinc(
        "55758-7",
        "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]",
    )],
    items: &[
        loinc("44250-9", "Little interest or pleasure in doing things"),
        loinc("44255-8", "Feeling down, depressed, or hopeless"),
    ],
    answers: &FREQUENCY_ANSWERS,
};

/// The instruments LOINC codes; the others are exported with our own codes only.
pub(crate) const LOINC_CODED_INSTRUMENTS: [InstrumentCodes; 3] = [PHQ9, GAD7, PHQ2];

/// The LOINC coding of the instrument with this registry id, if LOINC has one.
pub(crate) fn instrument_codes(instrument_id: &str) -> Option<&'static InstrumentCodes> {
    LOINC_CODED_INSTRUMENTS
        .iter()
        .find(|codes| codes.instrument_id == instrument_id)
}

/// The LOINC coding of the instrument whose panel is `panel_code`.
pub(crate) fn instrument_codes_by_panel(panel_code: &str) -> Option<&'static InstrumentCodes> {
    LOINC_CODED_INSTRUMENTS
        .iter()
        .find(|codes| codes.panel.code == panel_code)
}
